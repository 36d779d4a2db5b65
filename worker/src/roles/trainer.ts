import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedIpfs } from '@um/engine/node';
import { trainingRunAbi } from '@um/protocol/abis';
import { parseEventLogs, type Address, type Hex } from 'viem';
import type { ChainConnection } from '../chain/client.js';
import { broadcastAndWait, sendRecorded, TxRevertedError, type SignedTx } from '../chain/tx.js';
import type { ContentStore } from '../content/store.js';
import { BadContentError, ContentUnavailableError } from '../errors.js';
import { hasFault, type Fault } from '../faults.js';
import type { ServiceStatus } from '../http/server.js';
import { Journal } from '../journal.js';
import type { Logger } from '../log.js';
import type { WorkerMetrics } from '../metrics.js';
import { computeSteps } from '../training/compute.js';
import { lossToFixed, RoundStatus, RunContext } from '../training/run.js';
import { crashPoint, sleep } from '../util.js';
import type { Role } from './role.js';

/** The work in hand, written before every step that cannot be repeated safely. */
export interface PendingRound {
  readonly round: number;
  /** claiming → claimed → published → submitting; each phase is durable before the next begins. */
  readonly phase: 'claiming' | 'claimed' | 'published' | 'submitting';
  readonly claimTx?: SignedTx;
  readonly baseStateHash?: Hex;
  readonly leaseExpiresAt?: string;
  readonly result?: {
    readonly cid: string;
    /** stateHash after each of the round's k steps: what submit() commits. */
    readonly stateHashes: readonly Hex[];
    readonly finalStateHash: Hex;
    readonly losses: readonly string[];
  };
  readonly submitTx?: SignedTx;
}

export interface TrainerJournal {
  readonly version: 1;
  readonly chainId?: number;
  readonly run?: Address;
  readonly account?: Address;
  readonly pending?: PendingRound;
  /** Rounds this worker submitted (round number, CID, tx hash), oldest first. */
  readonly submitted: readonly { round: number; cid: string; tx: Hex }[];
}

export interface TrainerOptions {
  readonly conn: ChainConnection;
  readonly store: ContentStore;
  readonly run: Address;
  readonly journalPath: string;
  readonly log: Logger;
  readonly metrics: WorkerMetrics;
  readonly faults?: readonly Fault[];
  readonly pollMs?: number;
  readonly fromBlock?: bigint;
  /** Stop claiming after this many submitted rounds (counted in the journal, across restarts). */
  readonly maxRounds?: number;
  /** Keep training when the pool cannot pay rewardPerRound (default: wait for funding). */
  readonly trainUnpaid?: boolean;
  /** Call finalize() on due rounds and withdraw() credits (default true). */
  readonly finalize?: boolean;
  readonly contentTimeoutMs?: number;
}

/**
 * The trainer: claim → fetch the base state (hash-checked) → compute k steps → publish the
 * final checkpoint → submit every step's state hash, the final hash and the losses, forever, plus finalize() of due rounds and withdraw().
 *
 * Crash safety: the journal records each phase before the next begins, and every transaction is
 * journaled signed before it is broadcast. After `kill -9` the trainer rebroadcasts the same
 * signed claim (same nonce: it can never claim twice), goes straight to submit when the round was
 * already published (never recomputing it), and rebroadcasts a signed submit.
 */
export class Trainer implements Role {
  readonly id = 'trainer';
  readonly name = 'Trainer';
  readonly description =
    'claims rounds, computes k training steps, publishes checkpoints and submits';
  private state: ServiceStatus = 'Initializing';
  private ctx: RunContext | undefined;
  private readonly journal: Journal<TrainerJournal>;
  private readonly log: Logger;
  private warnedPool = false;
  private done = false;

  constructor(private readonly options: TrainerOptions) {
    this.journal = new Journal<TrainerJournal>(options.journalPath, () => ({
      version: 1,
      submitted: [],
    }));
    this.log = options.log.child({ role: 'train', run: options.run });
  }

  status(): ServiceStatus {
    return this.state;
  }

  get me(): Address {
    return this.options.conn.account.address;
  }

  async run(signal: AbortSignal): Promise<void> {
    const { conn } = this.options;
    this.checkJournalOwner();
    this.ctx = await RunContext.open({
      conn,
      store: this.options.store,
      run: this.options.run,
      fromBlock: this.options.fromBlock,
      contentTimeoutMs: this.options.contentTimeoutMs,
    });
    this.state = 'Up';
    this.options.metrics.up.set({ role: 'train' }, 1);
    this.log.info({ k: this.ctx.k, account: this.me }, 'trainer started');
    try {
      while (!signal.aborted) {
        let worked = false;
        try {
          worked = await this.tick(signal);
        } catch (error) {
          if (signal.aborted) break;
          this.options.metrics.chainErrors.inc({ operation: 'train' });
          this.log.error({ err: error }, 'trainer step failed; retrying');
        }
        if (!worked) await sleep(this.options.pollMs ?? 1_000, signal);
      }
    } finally {
      this.options.metrics.up.set({ role: 'train' }, 0);
      this.state = 'Down';
      this.ctx.dispose();
    }
  }

