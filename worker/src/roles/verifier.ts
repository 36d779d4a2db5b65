import type { TrainingState } from '@um/engine';
import { canonicalJson, challengeCommitment } from '@um/protocol';
import { disputeCourtAbi, trainingRunAbi } from '@um/protocol/abis';
import {
  encodeAbiParameters,
  hexToBigInt,
  keccak256,
  parseEventLogs,
  stringToBytes,
  toHex,
  type Address,
  type Hex,
} from 'viem';
import { randomBytes } from 'node:crypto';
import type { ChainConnection } from '../chain/client.js';
import { broadcastAndWait, sendRecorded, TxRevertedError, type SignedTx } from '../chain/tx.js';
import type { ContentStore } from '../content/store.js';
import { BadContentError, ContentUnavailableError } from '../errors.js';
import type { ServiceStatus } from '../http/server.js';
import { Journal } from '../journal.js';
import type { Logger } from '../log.js';
import type { WorkerMetrics } from '../metrics.js';
import { computeSteps } from '../training/compute.js';
import {
  CommitState,
  RoundStatus,
  RunContext,
  submissionOf,
  type RoundSubmission,
} from '../training/run.js';
import { crashPoint, sleep } from '../util.js';
import type { Role } from './role.js';

export type ChallengeReason = 'wrong-step';

/**
 * The evidence a challenge points to (evidenceURI, a JSON file on IPFS). A voter fetches
 * `priorStateURI` (the checkpoint of the state before the disputed step), checks that it hashes to
 * `priorStateHash` — which is on chain: the round's base or the previous step's committed hash —
 * replays the ONE step and compares with `committedStateHash` (on chain) and
 * `recomputedStateHash` (the challenger's result, whose checkpoint is `recomputedStateURI`).
 */
export interface Evidence {
  readonly version: 2;
  readonly kind: 'um/challenge-evidence';
  readonly run: Address;
  readonly round: number;
  readonly claimId: string;
  readonly stepIndex: number;
  readonly step: number;
  readonly reason: ChallengeReason;
  readonly detail: string;
  readonly priorStateHash: Hex;
  readonly priorStateURI: string;
  readonly committedStateHash: Hex;
  readonly recomputedStateHash: Hex;
  readonly recomputedStateURI: string;
  readonly computeProfile: unknown;
}

/**
 * One challenge of this verifier, journaled with its salt BEFORE the commit transaction is
 * signed, so a crash anywhere between commit and reveal loses nothing: the restarted verifier
 * reads the commitment's state on chain and carries on (commit again, reveal, or report).
 */
export interface ChallengeEntry {
  readonly round: number;
  readonly claimId: string;
  readonly stepIndex: number;
  readonly salt: Hex;
  readonly commitment: Hex;
  readonly evidenceURI: string;
  readonly reason: ChallengeReason;
  /** committing → committed → revealed; entries leave the journal once settled. */
  readonly phase: 'committing' | 'committed' | 'revealed';
  readonly commitTx?: SignedTx;
  readonly committedBlock?: string;
  readonly disputeId?: string;
}

export interface VerifierJournal {
  readonly version: 2;
  /** Last block whose RoundSubmitted logs were handled. */
  readonly cursor?: string;
  readonly challenges: readonly ChallengeEntry[];
}

export interface VerifierOptions {
  readonly conn: ChainConnection;
  readonly store: ContentStore;
  readonly run: Address;
  readonly journalPath: string;
  readonly log: Logger;
  readonly metrics: WorkerMetrics;
  /** Share of rounds to recompute, 0 < share ≤ 1 (default 1). */
  readonly share?: number;
  readonly pollMs?: number;
  readonly fromBlock?: bigint;
  /** Blocks an event must be buried under before it is acted on (reorg safety; default 0). */
  readonly confirmations?: number;
  readonly contentTimeoutMs?: number;
}

