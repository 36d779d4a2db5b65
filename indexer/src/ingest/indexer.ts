import { setTimeout as sleep } from 'node:timers/promises';
import type {
  DataSourceSpec,
  DataSourceTemplateSpec,
  EventHandlerSpec,
  Hex,
  SubgraphManifest,
} from '../manifest/types.js';
import { ImmutableEntityError } from '../store/errors.js';
import type {
  BlockPtr,
  DynamicDataSource,
  EntityOperation,
  SubgraphStore,
} from '../store/types.js';
import type { ChainLog, ChainReceipt } from '../wasm/chain-types.js';
import type { HostServices, Logger, RunningDataSource, TriggerContext } from '../wasm/context.js';
import { EntityCache } from '../wasm/entity-cache.js';
import { DeterministicError } from '../wasm/errors.js';
import { decodeEventParams } from '../wasm/ethereum-value.js';
import { writeBlock, writeEvent } from '../wasm/marshal.js';
import { MappingModule } from '../wasm/runtime.js';
import { readSchemaInfo } from '../wasm/schema-info.js';
import { type ChainSource, type FullBlock, type LogFilter } from './chain.js';
import { IndexerError } from '../errors.js';

export interface IndexerOptions {
  readonly manifest: SubgraphManifest;
  readonly store: SubgraphStore;
  readonly chain: ChainSource;
  readonly logger: Logger;
  /** Blocks this far below the chain head are final and scanned in ranges (graph-node: 250). */
  readonly reorgThreshold?: number;
  /** How often to poll for new blocks at the chain head. */
  readonly pollingIntervalMs?: number;
  /** IPFS content for ipfs.cat; null keeps ipfs.cat disabled as graph-node does by default. */
  readonly ipfsCat?: ((cid: string) => Promise<Uint8Array>) | null;
  /** Progress log interval. */
  readonly progressIntervalMs?: number;
  /**
   * How long transient failures may repeat, or the head stay behind an advancing chain, before
   * the status (and /health) reports the subgraph as stalled. Default 60 s.
   */
  readonly stallAfterMs?: number;
}

/** graph-node's health values, plus `stalled` for a head that stopped while the chain moves on. */
export type IndexerHealth = 'healthy' | 'stalled' | 'failed';

export type IndexerState = 'starting' | 'syncing' | 'synced' | 'failed' | 'stopped';

export interface IndexerStatus {
  readonly state: IndexerState;
  readonly head: BlockPtr | null;
  readonly chainHead: number | null;
  readonly blocksProcessed: number;
  readonly eventsProcessed: number;
  readonly handlerCalls: number;
  readonly reorgs: number;
  readonly fatalError: string | null;
  readonly health: IndexerHealth;
  /** Why the health is not `healthy`. */
  readonly healthReason: string | null;
  /** The last transient (retried) failure, while it keeps failing. */
  readonly retrying: {
    readonly block: number | null;
    readonly error: string;
    readonly attempts: number;
    readonly sinceMs: number;
  } | null;
  /** Transient failures retried since start. */
  readonly retries: number;
}

interface ActiveDataSource {
  readonly running: RunningDataSource;
  readonly module: MappingModule;
  /** Creation order, for graph-node's trigger order (static first, then dynamic). */
  readonly order: number;
}

type Trigger =
  | { readonly kind: 'log'; readonly log: ChainLog }
  | { readonly kind: 'block'; readonly phase: 'start' | 'end' };

/** Thrown when a reorg is detected mid-iteration; the loop reverts and starts over. */
class ReorgDetected extends Error {}

/** A handler failed in a way the subgraph cannot get past (graph-node: the deployment failed). */
export class SubgraphFailedError extends IndexerError {
  override name = 'SubgraphFailedError';
}

/**
 * Runs a subgraph's mappings over the chain: eth_getLogs in adaptive ranges below the reorg
 * threshold, block by block (checking parent hashes) near the head, graph-node's trigger order,
 * one atomic store transaction per block, and reverts on reorgs.
 */
