import { createPublicClient, custom, type PublicClient } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/manifest/index.js';
import { ChainSource, SubgraphIndexer } from '../../src/ingest/index.js';
import type { EntityData, StoreValue } from '../../src/store/types.js';
import { Anvil } from '../support/anvil.js';
import { memoryLogger } from '../support/logger.js';
import { MemoryStore } from '../support/memory-store.js';
import {
  buildTestSubgraph,
  emitterArtifacts,
  type EmitterArtifacts,
  removeTestBuilds,
} from '../support/subgraph.js';

const big = (v: StoreValue | undefined): bigint => (v?.kind === 'BigInt' ? v.value : -999n);
const int = (v: StoreValue | undefined): number => (v?.kind === 'Int' ? v.value : -999);

let anvil: Anvil;
let artifacts: EmitterArtifacts;
let emitter: `0x${string}`;
let deployBlock: number;
let buildDir: string;

beforeAll(async () => {
  anvil = await Anvil.start();
  artifacts = await emitterArtifacts();
  ({ address: emitter, block: deployBlock } = await anvil.deploy(
    artifacts.Emitter.abi,
    artifacts.Emitter.bytecode,
  ));
  buildDir = await buildTestSubgraph(emitter, deployBlock);
}, 180_000);

afterAll(async () => {
  await anvil?.stop();
  await removeTestBuilds();
});

async function indexer(store: MemoryStore, reorgThreshold: number) {
  const manifest = await loadManifest(buildDir);
  const logger = memoryLogger();
  const chain = new ChainSource(anvil.publicClient, { initial: 3, min: 1, max: 1_000 });
  const ix = new SubgraphIndexer({
    manifest,
    store,
    chain,
    logger,
    reorgThreshold,
    pollingIntervalMs: 50,
  });
  return { ix, logger, chain };
}

describe('ingestion over a real anvil chain', () => {
  const store = new MemoryStore();

  it('indexes events in (block, log index) order, templates, receipts, eth_call and block handlers', async () => {
    await anvil.send(emitter, artifacts.Emitter.abi, 'emitMany', [5n]);
    await anvil.send(emitter, artifacts.Emitter.abi, 'emitMany', [5n]);
    await anvil.send(emitter, artifacts.Emitter.abi, 'createChild');
    await anvil.test.mine({ blocks: 4 });
    const head = await anvil.blockNumber();
    // threshold 2: older blocks go through ranged eth_getLogs, the last two one by one
    const { ix } = await indexer(store, 2);
    await ix.start();
    const status = await ix.waitFor(head);
    await ix.stop();
    expect(status.state).not.toBe('failed');
    expect(status.head?.number).toBe(head);

    const pings = store.all('Ping');
    expect(pings).toHaveLength(10);
    expect(int(store.all('Counter')[0]?.count)).toBe(10);
    const start = store.all('Start')[0]!;
    expect(big(start.number)).toBe(BigInt(deployBlock));

    const [child] = store.all('Child') as EntityData[];
    // Pinged(1) in the constructor has a lower log index than ChildCreated, and graph-node's
    // rescan of the creation block includes it; Pinged(7) follows.
    expect(int(child!.pings)).toBe(2);
    expect(big(child!.sum)).toBe(8n);
    expect(big(child!.total)).toBe(10n); // ethereum.call Emitter.total() at the block
    expect(int(child!.receiptLogs)).toBe(3); // receipt: true
    expect(await store.dynamicDataSources()).toEqual([
      expect.objectContaining({
        template: 'Child',
        address: child!.id!.kind === 'String' ? child!.id.value : '',
      }),
    ]);
  }, 120_000);

  it('resumes from the store head after a restart without indexing anything twice', async () => {
    const before = store.writes.length;
    await anvil.send(emitter, artifacts.Emitter.abi, 'emitMany', [3n]);
    const head = await anvil.blockNumber();
    const { ix } = await indexer(store, 2);
    await ix.start();
    await ix.waitFor(head);
    await ix.stop();
    expect(store.all('Ping')).toHaveLength(13);
    expect(int(store.all('Counter')[0]?.count)).toBe(13);
    const written = store.writes.slice(before).map((w) => w.block);
    expect(new Set(written).size).toBe(written.length);
    expect(Math.min(...written)).toBeGreaterThan(store.writes[before - 1]!.block);
  }, 120_000);

  it('reverts entities above the common ancestor when the chain reorganises', async () => {
    const snapshot = await anvil.test.snapshot();
    await anvil.send(emitter, artifacts.Emitter.abi, 'emitMany', [4n]); // will be orphaned
    const orphanHead = await anvil.blockNumber();
    const { ix, logger } = await indexer(store, 250);
    await ix.start();
    await ix.waitFor(orphanHead);
    expect(store.all('Ping')).toHaveLength(17);
    const orphanHash = (await store.head())!.hash;

    await anvil.test.revert({ id: snapshot });
    await anvil.send(emitter, artifacts.Emitter.abi, 'emitMany', [1n]);
    await anvil.test.mine({ blocks: 2 });
    const newHead = await anvil.blockNumber();
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const h = await store.head();
      if (h && h.number === newHead && h.hash !== orphanHash) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await ix.stop();
    expect(ix.status().reorgs).toBeGreaterThanOrEqual(1);
    expect(logger.lines.some((l) => l.msg.includes('reorganisation'))).toBe(true);
    expect(store.all('Ping')).toHaveLength(14);
    expect(int(store.all('Counter')[0]?.count)).toBe(14);
    const onChain = await anvil.publicClient.getBlock({ blockNumber: BigInt(newHead) });
    expect((await store.head())!.hash).toBe(onChain.hash);
  }, 120_000);

  it('records a deterministic handler failure at its block and stops, like graph-node', async () => {
    const failing = new MemoryStore();
    const block = await anvil.send(emitter, artifacts.Emitter.abi, 'pingValue', [4242n]);
    const { ix } = await indexer(failing, 250);
    await ix.start();
    const status = await ix.waitFor(block);
    await ix.stop();
    expect(status.state).toBe('failed');
    const [error] = await failing.indexingErrors();
    expect(error?.block.number).toBe(block);
    expect(error?.handler).toBe('handlePing');
    expect(error?.message).toMatch(
      /^transaction [0-9a-f]{64}: Critical error logged in mapping with log message: ping value 4242 is not allowed$/,
    );
    // nothing of the failing block is written, earlier blocks are
    expect(failing.all('Ping').every((p) => big(p.blockNumber) < BigInt(block))).toBe(true);
    expect((await failing.head())?.number).toBe(block);
  }, 120_000);
});