/** Verdict of recomputing one submitted round against its on-chain hashes. */
export type RoundVerdict =
  | { readonly kind: 'valid' }
  | {
      readonly kind: 'fraud';
      readonly reason: ChallengeReason;
      /** The FIRST step whose committed hash differs from the recomputed one. */
      readonly stepIndex: number;
      readonly priorStateHash: Hex;
      readonly committedStateHash: Hex;
      readonly recomputedStateHash: Hex;
      readonly detail: string;
    };

/**
 * Recomputes a submitted round from its base and stops at the first step whose hash differs from
 * the one committed on chain. Everything compared is on chain: the base (the previous round's
 * final hash or the run's initial state) and the k step hashes of RoundSubmitted.
 */
export async function judgeRound(args: {
  ctx: RunContext;
  submission: RoundSubmission;
  baseStateHash: Hex;
  metrics?: WorkerMetrics;
  role: string;
  signal?: AbortSignal;
}): Promise<{
  verdict: RoundVerdict;
  /** The state before the last computed step and after it (the diverging step when fraud). */
  prior: TrainingState;
  after: TrainingState;
}> {
  const { ctx, submission } = args;
  const { from, to } = ctx.stepsOf(submission.round);
  const committed = submission.stateHashes;
  const { state: base } = await ctx.baseState(submission.round, args.baseStateHash);
  const computed = await computeSteps({
    ctx,
    base,
    from,
    to,
    metrics: args.metrics,
    role: args.role,
    label: `verify round ${submission.round}`,
    signal: args.signal,
    stopAfter: (t, hash) => hash !== committed[t - from]?.toLowerCase(),
  });
  const stepIndex = computed.stateHashes.findIndex((h, i) => h !== committed[i]?.toLowerCase());
  if (stepIndex < 0) {
    ctx.remember(computed.finalState, computed.stateHashes.at(-1)!);
    return {
      verdict: { kind: 'valid' },
      prior: computed.previousState,
      after: computed.finalState,
    };
  }
  const priorStateHash = (
    stepIndex === 0 ? args.baseStateHash : committed[stepIndex - 1]!
  ).toLowerCase() as Hex;
  const recomputedStateHash = computed.stateHashes[stepIndex]!;
  return {
    verdict: {
      kind: 'fraud',
      reason: 'wrong-step',
      stepIndex,
      priorStateHash,
      committedStateHash: committed[stepIndex]!,
      recomputedStateHash,
      detail: `step ${from + stepIndex} from state ${priorStateHash} gives ${recomputedStateHash}; the worker committed ${committed[stepIndex]}`,
    },
    prior: computed.previousState,
    after: computed.finalState,
  };
}

/**
 * Whether a verifier recomputes a round under --verify-share: keccak256(abi.encode(run, round,
 * finalStateHash, verifier)) read as a fraction in [0, 1) is below `share`. Deterministic (a
 * restart checks the same rounds) and different for each verifier (together they cover more
 * rounds); a worker cannot tell in advance which rounds a verifier it does not know will check.
 */
export function isSampled(args: {
  run: Address;
  round: number;
  finalStateHash: Hex;
  verifier: Address;
  share: number;
}): boolean {
  if (args.share >= 1) return true;
  const word = keccak256(
    encodeAbiParameters(
      [{ type: 'address' }, { type: 'uint256' }, { type: 'bytes32' }, { type: 'address' }],
      [args.run, BigInt(args.round), args.finalStateHash, args.verifier],
    ),
  );
  return Number(hexToBigInt(word) >> 203n) / 2 ** 53 < args.share;
}

/** Seconds a committed challenge may wait for its reveal (TrainingRun.CHALLENGE_REVEAL_PERIOD). */
const REVEAL_PERIOD_FALLBACK = 3_600n;

