import { Engine, evaluate, EngineError, type ContentStore, type TrainingState } from '@um/engine';
import { attestationTypedData, decodeSpec } from '@um/protocol';
import { modelMarketAbi, operatorRegistryAbi, umTokenAbi } from '@um/protocol/abis';
import { parseEther, type Address, type Hex } from 'viem';
import type { ChainConnection } from '../chain/client.js';
import { sendRecorded } from '../chain/tx.js';
import { catWithin, cidOf } from '../content/store.js';
import { AttestationRejectedError, BadContentError, ContentUnavailableError } from '../errors.js';
import { hasFault, type Fault } from '../faults.js';
import type { ServiceStatus } from '../http/server.js';
import { Journal } from '../journal.js';
import type { Logger } from '../log.js';
import type { WorkerMetrics } from '../metrics.js';
import { sleep } from '../util.js';
import type { Role } from './role.js';

/** Candidate status enum of ModelMarket. */
const CandidateStatus = { None: 0, Pending: 1 } as const;

/** What an operator sends the aggregator (POST /attestations). */
export interface AttestationSubmission {
  readonly candidateId: string;
  readonly score: string;
  readonly operator: Address;
  readonly signature: Hex;
}

interface EvaluatorJournal {
  readonly version: 1;
  readonly cursor?: string;
  /** Candidates seen and not yet settled (ids as strings). */
  readonly queue: readonly string[];
  readonly attested: readonly string[];
  /** Signed attestations of pending candidates, resent until the candidate settles. */
  readonly signed?: Readonly<Record<string, AttestationSubmission>>;
}

export interface EvaluatorOptions {
  readonly conn: ChainConnection;
  readonly store: ContentStore;
  readonly market: Address;
  readonly center: Address;
  readonly registry: Address;
  readonly token: Address;
  readonly aggregatorUrl: string;
  readonly journalPath: string;
  readonly log: Logger;
  readonly metrics: WorkerMetrics;
  readonly faults?: readonly Fault[];
  /** Stake to register with (UM, decimal), if this account is not an operator yet. */
  readonly registerStake?: string;
  /** Only these tasks (default: all). */
  readonly tasks?: readonly bigint[];
  readonly pollMs?: number;
  readonly fromBlock?: bigint;
  /** Blocks an event must be buried under before it is acted on (reorg safety; default 0). */
  readonly confirmations?: number;
  readonly contentTimeoutMs?: number;
}

/** Score offset of the wrong-score fault: +0.1 in the 1e6 fixed point. */
export const WRONG_SCORE_OFFSET = 100_000n;

/**
 * The operator: registers its stake if asked, follows CandidateSubmitted, waits for each
 * candidate's seed block, records the seed, evaluates the parameters (hash-checked against
 * paramsHash) with the task's evaluation spec (hash-checked against evalSpecHash), signs the
 * EIP-712 attestation and sends it to the aggregator.
 */
export class Evaluator implements Role {
  readonly id = 'evaluator';
  readonly name = 'Evaluator';
  readonly description = 'evaluates market candidates on seed-drawn inputs and signs the score';
  private state: ServiceStatus = 'Initializing';
  private readonly journal: Journal<EvaluatorJournal>;
  private readonly log: Logger;
  private readonly engines = new Map<Hex, Engine>();
  private readonly lastSent = new Map<string, number>();

  constructor(private readonly options: EvaluatorOptions) {
    this.journal = new Journal<EvaluatorJournal>(options.journalPath, () => ({
      version: 1,
      queue: [],
      attested: [],
    }));
    this.log = options.log.child({ role: 'evaluate' });
  }

  status(): ServiceStatus {
    return this.state;
  }

  private get me(): Address {
    return this.options.conn.account.address;
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.ensureRegistered();
    this.state = 'Up';
    this.options.metrics.up.set({ role: 'evaluate' }, 1);
    this.log.info({ operator: this.me }, 'evaluator started');
    try {
      while (!signal.aborted) {
        try {
          await this.tick(signal);
        } catch (error) {
          if (signal.aborted) break;
          this.options.metrics.chainErrors.inc({ operation: 'evaluate' });
          this.log.error({ err: error }, 'evaluator step failed; retrying');
        }
        await sleep(this.options.pollMs ?? 1_000, signal);
      }
    } finally {
      this.options.metrics.up.set({ role: 'evaluate' }, 0);
      this.state = 'Down';
      for (const engine of this.engines.values()) engine.dispose();
    }
  }