  /** True when the trainer finished its --rounds budget. */
  get finished(): boolean {
    return this.done;
  }

  private checkJournalOwner(): void {
    const { conn, run } = this.options;
    const journal = this.journal.read();
    if (journal.account && journal.account !== this.me)
      this.log.warn(
        { journal: this.journal.path },
        'journal belongs to another account; starting a new one',
      );
    if (journal.account !== this.me || journal.run !== run || journal.chainId !== conn.chainId) {
      this.journal.write({
        version: 1,
        chainId: conn.chainId,
        run,
        account: this.me,
        submitted: journal.account === this.me && journal.run === run ? journal.submitted : [],
      });
    }
  }

  /** One step of the state machine; false when there was nothing to do. */
  async tick(signal: AbortSignal): Promise<boolean> {
    const ctx = this.ctx!;
    if (this.options.finalize ?? true) await this.finalizeDue();
    const journal = this.journal.read();
    if (journal.pending) {
      await this.resume(journal.pending, signal);
      return true;
    }
    if (
      this.options.maxRounds !== undefined &&
      journal.submitted.length >= this.options.maxRounds
    ) {
      if (!this.done)
        this.log.info(
          { rounds: journal.submitted.length },
          'round budget reached; only finalising now',
        );
      this.done = true;
      return false;
    }
    const [next, now, pool] = await Promise.all([
      ctx.read<bigint>('nextRound'),
      ctx.now(),
      ctx.read<bigint>('pool'),
    ]);
    const round = Number(next);
    const { maxRounds, rewardPerRound, workerDeposit } = ctx.config;
    if (maxRounds !== 0n && next >= maxRounds) {
      if (!this.done)
        this.log.info({ maxRounds }, 'every round of the run is claimed; only finalising now');
      this.done = true;
      return false;
    }
    const current = await ctx.getRound(round);
    if (current.status === RoundStatus.Claimed && now <= BigInt(current.leaseExpiresAt)) {
      if (current.worker === this.me) {
        // The chain says we hold the lease (e.g. the journal was lost): adopt it, never reclaim.
        this.writePending({
          round,
          phase: 'claimed',
          baseStateHash: current.baseStateHash,
          leaseExpiresAt: current.leaseExpiresAt.toString(),
        });
        this.log.warn({ round }, 'adopting a lease this account holds on chain');
        return true;
      }
      return false;
    }
    if (pool < rewardPerRound && !this.options.trainUnpaid) {
      if (!this.warnedPool)
        this.log.warn(
          { pool, rewardPerRound },
          'reward pool exhausted; waiting for funding (--train-unpaid to go on)',
        );
      this.warnedPool = true;
      return false;
    }
    this.warnedPool = false;
    // Fetch (and hash-check) the base state before putting a deposit at stake: a withheld or
    // corrupted previous checkpoint would otherwise cost the lease.
    const head = (await this.options.conn.publicClient.readContract({
      address: this.options.run,
      abi: trainingRunAbi,
      functionName: 'headStateHash',
    })) as Hex;
    try {
      await ctx.baseState(round, head);
    } catch (error) {
      if (!(error instanceof ContentUnavailableError) && !(error instanceof BadContentError))
        throw error;
      this.options.metrics.ipfsErrors.inc({ operation: 'cat' });
      this.log.warn(
        { round, err: error },
        'the base state is unavailable or wrong; not claiming until it is fixed',
      );
      return false;
    }
    this.writePending({ round, phase: 'claiming' });
    try {
      const { receipt } = await sendRecorded(
        this.options.conn,
        `claim(${round})`,
        {
          address: this.options.run,
          abi: trainingRunAbi,
          functionName: 'claim',
          value: workerDeposit,
        },
        (tx) => this.writePending({ round, phase: 'claiming', claimTx: tx }),
        () => crashPoint('claim-sent'),
      );
      this.onClaimed(round, receipt.logs);
    } catch (error) {
      this.clearPending();
      if (error instanceof TxRevertedError) {
        this.log.info(
          { round, reason: error.errorName },
          'claim lost the race; re-reading the run',
        );
        return true;
      }
      throw error;
    }
    return true;
  }