/**
 * The fraud prover: follows RoundSubmitted, recomputes every round (or a deterministic random
 * share) and challenges the FIRST diverging step by commit and reveal, with evidence a voter
 * replays in one step. It resolves the disputes of its rounds once their votes end (earlier ones
 * of the same lease first, whoever opened them) and withdraws what the run credits it. It never
 * challenges a round whose every step hash it reproduced.
 */
export class Verifier implements Role {
  readonly id = 'verifier';
  readonly name = 'Verifier';
  readonly description =
    'recomputes submitted rounds and challenges the first wrong step by commit and reveal';
  private state: ServiceStatus = 'Initializing';
  private ctx: RunContext | undefined;
  private readonly journal: Journal<VerifierJournal>;
  private readonly log: Logger;
  private revealPeriod = REVEAL_PERIOD_FALLBACK;

  constructor(private readonly options: VerifierOptions) {
    this.journal = new Journal<VerifierJournal>(options.journalPath, () => ({
      version: 2,
      challenges: [],
    }));
    this.log = options.log.child({ role: 'verify', run: options.run });
  }

  status(): ServiceStatus {
    return this.state;
  }

  private get me(): Address {
    return this.options.conn.account.address;
  }

  async run(signal: AbortSignal): Promise<void> {
    const existing = this.journal.read() as VerifierJournal | { version: 1 };
    if (existing.version !== 2) {
      // A v1 journal holds Merkle-era disputes the v2 contracts do not know: start afresh.
      this.log.warn({ journal: this.journal.path }, 'replacing a v1 verifier journal');
      this.journal.write({ version: 2, challenges: [] });
    }
    this.ctx = await RunContext.open({
      conn: this.options.conn,
      store: this.options.store,
      run: this.options.run,
      fromBlock: this.options.fromBlock,
      contentTimeoutMs: this.options.contentTimeoutMs,
    });
    this.revealPeriod = await this.options.conn.publicClient.readContract({
      address: this.options.run,
      abi: trainingRunAbi,
      functionName: 'CHALLENGE_REVEAL_PERIOD',
    });
    this.state = 'Up';
    this.options.metrics.up.set({ role: 'verify' }, 1);
    this.log.info(
      { share: this.options.share ?? 1, pending: this.journal.read().challenges.length },
      'verifier started',
    );
    try {
      while (!signal.aborted) {
        try {
          await this.tick(signal);
        } catch (error) {
          if (signal.aborted) break;
          this.options.metrics.chainErrors.inc({ operation: 'verify' });
          this.log.error({ err: error }, 'verifier step failed; retrying');
        }
        await sleep(this.options.pollMs ?? 1_000, signal);
      }
    } finally {
      this.options.metrics.up.set({ role: 'verify' }, 0);
      this.state = 'Down';
      this.ctx.dispose();
    }
  }

  async tick(signal: AbortSignal): Promise<void> {
    // Journaled challenges first: a reveal that is due must not wait behind a recomputation.
    await this.advanceChallenges();
    const head = await this.options.conn.publicClient.getBlockNumber();
    const latest = head - BigInt(this.options.confirmations ?? 0);
    if (latest < 0n) return;
    const journal = this.journal.read();
    const fromBlock = journal.cursor ? BigInt(journal.cursor) + 1n : (this.options.fromBlock ?? 0n);
    if (fromBlock <= latest) {
      const logs = await this.options.conn.publicClient.getContractEvents({
        address: this.options.run,
        abi: trainingRunAbi,
        eventName: 'RoundSubmitted',
        fromBlock,
        toBlock: latest,
      });
      for (const log of logs) {
        if (signal.aborted) return;
        const submission = submissionOf(log);
        try {
          await this.verify(submission, signal);
        } catch (error) {
          // A base state nobody serves (and we did not compute) cannot be checked: record it and
          // move on; chain and RPC errors propagate and the block range is retried.
          if (!(error instanceof ContentUnavailableError) && !(error instanceof BadContentError))
            throw error;
          this.options.metrics.roundsVerified.inc({ result: 'base-unavailable' });
          this.log.error(
            { round: submission.round, err: error },
            'cannot verify: the base state is unavailable',
          );
        }
        await this.advanceChallenges();
      }
      if (signal.aborted) return;
      this.journal.update((j) => ({ ...j, cursor: latest.toString() }));
    }
    await this.advanceChallenges();
    await this.withdrawCredits();
  }