describe('anvil_reorg', () => {
  it('replaces the last blocks: their entities are reverted and the new blocks indexed', async () => {
    const store = new MemoryStore();
    // start after the blocks of earlier tests (one of them fails the mapping on purpose)
    const dir = await buildTestSubgraph(emitter, (await anvil.blockNumber()) + 1);
    const ix = new SubgraphIndexer({
      manifest: await loadManifest(dir),
      store,
      chain: new ChainSource(anvil.publicClient),
      logger: memoryLogger(),
      reorgThreshold: 250,
      pollingIntervalMs: 50,
    });
    await ix.start();
    await anvil.send(emitter, artifacts.Emitter.abi, 'emitMany', [2n]);
    const orphan = await anvil.blockNumber();
    await ix.waitFor(orphan);
    const before = store.all('Ping').length;
    const orphanHash = (await store.head())!.hash;
    // replace the last block with an empty one (and no transactions)
    await anvil.publicClient.request({ method: 'anvil_reorg', params: [1, []] } as never);
    await anvil.test.mine({ blocks: 1 });
    const head = await anvil.blockNumber();
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const h = await store.head();
      if (h && h.number >= head && (await store.blockPtr(orphan))?.hash !== orphanHash) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await ix.stop();
    expect(before).toBe(2);
    expect(store.all('Ping')).toHaveLength(0);
    expect((await store.blockPtr(orphan))?.hash).not.toBe(orphanHash);
  }, 120_000);
});