  private onClaimed(round: number, logs: Parameters<typeof parseEventLogs>[0]['logs']): void {
    const claimed = parseEventLogs({ abi: trainingRunAbi, logs, eventName: 'RoundClaimed' })[0];
    if (!claimed)
      throw new TxRevertedError(`claim(${round})`, undefined, undefined, 'no RoundClaimed event');
    const pending: PendingRound = {
      round: Number(claimed.args.round),
      phase: 'claimed',
      baseStateHash: claimed.args.baseStateHash,
      leaseExpiresAt: claimed.args.leaseExpiresAt.toString(),
    };
    this.writePending(pending);
    this.log.info(
      { round: pending.round, leaseExpiresAt: pending.leaseExpiresAt },
      'round claimed',
    );
  }

  private async resume(pending: PendingRound, signal: AbortSignal): Promise<void> {
    const ctx = this.ctx!;
    if (pending.phase === 'claiming') {
      if (!pending.claimTx) {
        // Killed before the claim was signed: nothing reached the chain.
        this.clearPending();
        return;
      }
      this.log.info(
        { round: pending.round, tx: pending.claimTx.hash },
        'resuming: rebroadcasting the journaled claim',
      );
      try {
        const receipt = await broadcastAndWait(this.options.conn, pending.claimTx);
        this.onClaimed(pending.round, receipt.logs);
      } catch (error) {
        if (!(error instanceof TxRevertedError)) throw error;
        this.log.info({ round: pending.round }, 'the journaled claim reverted; re-reading the run');
        this.clearPending();
      }
      return;
    }
    if (pending.phase === 'submitting' && pending.submitTx) {
      this.log.info(
        { round: pending.round, tx: pending.submitTx.hash },
        'resuming: rebroadcasting the journaled submit',
      );
      try {
        await broadcastAndWait(this.options.conn, pending.submitTx);
        this.onSubmitted(pending, pending.submitTx.hash);
      } catch (error) {
        if (!(error instanceof TxRevertedError)) throw error;
        const round = await ctx.getRound(pending.round);
        if (
          round.worker === this.me &&
          round.finalStateHash.toLowerCase() === pending.result?.finalStateHash.toLowerCase() &&
          round.status !== RoundStatus.Claimed
        ) {
          this.onSubmitted(pending, pending.submitTx.hash);
        } else {
          this.log.warn(
            { round: pending.round },
            'the journaled submit reverted; dropping the round',
          );
          this.clearPending();
        }
      }
      return;
    }
    // claimed or published: is the lease still ours and alive?
    const [onChain, next, now] = await Promise.all([
      ctx.getRound(pending.round),
      ctx.read<bigint>('nextRound'),
      ctx.now(),
    ]);
    if (
      onChain.worker !== this.me ||
      onChain.status !== RoundStatus.Claimed ||
      Number(next) !== pending.round
    ) {
      this.log.warn(
        { round: pending.round, status: onChain.status },
        'the lease is no longer ours (expired, rolled back or taken); dropping the round',
      );
      this.clearPending();
      return;
    }
    if (now > BigInt(onChain.leaseExpiresAt)) {
      this.log.warn(
        { round: pending.round },
        'the lease expired before submission; dropping the round (part of the deposit is forfeited)',
      );
      this.clearPending();
      return;
    }
    let ready = pending;
    if (pending.phase === 'claimed') {
      ready = await this.computeAndPublish(pending, onChain.baseStateHash, signal);
      if (signal.aborted) return;
    } else {
      this.log.info(
        { round: pending.round, cid: pending.result?.cid },
        'resuming: round already published, submitting without recomputing',
      );
    }
    await this.submit(ready);
  }

  private async computeAndPublish(
    pending: PendingRound,
    baseStateHash: Hex,
    signal: AbortSignal,
  ): Promise<PendingRound> {
    const ctx = this.ctx!;
    const faults = this.options.faults ?? [];
    const { from, to } = ctx.stepsOf(pending.round);
    const { state: base } = await ctx.baseState(pending.round, baseStateHash);
    this.log.info({ round: pending.round, from, to }, 'computing round');
    const computation = await computeSteps({
      ctx,
      base,
      from,
      to,
      faults,
      metrics: this.options.metrics,
      role: 'train',
      label: `round ${pending.round}`,
      signal,
      onStep: (step, hash, loss) => {
        this.log.debug({ round: pending.round, step, stateHash: hash, loss }, 'step computed');
        crashPoint(`step:${step}`);
      },
    });
    const finalStateHash = computation.stateHashes.at(-1)!;
    ctx.remember(computation.finalState, finalStateHash);
    // Only the final checkpoint is published: every step's hash goes on chain with submit(), so
    // nobody needs a document from this worker to challenge any step.
    const files: Record<string, Uint8Array> = { ...ctx.engine.checkpoint(computation.finalState) };
    const cid = await this.publish(files, faults);
    const published: PendingRound = {
      ...pending,
      phase: 'published',
      baseStateHash,
      result: {
        cid,
        stateHashes: computation.stateHashes,
        finalStateHash,
        losses: computation.losses.map((l) => lossToFixed(l).toString()),
      },
    };
    this.writePending(published);
    this.log.info({ round: pending.round, cid, finalStateHash }, 'round published');
    crashPoint('published');
    return published;
  }