  private async verify(submission: RoundSubmission, signal: AbortSignal): Promise<void> {
    const ctx = this.ctx!;
    const log = this.log.child({ round: submission.round });
    if (submission.worker === this.me) return;
    const onChain = await ctx.getRound(submission.round);
    if (
      onChain.status !== RoundStatus.Submitted ||
      onChain.worker !== submission.worker ||
      onChain.finalStateHash.toLowerCase() !== submission.finalStateHash
    ) {
      log.debug({ status: onChain.status }, 'round no longer challengeable; skipped');
      return;
    }
    if ((await ctx.now()) > BigInt(onChain.challengeDeadline) && onChain.openDisputes === 0) {
      log.debug('challenge window already closed; skipped');
      return;
    }
    const claimId = onChain.claimId.toString();
    if (
      this.journal
        .read()
        .challenges.some((c) => c.round === submission.round && c.claimId === claimId)
    )
      return; // already challenged before a restart
    const share = this.options.share ?? 1;
    if (
      !isSampled({
        run: this.options.run,
        round: submission.round,
        finalStateHash: submission.finalStateHash,
        verifier: this.me,
        share,
      })
    ) {
      this.options.metrics.roundsVerified.inc({ result: 'skipped' });
      return;
    }
    const { verdict, prior, after } = await judgeRound({
      ctx,
      submission,
      baseStateHash: onChain.baseStateHash,
      metrics: this.options.metrics,
      role: 'verify',
      signal,
    });
    if (verdict.kind === 'valid') {
      this.options.metrics.roundsVerified.inc({ result: 'valid' });
      log.info('round verified: every step hash reproduced');
      await this.checkCheckpoint(submission, after);
      return;
    }
    this.options.metrics.roundsVerified.inc({ result: verdict.reason });
    const { from } = ctx.stepsOf(submission.round);
    // Evidence: the state before the diverging step (its hash is on chain) and ours after it.
    const [priorStateURI, recomputedStateURI] = await Promise.all([
      this.options.store.addDirectory({ ...ctx.engine.checkpoint(prior) }),
      this.options.store.addDirectory({ ...ctx.engine.checkpoint(after) }),
    ]);
    const evidence: Evidence = {
      version: 2,
      kind: 'um/challenge-evidence',
      run: this.options.run,
      round: submission.round,
      claimId,
      stepIndex: verdict.stepIndex,
      step: from + verdict.stepIndex,
      reason: verdict.reason,
      detail: verdict.detail,
      priorStateHash: verdict.priorStateHash,
      priorStateURI,
      committedStateHash: verdict.committedStateHash,
      recomputedStateHash: verdict.recomputedStateHash,
      recomputedStateURI,
      computeProfile: ctx.spec.computeProfile,
    };
    const evidenceURI = await this.options.store.addBytes(stringToBytes(canonicalJson(evidence)));
    const salt = toHex(randomBytes(32));
    const entry: ChallengeEntry = {
      round: submission.round,
      claimId,
      stepIndex: verdict.stepIndex,
      salt,
      commitment: challengeCommitment(
        this.options.run,
        this.me,
        submission.round,
        verdict.stepIndex,
        salt,
      ),
      evidenceURI,
      reason: verdict.reason,
      phase: 'committing',
    };
    // The salt is durable before anything is signed: the commit can never be orphaned.
    this.journal.update((j) => ({ ...j, challenges: [...j.challenges, entry] }));
    log.warn(
      { stepIndex: entry.stepIndex, step: evidence.step, evidenceURI, detail: verdict.detail },
      'round is wrong: challenging the first diverging step',
    );
    await this.sendCommit(entry);
  }