export class SubgraphIndexer {
  private readonly modules = new Map<string, Promise<MappingModule>>();
  private readonly cache: EntityCache;
  private readonly templates: ReadonlyMap<string, DataSourceTemplateSpec>;
  private readonly services: HostServices;
  private readonly nonFatal: boolean;
  private active: ActiveDataSource[] = [];
  private filter: LogFilter = { addresses: null, topic0: [] };
  private head: BlockPtr | null = null;
  private chainHead: number | null = null;
  private state: IndexerState = 'starting';
  private fatalError: string | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private readonly counters = { blocks: 0, events: 0, handlerCalls: 0, reorgs: 0, retries: 0 };
  private readonly stallAfterMs: number;
  /** First failure of the current run of transient failures. */
  private retrying: { at: number; block: number | null; error: string; attempts: number } | null =
    null;
  /** When the loop first saw the chain ahead of the head without the head advancing since. */
  private behindSince: number | null = null;
  private lastHeadNumber = -1;
  private readonly reorgThreshold: number;
  private readonly pollingIntervalMs: number;
  private readonly progressIntervalMs: number;
  private lastProgress = { at: Date.now(), blocks: 0, events: 0 };

  constructor(private readonly options: IndexerOptions) {
    const { manifest, chain, logger } = options;
    this.cache = new EntityCache(
      options.store,
      readSchemaInfo(manifest.schema),
      maxApiVersion(manifest),
    );
    this.templates = new Map(manifest.templates.map((t) => [t.name, t]));
    this.nonFatal = manifest.features.includes('nonFatalErrors');
    this.reorgThreshold = options.reorgThreshold ?? 250;
    this.pollingIntervalMs = options.pollingIntervalMs ?? 1_000;
    this.progressIntervalMs = options.progressIntervalMs ?? 5_000;
    this.stallAfterMs = options.stallAfterMs ?? 60_000;
    this.services = {
      templates: this.templates,
      ethCall: (to, data, hash) => chain.ethCall(to, data, hash),
      getBalance: (address, hash) => chain.getBalance(address, hash),
      getCode: (address, hash) => chain.getCode(address, hash),
      ipfsCat: options.ipfsCat ?? null,
      logger,
    };
  }

  status(): IndexerStatus {
    return {
      state: this.state,
      head: this.head,
      chainHead: this.chainHead,
      blocksProcessed: this.counters.blocks,
      eventsProcessed: this.counters.events,
      handlerCalls: this.counters.handlerCalls,
      reorgs: this.counters.reorgs,
      fatalError: this.fatalError,
      ...this.health(),
      retrying: this.retrying && {
        block: this.retrying.block,
        error: this.retrying.error,
        attempts: this.retrying.attempts,
        sinceMs: Date.now() - this.retrying.at,
      },
      retries: this.counters.retries,
    };
  }

  private health(): { health: IndexerHealth; healthReason: string | null } {
    if (this.state === 'failed') return { health: 'failed', healthReason: this.fatalError };
    const now = Date.now();
    if (this.retrying && now - this.retrying.at >= this.stallAfterMs) {
      const seconds = Math.round((now - this.retrying.at) / 1000);
      const block = this.retrying.block === null ? '' : ` at block ${this.retrying.block}`;
      return {
        health: 'stalled',
        healthReason: `indexing${block} has failed for ${seconds} s (${this.retrying.attempts} attempts, retrying with back-off): ${this.retrying.error}`,
      };
    }
    if (this.behindSince !== null && now - this.behindSince >= this.stallAfterMs) {
      const seconds = Math.round((now - this.behindSince) / 1000);
      return {
        health: 'stalled',
        healthReason: `the head (block ${this.head?.number ?? 'none'}) has not advanced for ${seconds} s while the chain head is at ${this.chainHead}`,
      };
    }
    return { health: 'healthy', healthReason: null };
  }