  private async publish(
    files: Record<string, Uint8Array>,
    faults: readonly Fault[],
  ): Promise<string> {
    if (hasFault(faults, 'bad-checkpoint')) {
      const weights = files['weights.bin']!.slice();
      weights[weights.length - 1] = weights[weights.length - 1]! ^ 0x01;
      files = { ...files, 'weights.bin': weights };
      this.log.warn(
        'FAULT bad-checkpoint: publishing weights that do not match the committed state',
      );
    }
    if (hasFault(faults, 'withhold-checkpoint')) {
      // Compute the CID in a throwaway store so the bytes are never served.
      const dir = await mkdtemp(join(tmpdir(), 'um-withheld-'));
      const scratch = await EmbeddedIpfs.open(dir);
      try {
        this.log.warn('FAULT withhold-checkpoint: the checkpoint is not published');
        return await scratch.addDirectory(files);
      } finally {
        await scratch.close();
        await rm(dir, { recursive: true, force: true });
      }
    }
    try {
      return await this.options.store.addDirectory(files);
    } catch (error) {
      this.options.metrics.ipfsErrors.inc({ operation: 'add' });
      throw error;
    }
  }

  private async submit(pending: PendingRound): Promise<void> {
    const result = pending.result!;
    const args = [
      BigInt(pending.round),
      [...result.stateHashes],
      result.finalStateHash,
      result.cid,
      result.losses.map((l) => BigInt(l)),
    ] as const;
    try {
      const { tx } = await sendRecorded(
        this.options.conn,
        `submit(${pending.round})`,
        { address: this.options.run, abi: trainingRunAbi, functionName: 'submit', args },
        (signed) => this.writePending({ ...pending, phase: 'submitting', submitTx: signed }),
        () => crashPoint('submit-sent'),
      );
      this.onSubmitted(pending, tx.hash);
    } catch (error) {
      if (error instanceof TxRevertedError) {
        this.log.warn(
          { round: pending.round, reason: error.errorName },
          'submit reverted; dropping the round',
        );
        this.clearPending();
        return;
      }
      throw error;
    }
  }

  private onSubmitted(pending: PendingRound, tx: Hex): void {
    this.journal.update((j) => ({
      ...j,
      pending: undefined,
      submitted: [...j.submitted, { round: pending.round, cid: pending.result!.cid, tx }].slice(
        -1000,
      ),
    }));
    this.options.metrics.roundsSubmitted.inc();
    this.log.info({ round: pending.round, tx, cid: pending.result!.cid }, 'round submitted');
  }

  /** finalize() every round whose window passed (anyone may), then withdraw() credits. */
  private async finalizeDue(): Promise<void> {
    const ctx = this.ctx!;
    const conn = this.options.conn;
    for (let i = 0; i < 8; i++) {
      const [finalized, next, now] = await Promise.all([
        ctx.read<bigint>('finalizedRounds'),
        ctx.read<bigint>('nextRound'),
        ctx.now(),
      ]);
      if (finalized >= next) break;
      const round = await ctx.getRound(Number(finalized));
      if (round.status !== RoundStatus.Submitted || now <= BigInt(round.challengeDeadline)) break;
      // A dispute or an unrevealed challenge holds the round: its ruling comes first.
      if (round.openDisputes > 0 || round.pendingCommits > 0) break;
      try {
        await sendRecorded(conn, `finalize(${finalized})`, {
          address: this.options.run,
          abi: trainingRunAbi,
          functionName: 'finalize',
          args: [finalized],
        });
        this.options.metrics.roundsFinalized.inc();
        this.log.info({ round: Number(finalized) }, 'round finalised');
      } catch (error) {
        if (error instanceof TxRevertedError) break; // someone else finalised it first
        throw error;
      }
    }
    const credit = await ctx.credits(this.me);
    if (credit > 0n) {
      await sendRecorded(conn, 'withdraw', {
        address: this.options.run,
        abi: trainingRunAbi,
        functionName: 'withdraw',
      });
      this.log.info({ amount: credit.toString() }, 'credits withdrawn');
    }
    const balance = await conn.publicClient.getBalance({ address: this.me });
    this.options.metrics.ethBalance.set(Number(balance));
  }

  private writePending(pending: PendingRound): void {
    this.journal.update((j) => ({ ...j, pending }));
  }

  private clearPending(): void {
    this.journal.update((j) => ({ ...j, pending: undefined }));
  }
}