  /**
   * All step hashes are right, so the round is honest on chain; a checkpoint that is missing or
   * wrong is a data problem, not fraud a single-step replay could show. Publish our own copy (a
   * withheld checkpoint then becomes available under the very CID the worker committed, since
   * the bytes and so the CID are deterministic).
   */
  private async checkCheckpoint(
    submission: RoundSubmission,
    finalState: TrainingState,
  ): Promise<void> {
    const ctx = this.ctx!;
    try {
      await ctx.loadCheckpoint(submission.stateURI, submission.finalStateHash);
    } catch (error) {
      if (!(error instanceof ContentUnavailableError) && !(error instanceof BadContentError))
        throw error;
      const result =
        error instanceof ContentUnavailableError ? 'checkpoint-unavailable' : 'checkpoint-mismatch';
      this.options.metrics.roundsVerified.inc({ result });
      const cid = await this.options.store.addDirectory({ ...ctx.engine.checkpoint(finalState) });
      this.log.warn(
        { round: submission.round, stateURI: submission.stateURI, republished: cid, err: error },
        `the round's checkpoint is ${result === 'checkpoint-unavailable' ? 'unavailable' : 'wrong'}; published the recomputed state`,
      );
    }
  }

  private async sendCommit(entry: ChallengeEntry): Promise<void> {
    const ctx = this.ctx!;
    try {
      const { receipt } = await sendRecorded(
        this.options.conn,
        `commitChallenge(${entry.round})`,
        {
          address: this.options.run,
          abi: trainingRunAbi,
          functionName: 'commitChallenge',
          args: [BigInt(entry.round), entry.commitment],
          value: ctx.config.challengerDeposit,
        },
        (tx) => this.updateEntry(entry.commitment, { commitTx: tx }),
      );
      this.onCommitted(entry, receipt.blockNumber);
    } catch (error) {
      if (!(error instanceof TxRevertedError)) throw error;
      this.log.warn(
        { round: entry.round, reason: error.errorName },
        'the challenge commit reverted (window closed or round settled); dropping it',
      );
      this.removeEntry(entry.commitment);
    }
  }

  private onCommitted(entry: ChallengeEntry, block: bigint): void {
    this.updateEntry(entry.commitment, { phase: 'committed', committedBlock: block.toString() });
    this.options.metrics.challengeCommits.inc({ outcome: 'committed' });
    this.log.info(
      { round: entry.round, commitment: entry.commitment, block: block.toString() },
      'challenge committed; revealing from the next block',
    );
    crashPoint('challenge-committed');
  }

  /**
   * Moves every journaled challenge on, from what the chain says about its commitment: commit
   * (again), reveal, reclaim, report an expired commit, resolve a dispute whose vote ended.
   */
  private async advanceChallenges(): Promise<void> {
    for (const entry of this.journal.read().challenges) {
      try {
        await this.advance(entry);
      } catch (error) {
        if (!(error instanceof TxRevertedError)) throw error;
        this.log.warn(
          { round: entry.round, commitment: entry.commitment, reason: error.errorName },
          'a challenge transaction reverted; retrying on the next poll',
        );
      }
    }
  }