  private async ensureRegistered(): Promise<void> {
    const { conn, registry, token } = this.options;
    if (!this.options.registerStake) return;
    const stake = await conn.publicClient.readContract({
      address: registry,
      abi: operatorRegistryAbi,
      functionName: 'stakeOf',
      args: [this.me],
    });
    if (stake > 0n) return;
    const amount = parseEther(this.options.registerStake);
    await sendRecorded(conn, 'approve', {
      address: token,
      abi: umTokenAbi,
      functionName: 'approve',
      args: [registry, amount],
    });
    await sendRecorded(conn, 'register', {
      address: registry,
      abi: operatorRegistryAbi,
      functionName: 'register',
      args: [amount],
    });
    this.log.info({ stake: this.options.registerStake }, 'registered as an operator');
  }

  async tick(signal: AbortSignal): Promise<void> {
    const { conn, market } = this.options;
    const head = await conn.publicClient.getBlockNumber();
    const latest = head - BigInt(this.options.confirmations ?? 0);
    if (latest < 0n) return;
    const journal = this.journal.read();
    const fromBlock = journal.cursor ? BigInt(journal.cursor) + 1n : (this.options.fromBlock ?? 0n);
    if (fromBlock <= latest) {
      const logs = await conn.publicClient.getContractEvents({
        address: market,
        abi: modelMarketAbi,
        eventName: 'CandidateSubmitted',
        fromBlock,
        toBlock: latest,
      });
      const wanted = logs
        .filter((l) => !this.options.tasks?.length || this.options.tasks.includes(l.args.taskId!))
        .map((l) => l.args.candidateId!.toString());
      this.journal.update((j) => ({
        ...j,
        cursor: latest.toString(),
        queue: [...new Set([...j.queue, ...wanted])],
      }));
    }
    for (const id of this.journal.read().queue) {
      if (signal.aborted) return;
      const done = await this.handle(BigInt(id), latest);
      if (done)
        this.journal.update((j) => ({
          ...j,
          queue: j.queue.filter((q) => q !== id),
          attested: [...j.attested, id].slice(-1000),
          signed: Object.fromEntries(Object.entries(j.signed ?? {}).filter(([key]) => key !== id)),
        }));
    }
  }

  /** Returns true once the candidate needs nothing more from us. */
  private async handle(candidateId: bigint, latest: bigint): Promise<boolean> {
    const { conn, market, registry } = this.options;
    const log = this.log.child({ candidateId: candidateId.toString() });
    let candidate = await conn.publicClient.readContract({
      address: market,
      abi: modelMarketAbi,
      functionName: 'getCandidate',
      args: [candidateId],
    });
    if (candidate.status !== CandidateStatus.Pending) return true;
    const signed = this.journal.read().signed?.[candidateId.toString()];
    if (signed) return this.resend(signed, log);
    if (candidate.seed === `0x${'0'.repeat(64)}`) {
      if (latest <= BigInt(candidate.seedBlock)) return false; // the seed block has not been mined yet
      await sendRecorded(conn, `recordSeed(${candidateId})`, {
        address: market,
        abi: modelMarketAbi,
        functionName: 'recordSeed',
        args: [candidateId],
      });
      candidate = await conn.publicClient.readContract({
        address: market,
        abi: modelMarketAbi,
        functionName: 'getCandidate',
        args: [candidateId],
      });
    }
    const stake = await conn.publicClient.readContract({
      address: registry,
      abi: operatorRegistryAbi,
      functionName: 'stakeAt',
      args: [this.me, BigInt(candidate.seedBlock)],
    });
    if (stake === 0n) {
      log.info('not an operator at the seed block; skipping');
      return true;
    }
    const task = await conn.publicClient.readContract({
      address: market,
      abi: modelMarketAbi,
      functionName: 'getTask',
      args: [candidate.taskId],
    });
    let score: bigint;
    try {
      const engine = await this.engineFor(task.config.evalSpecURI, task.config.evalSpecHash);
      const state = await this.loadParams(engine, candidate.paramsURI, candidate.paramsHash);
      score = evaluate(engine, state, candidate.seed).score;
    } catch (error) {
      if (error instanceof ContentUnavailableError) {
        this.options.metrics.ipfsErrors.inc({ operation: 'cat' });
        log.warn({ err: error }, 'candidate content unavailable; will retry');
        return false;
      }
      if (error instanceof BadContentError) {
        // Parameters that do not match paramsHash cannot be scored: no signature, the candidate expires.
        log.warn({ err: error }, 'candidate parameters do not match paramsHash; not attesting');
        return true;
      }
      throw error;
    }
    if (hasFault(this.options.faults ?? [], 'wrong-score')) {
      score += WRONG_SCORE_OFFSET;
      log.warn('FAULT wrong-score: signing a wrong score');
    }
    const signature = await conn.account.signTypedData(
      attestationTypedData(
        { chainId: conn.chainId, attestationCenter: this.options.center },
        {
          candidateId,
          paramsHash: candidate.paramsHash,
          seed: candidate.seed,
          score,
        },
      ),
    );
    this.options.metrics.attestationsSigned.inc();
    const body: AttestationSubmission = {
      candidateId: candidateId.toString(),
      score: score.toString(),
      operator: this.me,
      signature,
    };
    // Journal the signature first: after a restart it is resent, never re-evaluated.
    this.journal.update((j) => ({ ...j, signed: { ...j.signed, [body.candidateId]: body } }));
    log.info({ score: score.toString() }, 'attestation signed');
    return this.send(body, log);
  }