describe('features: [nonFatalErrors]', () => {
  it('skips only the failing handler, records the error and keeps indexing', async () => {
    const store = new MemoryStore();
    const dir = await buildTestSubgraph(emitter, deployBlock, { nonFatalErrors: true });
    const manifest = await loadManifest(dir);
    expect(manifest.features).toEqual(['nonFatalErrors']);
    const bad = await anvil.send(emitter, artifacts.Emitter.abi, 'pingValue', [4242n]);
    const good = await anvil.send(emitter, artifacts.Emitter.abi, 'pingValue', [7n]);
    const chain = new ChainSource(anvil.publicClient);
    const ix = new SubgraphIndexer({
      manifest,
      store,
      chain,
      logger: memoryLogger(),
      reorgThreshold: 250,
      pollingIntervalMs: 50,
    });
    await ix.start();
    const status = await ix.waitFor(good);
    await ix.stop();
    expect(status.state).not.toBe('failed');
    const errors = await store.indexingErrors();
    // (an earlier test on this chain emitted 4242 too)
    expect(errors.map((e) => e.block.number)).toContain(bad);
    expect(errors.every((e) => e.message.includes('ping value 4242 is not allowed'))).toBe(true);
    const values = store.all('Ping').map((p) => big(p.value));
    expect(values).toContain(7n);
    expect(values).not.toContain(4242n);
  }, 120_000);
});

describe('adaptive eth_getLogs ranges', () => {
  it('shrinks when the node refuses a range and still returns every log', async () => {
    // a provider that, like hosted RPCs, refuses ranges over 2 blocks
    const limited = createPublicClient({
      transport: custom(
        {
          async request({ method, params }) {
            if (method === 'eth_getLogs') {
              const [filter] = params as [{ fromBlock?: string; toBlock?: string }];
              if (filter.fromBlock && Number(filter.toBlock) - Number(filter.fromBlock) > 1) {
                throw new Error('query returned more than 10000 results');
              }
            }
            return anvil.publicClient.request({ method, params } as never);
          },
        },
        { retryCount: 0 },
      ),
    }) as PublicClient;
    for (let i = 0; i < 3; i++) await anvil.send(emitter, artifacts.Emitter.abi, 'emitMany', [5n]);
    const chain = new ChainSource(limited, { initial: 64, min: 1, max: 1_000 });
    const head = await anvil.blockNumber();
    const manifest = await loadManifest(buildDir);
    const topic0 = manifest.dataSources[0]!.mapping.eventHandlers.map((h) => h.topic0);
    let from = deployBlock;
    let count = 0;
    while (from <= head) {
      const { logs, to } = await chain.logsInRange({ addresses: null, topic0 }, from, head);
      expect(to - from).toBeLessThanOrEqual(1);
      count += logs.length;
      from = to + 1;
    }
    const all = await anvil.publicClient.getLogs({
      fromBlock: BigInt(deployBlock),
      toBlock: BigInt(head),
    });
    expect(count).toBe(all.filter((l) => topic0.includes(l.topics[0]!)).length);
    expect(count).toBeGreaterThan(10);
  }, 60_000);
});

describe('failures are never silent', () => {
  it('a transient failure that keeps repeating turns the health to stalled, with the reason', async () => {
    // a node that answers everything but eth_getLogs, as a flaky or misconfigured RPC would
    const broken = createPublicClient({
      transport: custom(
        {
          async request({ method, params }) {
            if (method === 'eth_getLogs') throw new Error('upstream connect error (503)');
            return anvil.publicClient.request({ method, params } as never);
          },
        },
        { retryCount: 0 },
      ),
    }) as PublicClient;
    await anvil.send(emitter, artifacts.Emitter.abi, 'emitMany', [1n]);
    const logger = memoryLogger();
    const ix = new SubgraphIndexer({
      manifest: await loadManifest(buildDir),
      store: new MemoryStore(),
      chain: new ChainSource(broken, { initial: 3, min: 1, max: 1_000 }),
      logger,
      reorgThreshold: 250,
      pollingIntervalMs: 50,
      stallAfterMs: 700,
    });
    await ix.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const early = ix.status();
      expect(early.health).toBe('healthy'); // may still pass on a retry
      expect(early.retrying?.error).toMatch(/upstream connect error/);
      let status = ix.status();
      for (let i = 0; i < 50 && status.health !== 'stalled'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = ix.status();
      }
      expect(status.health).toBe('stalled');
      expect(status.state).not.toBe('failed'); // transient: still retrying
      expect(status.healthReason).toMatch(
        new RegExp(
          `^indexing at block ${deployBlock} has failed for \\d+ s \\(\\d+ attempts, retrying with back-off\\): [\\s\\S]*upstream connect error`,
        ),
      );
      expect(status.retries).toBeGreaterThanOrEqual(2);
    } finally {
      await ix.stop();
    }
  }, 60_000);
});