  private async advance(entry: ChallengeEntry): Promise<void> {
    const { publicClient } = this.options.conn;
    const ctx = this.ctx!;
    const log = this.log.child({ round: entry.round, commitment: entry.commitment });
    const commit = await publicClient.readContract({
      address: this.options.run,
      abi: trainingRunAbi,
      functionName: 'getChallengeCommit',
      args: [entry.commitment],
    });
    if (commit.state === CommitState.None) {
      if (entry.commitTx) {
        log.info({ tx: entry.commitTx.hash }, 'resuming: rebroadcasting the journaled commit');
        try {
          const receipt = await broadcastAndWait(this.options.conn, entry.commitTx);
          this.onCommitted(entry, receipt.blockNumber);
        } catch (error) {
          if (!(error instanceof TxRevertedError)) throw error;
          log.warn('the journaled commit reverted; dropping the challenge');
          this.removeEntry(entry.commitment);
        }
      } else {
        log.info('resuming: the commit was never sent; sending it');
        await this.sendCommit(entry);
      }
      return;
    }
    if (commit.state === CommitState.Committed) {
      const round = await ctx.getRound(entry.round);
      const voided =
        round.claimId !== BigInt(entry.claimId) || round.status !== RoundStatus.Submitted;
      if (voided) {
        await sendRecorded(this.options.conn, `reclaimChallenge(${entry.round})`, {
          address: this.options.run,
          abi: trainingRunAbi,
          functionName: 'reclaimChallenge',
          args: [BigInt(entry.round), BigInt(entry.stepIndex), entry.salt, this.me],
        });
        this.options.metrics.challengeCommits.inc({ outcome: 'reclaimed' });
        log.info('the round was voided before the reveal; deposit reclaimed');
        this.removeEntry(entry.commitment);
        return;
      }
      const now = await ctx.now();
      const revealDeadline = BigInt(commit.committedAt) + this.revealPeriod;
      if (now > revealDeadline) {
        this.options.metrics.challengeCommits.inc({ outcome: 'expired' });
        log.error(
          { revealDeadline: revealDeadline.toString() },
          'challenge commit expired before its reveal: the deposit is forfeited',
        );
        this.removeEntry(entry.commitment);
        return;
      }
      const head = await publicClient.getBlockNumber();
      if (head <= BigInt(commit.committedBlock)) return; // the reveal needs a later block
      const { receipt } = await sendRecorded(
        this.options.conn,
        `revealChallenge(${entry.round}, ${entry.stepIndex})`,
        {
          address: this.options.run,
          abi: trainingRunAbi,
          functionName: 'revealChallenge',
          args: [
            BigInt(entry.round),
            BigInt(entry.stepIndex),
            entry.salt,
            this.me,
            entry.evidenceURI,
          ],
        },
      );
      const event = parseEventLogs({
        abi: trainingRunAbi,
        logs: receipt.logs,
        eventName: 'RoundChallenged',
      })[0];
      this.onRevealed(entry, event?.args.disputeId ?? 0n, event?.args.seq);
      return;
    }
    if (commit.state === CommitState.Revealed) {
      if (!entry.disputeId) {
        // Revealed before a crash, or by someone else holding the salt: find the dispute.
        const events = await publicClient.getContractEvents({
          address: this.options.run,
          abi: trainingRunAbi,
          eventName: 'RoundChallenged',
          args: { round: BigInt(entry.round) },
          fromBlock: BigInt(entry.committedBlock ?? this.options.fromBlock ?? 0n),
        });
        const event = events.find(
          (e) => e.args.commitment?.toLowerCase() === entry.commitment.toLowerCase(),
        );
        if (!event) return;
        this.onRevealed(entry, event.args.disputeId!, event.args.seq);
        return;
      }
      await this.resolveIfDue(entry);
      return;
    }
    // Expired or Reclaimed by someone else.
    this.options.metrics.challengeCommits.inc({
      outcome: commit.state === CommitState.Expired ? 'expired' : 'reclaimed',
    });
    log.error({ state: commit.state }, 'challenge commit was settled without its reveal');
    this.removeEntry(entry.commitment);
  }

  private onRevealed(entry: ChallengeEntry, disputeId: bigint, seq: number | undefined): void {
    this.updateEntry(entry.commitment, { phase: 'revealed', disputeId: disputeId.toString() });
    this.options.metrics.challengeCommits.inc({ outcome: 'revealed' });
    this.options.metrics.challengesRaised.inc({ reason: entry.reason });
    this.log.warn(
      {
        round: entry.round,
        stepIndex: entry.stepIndex,
        disputeId: disputeId.toString(),
        seq,
        evidenceURI: entry.evidenceURI,
      },
      'round challenged',
    );
  }