  /**
   * Resends a signed attestation every resend interval while the candidate is pending, so an
   * aggregator that restarted (tallies are in memory) or another aggregator still reaches quorum.
   */
  private async resend(body: AttestationSubmission, log: Logger): Promise<boolean> {
    const last = this.lastSent.get(body.candidateId) ?? 0;
    if (Date.now() - last < Math.max(5_000, 20 * (this.options.pollMs ?? 1_000))) return false;
    return this.send(body, log);
  }

  /** POSTs to the aggregator; false keeps the candidate queued (resent until it settles). */
  private async send(body: AttestationSubmission, log: Logger): Promise<boolean> {
    this.lastSent.set(body.candidateId, Date.now());
    let response: Response;
    try {
      response = await fetch(`${this.options.aggregatorUrl.replace(/\/+$/, '')}/attestations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (error) {
      log.warn({ err: error }, 'aggregator unreachable; will resend');
      return false;
    }
    const text = await response.text();
    if (response.status >= 500)
      throw new AttestationRejectedError(`aggregator answered ${response.status}: ${text}`);
    if (!response.ok) {
      log.warn({ status: response.status, body: text }, 'aggregator rejected the attestation');
      return true;
    }
    log.info({ answer: text }, 'attestation sent');
    return false;
  }

  private async engineFor(uri: string, hash: Hex): Promise<Engine> {
    const cached = this.engines.get(hash);
    if (cached) return cached;
    const bytes = await catWithin(
      this.options.store,
      uri,
      undefined,
      this.options.contentTimeoutMs ?? 15_000,
    );
    let engine: Engine;
    try {
      engine = await Engine.create(decodeSpec(bytes, { expectedHash: hash }));
    } catch (error) {
      throw new BadContentError(cidOf(uri), `evaluation spec: ${(error as Error).message}`);
    }
    this.engines.set(hash, engine);
    return engine;
  }

  private async loadParams(engine: Engine, uri: string, paramsHash: Hex): Promise<TrainingState> {
    const names = ['model.json', 'weights.bin', 'optimizer.bin'] as const;
    const timeout = this.options.contentTimeoutMs ?? 15_000;
    const files = await Promise.all(
      names.map((n) => catWithin(this.options.store, uri, n, timeout)),
    );
    try {
      return engine.loadCheckpoint(
        { 'model.json': files[0]!, 'weights.bin': files[1]!, 'optimizer.bin': files[2]! },
        { expectedHash: paramsHash },
      );
    } catch (error) {
      if (error instanceof EngineError) throw new BadContentError(cidOf(uri), error.message);
      throw error;
    }
  }
}