  /** Tracks whether the head keeps up with the chain (for the `stalled` health). */
  private noteProgress(): void {
    const head = this.head?.number ?? -1;
    if (head > this.lastHeadNumber || this.chainHead === null || this.chainHead <= head) {
      this.behindSince = null;
    } else {
      this.behindSince ??= Date.now();
    }
    this.lastHeadNumber = Math.max(this.lastHeadNumber, head);
  }

  /** Starts indexing in the background; resolves once data sources are loaded. */
  async start(): Promise<void> {
    await this.restore();
    this.loop = this.run();
  }

  /** Stops after the current block; the store stays consistent (one transaction per block). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    if (this.state !== 'failed') this.state = 'stopped';
  }

  /** Resolves when the indexer has processed `block` (or failed / stopped). */
  async waitFor(block: number, timeoutMs = 60_000): Promise<IndexerStatus> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const s = this.status();
      if ((s.head && s.head.number >= block) || s.state === 'failed' || s.state === 'stopped')
        return s;
      await sleep(20);
    }
    throw new IndexerError(
      `timed out waiting for block ${block} (head ${this.head?.number ?? 'none'})`,
    );
  }

  private async module(file: string, wasm: Uint8Array): Promise<MappingModule> {
    let m = this.modules.get(file);
    if (!m) {
      m = MappingModule.compile(wasm);
      this.modules.set(file, m);
    }
    return m;
  }

  /** Loads static and persisted dynamic data sources and the store's head. */
  private async restore(): Promise<void> {
    const { manifest, store } = this.options;
    this.head = await store.head();
    // graph-node retries a block that failed deterministically when it restarts
    const errors = await store.indexingErrors();
    if (this.head && !this.nonFatal && errors.some((e) => e.block.number === this.head!.number)) {
      this.options.logger.warn(
        { block: this.head.number },
        'retrying the block that failed before the restart',
      );
      await store.revertTo(this.head.number - 1);
      this.head = await store.head();
    }
    this.active = [];
    for (const ds of manifest.dataSources)
      this.active.push(await this.activate(staticSource(ds), this.active.length));
    for (const dyn of await store.dynamicDataSources()) {
      this.active.push(await this.activate(this.dynamicSource(dyn), this.active.length));
    }
    this.rebuildFilter();
  }

  private async activate(running: RunningDataSource, order: number): Promise<ActiveDataSource> {
    return {
      running,
      module: await this.module(running.mapping.file, running.mapping.wasm),
      order,
    };
  }

  private dynamicSource(dyn: DynamicDataSource): RunningDataSource {
    const template = this.templates.get(dyn.template);
    if (!template)
      throw new IndexerError(`stored data source uses unknown template ${dyn.template}`);
    return {
      name: template.name,
      address: dyn.address,
      network: template.network,
      context: dyn.context,
      mapping: template.mapping,
      startBlock: dyn.createdAtBlock,
      endBlock: null,
      template: template.name,
    };
  }

  private rebuildFilter(): void {
    const topics = new Set<Hex>();
    const handlers = [
      ...this.options.manifest.dataSources.map((d) => d.mapping),
      ...this.options.manifest.templates.map((t) => t.mapping),
    ];
    for (const m of handlers) for (const h of m.eventHandlers) topics.add(h.topic0);
    // Templates can be instantiated for any address, so only a template-free subgraph whose data
    // sources all have addresses can filter by address.
    const addresses = this.active.map((a) => a.running.address);
    const byAddress =
      this.options.manifest.templates.length === 0 && addresses.every((a) => a !== null);
    this.filter = { addresses: byAddress ? (addresses as Hex[]) : null, topic0: [...topics] };
  }

  private needsEveryBlock(): boolean {
    return this.active.some((a) =>
      a.running.mapping.blockHandlers.some((h) => h.filter.kind !== 'once'),
    );
  }

  private firstBlock(): number {
    return Math.min(...this.options.manifest.dataSources.map((d) => d.startBlock));
  }

  private async run(): Promise<void> {
    let backoff = 500;
    this.state = 'syncing';
    while (!this.stopping) {
      try {
        const progressed = await this.step();
        backoff = 500;
        this.retrying = null;
        this.noteProgress();
        if ((this.state as IndexerState) === 'failed') return;
        if (!progressed) {
          this.state = 'synced';
          await new Promise<void>((resolve) => {
            this.wake = resolve;
            setTimeout(resolve, this.pollingIntervalMs).unref?.();
          });
          this.wake = null;
        } else if (this.state !== 'synced') {
          this.state = 'syncing';
        }
        this.maybeLogProgress();
      } catch (error) {
        if (error instanceof ReorgDetected) continue;
        if (error instanceof SubgraphFailedError) {
          this.state = 'failed';
          this.fatalError = error.message;
          this.options.logger.error(
            { error: error.message },
            'subgraph failed; indexing stopped (the GraphQL API keeps serving)',
          );
          return;
        }
        // Non-deterministic: RPC, store. Nothing was written for the block; retry with back-off.
        const message = (error as Error).message;
        const block = this.head ? this.head.number + 1 : this.firstBlock();
        this.retrying = {
          at: this.retrying?.at ?? Date.now(),
          block,
          error: message,
          attempts: (this.retrying?.attempts ?? 0) + 1,
        };
        this.counters.retries++;
        this.noteProgress();
        const { health, healthReason } = this.health();
        // Warn while it may still pass; once stalled, every retry is an error-level log.
        if (health === 'stalled') {
          this.options.logger.error({ error: message, retryInMs: backoff, block }, healthReason!);
        } else {
          this.options.logger.warn(
            { error: message, retryInMs: backoff, block },
            'indexing error, retrying',
          );
        }
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  /** One iteration: a range of final blocks or one block near the head. Returns false when idle. */
  private async step(): Promise<boolean> {
    const { chain } = this.options;
    const chainHead = await chain.headNumber();
    this.chainHead = chainHead;
    const next = this.head ? this.head.number + 1 : this.firstBlock();
    if (this.head) await this.checkHeadStillCanonical(chainHead);
    if (next > chainHead) return false;
    const finalUpTo = chainHead - this.reorgThreshold;
    if (next <= finalUpTo && !this.needsEveryBlock()) {
      await this.processRange(next, finalUpTo);
    } else {
      await this.processNearHead(next);
    }
    return true;
  }

  /** A changed hash at our head means a reorg: walk back to the common ancestor and revert. */
  private async checkHeadStillCanonical(chainHead: number): Promise<void> {
    const head = this.head!;
    if (head.number > chainHead) {
      await this.handleReorg();
      return;
    }
    const onChain = await this.options.chain.client.getBlock({ blockNumber: BigInt(head.number) });
    if (onChain.hash !== head.hash) await this.handleReorg();
  }

  private async handleReorg(): Promise<void> {
    const { store, chain, logger } = this.options;
    const head = this.head!;
    let ancestor = head.number - 1;
    for (; ancestor >= 0; ancestor--) {
      const stored = await store.blockPtr(ancestor);
      if (!stored) {
        if (ancestor < this.firstBlock()) break;
        continue;
      }
      const onChain = await chain.client
        .getBlock({ blockNumber: BigInt(ancestor) })
        .catch(() => null);
      if (onChain && onChain.hash === stored.hash) break;
    }
    logger.warn(
      { from: head.number, to: ancestor },
      'chain reorganisation: reverting to the common ancestor',
    );
    await store.revertTo(ancestor);
    this.counters.reorgs++;
    this.cache.reset();
    this.head = await store.head();
    await this.restore();
    throw new ReorgDetected();
  }

  private async processRange(from: number, finalUpTo: number): Promise<void> {
    const { chain } = this.options;
    const { logs, to } = await chain.logsInRange(this.filter, from, finalUpTo);
    const byBlock = new Map<number, ChainLog[]>();
    for (const log of logs) {
      const n = Number(log.blockNumber);
      let list = byBlock.get(n);
      if (!list) byBlock.set(n, (list = []));
      list.push(log);
    }
    // `once` block handlers fire at their data source's start block even when it has no logs
    for (const a of this.active) {
      const n = a.running.startBlock;
      if (
        n >= from &&
        n <= to &&
        a.running.mapping.blockHandlers.some((h) => h.filter.kind === 'once') &&
        !byBlock.has(n)
      ) {
        byBlock.set(n, []);
      }
    }
    const numbers = [...byBlock.keys()]
      .filter((n) => byBlock.get(n)!.length === 0 || this.blockHasTriggers(n, byBlock.get(n)!))
      .sort((a, b) => a - b);
    // Fetch a few blocks ahead while handlers run.
    const prefetch = new Map<number, Promise<FullBlock>>();
    const fetchAhead = (i: number): void => {
      for (let j = i; j < Math.min(numbers.length, i + 8); j++) {
        const n = numbers[j]!;
        if (!prefetch.has(n)) prefetch.set(n, chain.blockByNumber(n));
      }
    };
    for (let i = 0; i < numbers.length && !this.stopping; i++) {
      fetchAhead(i);
      const n = numbers[i]!;
      const full = await prefetch.get(n)!;
      prefetch.delete(n);
      const blockLogs = byBlock.get(n)!.sort((a, b) => Number(a.logIndex - b.logIndex));
      if (blockLogs.some((l) => l.blockHash !== full.block.hash)) throw new ReorgDetected();
      await this.processBlock(full, blockLogs);
      if (this.state === 'failed') throw new SubgraphFailedError(this.fatalError ?? 'failed');
    }
    if (this.stopping) return;
    if (!this.head || this.head.number < to) {
      // advance the head over blocks without triggers
      const last = await chain.client.getBlock({ blockNumber: BigInt(to) });
      const ptr: BlockPtr = {
        number: to,
        hash: last.hash,
        parentHash: last.parentHash,
        timestamp: Number(last.timestamp),
      };
      await this.options.store.transactBlock(ptr, [], []);
      this.head = ptr;
    }
  }

  private async processNearHead(n: number): Promise<void> {
    const { chain } = this.options;
    const full = await chain.blockByNumber(n);
    if (this.head && this.head.number === n - 1 && full.block.parentHash !== this.head.hash) {
      await this.handleReorg();
    }
    const logs = (await chain.logsByHash(this.filter, full.block.hash)).sort((a, b) =>
      Number(a.logIndex - b.logIndex),
    );
    await this.processBlock(full, logs);
    if (this.state === 'failed') throw new SubgraphFailedError(this.fatalError ?? 'failed');
  }

  private blockHasTriggers(n: number, logs: readonly ChainLog[]): boolean {
    if (this.options.manifest.templates.length > 0) return logs.length > 0;
    return logs.some((log) => this.active.some((a) => this.matchHandler(a, log, n) !== null));
  }

  private matchHandler(
    ds: ActiveDataSource,
    log: ChainLog,
    blockNumber: number,
  ): EventHandlerSpec | null {
    const r = ds.running;
    if (blockNumber < r.startBlock || (r.endBlock !== null && blockNumber > r.endBlock))
      return null;
    if (r.address !== null && r.address !== log.address) return null;
    for (const h of r.mapping.eventHandlers) {
      if (h.topic0 !== log.topics[0]) continue;
      const ok = h.topicFilters.every((filter, i) => {
        if (filter === null) return true;
        const topic = log.topics[i + 1];
        return topic !== undefined && filter.includes(topic.toLowerCase() as Hex);
      });
      if (ok) return h;
    }
    return null;
  }

  /** Runs every trigger of one block for `sources`, in graph-node's order. */
  private async runTriggers(
    sources: readonly ActiveDataSource[],
    full: FullBlock,
    logs: readonly ChainLog[],
    ctxBase: Omit<TriggerContext, 'dataSource'>,
    receipts: Map<Hex, ChainReceipt>,
  ): Promise<{ failed: boolean }> {
    const n = Number(full.block.number);
    const triggers: Trigger[] = [
      { kind: 'block', phase: 'start' },
      ...logs.map((log) => ({ kind: 'log', log }) as const),
      { kind: 'block', phase: 'end' },
    ];
    for (const trigger of triggers) {
      for (const ds of sources) {
        const r = ds.running;
        if (trigger.kind === 'block') {
          if (n < r.startBlock || (r.endBlock !== null && n > r.endBlock)) continue;
          for (const h of r.mapping.blockHandlers) {
            const fires =
              trigger.phase === 'start'
                ? h.filter.kind === 'once' && n === r.startBlock
                : h.filter.kind === 'every' ||
                  (h.filter.kind === 'polling' && (n - r.startBlock) % h.filter.every === 0);
            if (!fires) continue;
            const ok = await this.invoke(
              ds,
              h.handler,
              { ...ctxBase, dataSource: r },
              full,
              null,
              (heap) => writeBlock(heap, full.block),
            );
            if (!ok) return { failed: true };
          }
          continue;
        }
        const log = trigger.log;
        const handler = this.matchHandler(ds, log, n);
        if (!handler) continue;
        let params;
        try {
          params = decodeEventParams(handler.abiEvent.inputs, log.topics, log.data);
        } catch {
          continue; // graph-node skips logs its ABI cannot decode
        }
        const transaction = full.transactions.get(log.transactionHash);
        if (!transaction) throw new ReorgDetected();
        let receipt: ChainReceipt | null = null;
        if (handler.receipt) {
          receipt = receipts.get(log.transactionHash) ?? null;
          if (!receipt) {
            receipt = await this.options.chain.receipt(log.transactionHash);
            receipts.set(log.transactionHash, receipt);
          }
        }
        this.counters.events++;
        const ok = await this.invoke(
          ds,
          handler.handler,
          { ...ctxBase, dataSource: r },
          full,
          log,
          (heap) => writeEvent(heap, { log, block: full.block, transaction, params, receipt }),
        );
        if (!ok) return { failed: true };
      }
    }
    return { failed: false };
  }

  private pendingErrors: { handler: string; message: string }[] = [];

  /** Runs one handler; deterministic failures are recorded (returns false unless nonFatalErrors). */
  private async invoke(
    ds: ActiveDataSource,
    handler: string,
    ctx: TriggerContext,
    full: FullBlock,
    log: ChainLog | null,
    writeArg: Parameters<MappingModule['run']>[2],
  ): Promise<boolean> {
    this.counters.handlerCalls++;
    try {
      await ds.module.run(ctx, handler, writeArg);
      return true;
    } catch (error) {
      if (!(error instanceof DeterministicError)) throw error;
      const prefix = log ? `transaction ${log.transactionHash.slice(2)}: ` : '';
      const message = `${prefix}${error.message}`;
      this.options.logger.error(
        { block: Number(full.block.number), dataSource: ds.running.name, handler },
        `handler failed: ${message}`,
      );
      this.pendingErrors.push({ handler, message });
      return this.nonFatal;
    }
  }

  private async processBlock(full: FullBlock, logs: readonly ChainLog[]): Promise<void> {
    const { store } = this.options;
    const n = Number(full.block.number);
    const ptr: BlockPtr = {
      number: n,
      hash: full.block.hash,
      parentHash: full.block.parentHash,
      timestamp: Number(full.block.timestamp),
    };
    this.cache.startBlock(n);
    this.pendingErrors = [];
    const created: DynamicDataSource[] = [];
    const ctxBase = {
      block: full.block,
      cache: this.cache,
      created,
      asyncResults: new Map<string, unknown>(),
      services: this.services,
    };
    const receipts = new Map<Hex, ChainReceipt>();
    let sources: ActiveDataSource[] = this.active;
    let failed = false;
    let seen = 0;
    const newSources: ActiveDataSource[] = [];
    // graph-node: data sources created in a block scan the same block after the existing ones,
    // breadth-first, until no more are created.
    for (;;) {
      const result = await this.runTriggers(sources, full, logs, ctxBase, receipts);
      if (result.failed) {
        failed = true;
        break;
      }
      if (created.length === seen) break;
      const batch: ActiveDataSource[] = [];
      for (const dyn of created.slice(seen)) {
        const a = await this.activate(
          this.dynamicSource(dyn),
          this.active.length + newSources.length + batch.length,
        );
        batch.push(a);
      }
      seen = created.length;
      newSources.push(...batch);
      sources = batch;
    }
    let operations: EntityOperation[] = [];
    if (!failed) {
      try {
        operations = await this.cache.flush();
      } catch (error) {
        // entity validation that could only run once the stored version was loaded
        if (!(error instanceof DeterministicError)) throw error;
        this.pendingErrors.push({ handler: '(store)', message: error.message });
        failed = true;
      }
    }
    if (failed) {
      // graph-node without nonFatalErrors: nothing of the block is written, the error is recorded
      // at the block, the head moves to it and the subgraph stops.
      const first = this.pendingErrors[0]!;
      await store.recordIndexingError({
        block: ptr,
        handler: first.handler,
        message: first.message,
      });
      await store.transactBlock(ptr, [], []);
      this.head = ptr;
      this.cache.startBlock(n);
      this.state = 'failed';
      this.fatalError = first.message;
      this.counters.blocks++;
      return;
    }
    for (const e of this.pendingErrors) {
      await store.recordIndexingError({ block: ptr, handler: e.handler, message: e.message });
    }
    try {
      await store.transactBlock(ptr, operations, created);
    } catch (error) {
      if (!(error instanceof ImmutableEntityError)) throw error;
      // graph-node fails the subgraph when an immutable entity is written again in a later block
      this.cache.reset();
      await store.recordIndexingError({ block: ptr, handler: '(store)', message: error.message });
      await store.transactBlock(ptr, [], []);
      this.head = ptr;
      this.state = 'failed';
      this.fatalError = error.message;
      return;
    }
    this.head = ptr;
    this.active.push(...newSources);
    if (newSources.length > 0) this.rebuildFilter();
    this.counters.blocks++;
  }

  private maybeLogProgress(force = false): void {
    const now = Date.now();
    const elapsed = now - this.lastProgress.at;
    if (!force && elapsed < this.progressIntervalMs) return;
    const blocks = this.counters.blocks - this.lastProgress.blocks;
    const events = this.counters.events - this.lastProgress.events;
    const lag = this.chainHead !== null && this.head ? this.chainHead - this.head.number : null;
    this.options.logger.info(
      {
        block: this.head?.number ?? null,
        chainHead: this.chainHead,
        headLag: lag,
        blocksPerSec: Math.round((blocks * 1000) / Math.max(1, elapsed)),
        eventsPerSec: Math.round((events * 1000) / Math.max(1, elapsed)),
        state: this.state,
      },
      'indexing progress',
    );
    this.lastProgress = { at: now, blocks: this.counters.blocks, events: this.counters.events };
  }
}

function staticSource(ds: DataSourceSpec): RunningDataSource {
  return {
    name: ds.name,
    address: ds.address,
    network: ds.network,
    context: ds.context,
    mapping: ds.mapping,
    startBlock: ds.startBlock,
    endBlock: ds.endBlock,
    template: null,
  };
}

function maxApiVersion(manifest: SubgraphManifest): string {
  const versions = [...manifest.dataSources, ...manifest.templates].map(
    (d) => d.mapping.apiVersion,
  );
  return versions.sort().at(-1) ?? '0.0.9';
}