  /**
   * resolve() our dispute once its reveal phase is over. Disputes of one lease settle in seq
   * order, so every earlier dispute of the lease (a squatter's, say) is resolved first.
   */
  private async resolveIfDue(entry: ChallengeEntry): Promise<void> {
    const { publicClient } = this.options.conn;
    const ctx = this.ctx!;
    const court = await ctx.read<Address>('court');
    const disputeId = BigInt(entry.disputeId!);
    const dispute = await publicClient.readContract({
      address: court,
      abi: disputeCourtAbi,
      functionName: 'getDispute',
      args: [disputeId],
    });
    if (dispute.state !== 1) {
      this.log.info(
        { disputeId: entry.disputeId, fraud: dispute.fraud },
        'dispute resolved; challenge settled',
      );
      this.removeEntry(entry.commitment);
      return;
    }
    const now = await ctx.now();
    if (now <= BigInt(dispute.revealDeadline)) return;
    const mine = await publicClient.readContract({
      address: this.options.run,
      abi: trainingRunAbi,
      functionName: 'getChallenge',
      args: [disputeId],
    });
    if (mine.seq > 0) {
      const opened = await publicClient.getContractEvents({
        address: this.options.run,
        abi: trainingRunAbi,
        eventName: 'RoundChallenged',
        args: { round: BigInt(entry.round) },
        fromBlock: this.options.fromBlock ?? 0n,
      });
      const earlier: { id: bigint; seq: number }[] = [];
      for (const event of opened) {
        const id = event.args.disputeId!;
        if (id === disputeId) continue;
        const other = await publicClient.readContract({
          address: this.options.run,
          abi: trainingRunAbi,
          functionName: 'getChallenge',
          args: [id],
        });
        if (other.claimId === mine.claimId && other.seq < mine.seq)
          earlier.push({ id, seq: other.seq });
      }
      for (const { id } of earlier.sort((a, b) => a.seq - b.seq)) {
        const other = await publicClient.readContract({
          address: court,
          abi: disputeCourtAbi,
          functionName: 'getDispute',
          args: [id],
        });
        if (other.state !== 1) continue;
        if (now <= BigInt(other.revealDeadline)) return;
        await this.resolve(court, id);
      }
    }
    await this.resolve(court, disputeId);
  }

  private async resolve(court: Address, disputeId: bigint): Promise<void> {
    const { receipt } = await sendRecorded(this.options.conn, `resolve(${disputeId})`, {
      address: court,
      abi: disputeCourtAbi,
      functionName: 'resolve',
      args: [disputeId],
    });
    const ruling = parseEventLogs({
      abi: disputeCourtAbi,
      logs: receipt.logs,
      eventName: 'DisputeResolved',
    })[0];
    this.log.info(
      { disputeId: disputeId.toString(), fraud: ruling?.args.fraud },
      'dispute resolved',
    );
  }

  private async withdrawCredits(): Promise<void> {
    const credit = await this.ctx!.credits(this.me);
    if (credit === 0n) return;
    await sendRecorded(this.options.conn, 'withdraw', {
      address: this.options.run,
      abi: trainingRunAbi,
      functionName: 'withdraw',
    });
    this.log.info({ amount: credit.toString() }, 'credits withdrawn');
  }

  private updateEntry(commitment: Hex, change: Partial<ChallengeEntry>): void {
    this.journal.update((j) => ({
      ...j,
      challenges: j.challenges.map((c) => (c.commitment === commitment ? { ...c, ...change } : c)),
    }));
  }

  private removeEntry(commitment: Hex): void {
    this.journal.update((j) => ({
      ...j,
      challenges: j.challenges.filter((c) => c.commitment !== commitment),
    }));
  }
}
