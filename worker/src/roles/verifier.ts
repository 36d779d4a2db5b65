import { canonicalJson, merkleProof, merkleRoot, stepLeaf } from '@um/protocol';
import { disputeCourtAbi, trainingRunAbi } from '@um/protocol/abis';
import {
  encodeAbiParameters,
  hexToBigInt,
  keccak256,
  parseEventLogs,
  stringToBytes,
  type Address,
  type Hex,
} from 'viem';
import type { ChainConnection } from '../chain/client.js';
import { sendRecorded, TxRevertedError } from '../chain/tx.js';
import type { ContentStore } from '../content/store.js';
import { BadContentError, ContentUnavailableError } from '../errors.js';
import type { ServiceStatus } from '../http/server.js';
import { Journal } from '../journal.js';
import type { Logger } from '../log.js';
import type { WorkerMetrics } from '../metrics.js';
import { computeSteps } from '../training/compute.js';
import { RoundStatus, RunContext, type RoundSubmission } from '../training/run.js';
import { sleep } from '../util.js';
import type { Role } from './role.js';

export type ChallengeReason = 'wrong-step' | 'checkpoint-unavailable' | 'checkpoint-mismatch';

/** The evidence document a challenge points to (stored on IPFS, CID in evidenceURI). */
export interface Evidence {
  readonly version: 1;
  readonly kind: 'um/challenge-evidence';
  readonly run: Address;
  readonly round: number;
  readonly stepIndex: number;
  readonly step: number;
  readonly reason: ChallengeReason;
  readonly detail: string;
  readonly stateURI: string;
  readonly baseStateHash: Hex;
  readonly committedLeaf: Hex;
  readonly recomputedLeaf: Hex;
  readonly recomputedStateHashes: readonly Hex[];
  readonly computeProfile: unknown;
}

export interface VerifierJournal {
  readonly version: 1;
  /** Last block whose RoundSubmitted logs were handled. */
  readonly cursor?: string;
  /** Disputes this verifier opened and has not yet seen resolved. */
  readonly disputes: readonly { disputeId: string; round: number }[];
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

/** Verdict of recomputing one submitted round. */
export type RoundVerdict =
  | { readonly kind: 'valid' }
  | {
      readonly kind: 'fraud';
      readonly reason: ChallengeReason;
      readonly stepIndex: number;
      readonly committedLeaf: Hex;
      readonly proof: Hex[];
      readonly recomputedLeaf: Hex;
      readonly detail: string;
    }
  | { readonly kind: 'unprovable'; readonly detail: string };

/**
 * Recomputes a submitted round from its base and compares it with what the worker committed:
 * the first differing leaf is fraud at that step; identical leaves with an unreachable or
 * mismatching checkpoint are fraud at the last step (the state nobody can build on).
 * Shared by the verifier role and the `vote` command.
 */
export async function judgeRound(args: {
  ctx: RunContext;
  submission: RoundSubmission;
  baseStateHash: Hex;
  metrics?: WorkerMetrics;
  role: string;
  upToStepIndex?: number;
  signal?: AbortSignal;
}): Promise<{ verdict: RoundVerdict; recomputedStateHashes: Hex[] }> {
  const { ctx, submission } = args;
  const { from, to } = ctx.stepsOf(submission.round);
  const last = args.upToStepIndex === undefined ? to : from + args.upToStepIndex;
  const { state: base } = await ctx.baseState(submission.round, args.baseStateHash);
  const computed = await computeSteps({
    ctx,
    base,
    from,
    to: last,
    metrics: args.metrics,
    role: args.role,
    label: `verify round ${submission.round}`,
    signal: args.signal,
  });
  if (last === to) ctx.remember(computed.finalState, computed.stateHashes.at(-1)!);

  // The worker's leaves: from its round.json if that matches the committed root, else ours if
  // they reproduce the root (an honest computation whose files were withheld or corrupted).
  let committed: Hex[] | undefined;
  let documentProblem = '';
  try {
    const doc = await ctx.roundDocument(submission.stateURI);
    const leaves = doc.stateHashes.map((h, i) => stepLeaf(from + i, h));
    if (leaves.length === ctx.k && merkleRoot(leaves) === submission.stateRoot.toLowerCase())
      committed = leaves;
    else documentProblem = 'round.json does not reproduce the committed stateRoot';
  } catch (error) {
    documentProblem = (error as Error).message;
  }
  if (
    !committed &&
    last === to &&
    merkleRoot(computed.leaves) === submission.stateRoot.toLowerCase()
  )
    committed = computed.leaves;
  if (!committed) {
    return {
      verdict: {
        kind: 'unprovable',
        detail: `cannot rebuild the committed leaves (${documentProblem}) and the recomputed ones differ`,
      },
      recomputedStateHashes: computed.stateHashes,
    };
  }
  const mismatch = computed.leaves.findIndex((leaf, i) => leaf !== committed[i]);
  if (mismatch >= 0) {
    return {
      verdict: {
        kind: 'fraud',
        reason: 'wrong-step',
        stepIndex: mismatch,
        committedLeaf: committed[mismatch]!,
        proof: merkleProof(committed, mismatch),
        recomputedLeaf: computed.leaves[mismatch]!,
        detail: `step ${from + mismatch}: committed state ${committed[mismatch]} ≠ recomputed leaf ${computed.leaves[mismatch]}`,
      },
      recomputedStateHashes: computed.stateHashes,
    };
  }
  if (last !== to)
    return { verdict: { kind: 'valid' }, recomputedStateHashes: computed.stateHashes };
  const lastIndex = ctx.k - 1;
  try {
    await ctx.loadCheckpoint(submission.stateURI, submission.finalStateHash);
    return { verdict: { kind: 'valid' }, recomputedStateHashes: computed.stateHashes };
  } catch (error) {
    if (!(error instanceof ContentUnavailableError) && !(error instanceof BadContentError))
      throw error;
    return {
      verdict: {
        kind: 'fraud',
        reason:
          error instanceof ContentUnavailableError
            ? 'checkpoint-unavailable'
            : 'checkpoint-mismatch',
        stepIndex: lastIndex,
        committedLeaf: committed[lastIndex]!,
        proof: merkleProof(committed, lastIndex),
        recomputedLeaf: computed.leaves[lastIndex]!,
        detail: error.message,
      },
      recomputedStateHashes: computed.stateHashes,
    };
  }
}

/**
 * Whether a verifier recomputes a round under --verify-share: keccak256(abi.encode(run, round,
 * stateRoot, verifier)) read as a fraction in [0, 1) is below `share`. Deterministic (a restart
 * checks the same rounds) and different for each verifier (together they cover more rounds); a
 * worker cannot tell in advance which rounds a verifier it does not know will check.
 */
export function isSampled(args: {
  run: Address;
  round: number;
  stateRoot: Hex;
  verifier: Address;
  share: number;
}): boolean {
  if (args.share >= 1) return true;
  const word = keccak256(
    encodeAbiParameters(
      [{ type: 'address' }, { type: 'uint256' }, { type: 'bytes32' }, { type: 'address' }],
      [args.run, BigInt(args.round), args.stateRoot, args.verifier],
    ),
  );
  return Number(hexToBigInt(word) >> 203n) / 2 ** 53 < args.share;
}

/**
 * The fraud prover: follows RoundSubmitted, recomputes every round (or a deterministic random
 * share), challenges the first wrong step with a Merkle proof and an evidence document, and
 * resolves its disputes once voting ends. It never challenges a round it recomputed identically
 * and whose checkpoint is served intact.
 */
export class Verifier implements Role {
  readonly id = 'verifier';
  readonly name = 'Verifier';
  readonly description = 'recomputes submitted rounds and challenges fraud with Merkle proofs';
  private state: ServiceStatus = 'Initializing';
  private ctx: RunContext | undefined;
  private readonly journal: Journal<VerifierJournal>;
  private readonly log: Logger;

  constructor(private readonly options: VerifierOptions) {
    this.journal = new Journal<VerifierJournal>(options.journalPath, () => ({
      version: 1,
      disputes: [],
    }));
    this.log = options.log.child({ role: 'verify', run: options.run });
  }

  status(): ServiceStatus {
    return this.state;
  }

  async run(signal: AbortSignal): Promise<void> {
    this.ctx = await RunContext.open({
      conn: this.options.conn,
      store: this.options.store,
      run: this.options.run,
      fromBlock: this.options.fromBlock,
      contentTimeoutMs: this.options.contentTimeoutMs,
    });
    this.state = 'Up';
    this.options.metrics.up.set({ role: 'verify' }, 1);
    this.log.info({ share: this.options.share ?? 1 }, 'verifier started');
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
        const submission: RoundSubmission = {
          round: Number(log.args.round),
          worker: log.args.worker!,
          firstStep: Number(log.args.firstStep),
          stateRoot: log.args.stateRoot!,
          finalStateHash: log.args.finalStateHash!,
          stateURI: log.args.stateURI!,
          losses: log.args.losses!,
          challengeDeadline: log.args.challengeDeadline!,
          blockNumber: log.blockNumber,
          logIndex: log.logIndex,
        };
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
      }
      if (signal.aborted) return;
      this.journal.update((j) => ({ ...j, cursor: latest.toString() }));
    }
    await this.resolveDue();
  }

  private async verify(submission: RoundSubmission, signal: AbortSignal): Promise<void> {
    const ctx = this.ctx!;
    const log = this.log.child({ round: submission.round });
    if (submission.worker === this.options.conn.account.address) return;
    const onChain = await ctx.getRound(submission.round);
    if (onChain.status !== RoundStatus.Submitted || onChain.stateRoot !== submission.stateRoot) {
      log.debug({ status: onChain.status }, 'round no longer challengeable; skipped');
      return;
    }
    if ((await ctx.now()) > onChain.challengeDeadline) {
      log.debug('challenge window already closed; skipped');
      return;
    }
    const share = this.options.share ?? 1;
    if (
      !isSampled({
        run: this.options.run,
        round: submission.round,
        stateRoot: submission.stateRoot,
        verifier: this.options.conn.account.address,
        share,
      })
    ) {
      this.options.metrics.roundsVerified.inc({ result: 'skipped' });
      return;
    }
    const { verdict, recomputedStateHashes } = await judgeRound({
      ctx,
      submission,
      baseStateHash: onChain.baseStateHash,
      metrics: this.options.metrics,
      role: 'verify',
      signal,
    });
    if (verdict.kind === 'valid') {
      this.options.metrics.roundsVerified.inc({ result: 'valid' });
      log.info('round verified: valid');
      return;
    }
    if (verdict.kind === 'unprovable') {
      this.options.metrics.roundsVerified.inc({ result: 'unprovable' });
      log.error(
        { detail: verdict.detail },
        'round is wrong but cannot be proven (leaves withheld)',
      );
      return;
    }
    this.options.metrics.roundsVerified.inc({ result: verdict.reason });
    const { from } = ctx.stepsOf(submission.round);
    const evidence: Evidence = {
      version: 1,
      kind: 'um/challenge-evidence',
      run: this.options.run,
      round: submission.round,
      stepIndex: verdict.stepIndex,
      step: from + verdict.stepIndex,
      reason: verdict.reason,
      detail: verdict.detail,
      stateURI: submission.stateURI,
      baseStateHash: onChain.baseStateHash,
      committedLeaf: verdict.committedLeaf,
      recomputedLeaf: verdict.recomputedLeaf,
      recomputedStateHashes,
      computeProfile: ctx.spec.computeProfile,
    };
    let evidenceURI = '';
    try {
      evidenceURI = await this.options.store.addBytes(stringToBytes(canonicalJson(evidence)));
    } catch (error) {
      this.options.metrics.ipfsErrors.inc({ operation: 'add' });
      log.warn({ err: error }, 'could not store the evidence; challenging without it');
    }
    try {
      const { receipt } = await sendRecorded(
        this.options.conn,
        `challenge(${submission.round}, ${verdict.stepIndex})`,
        {
          address: this.options.run,
          abi: trainingRunAbi,
          functionName: 'challenge',
          args: [
            BigInt(submission.round),
            BigInt(verdict.stepIndex),
            verdict.committedLeaf,
            verdict.proof,
            evidenceURI,
          ],
          value: ctx.config.challengerDeposit,
        },
      );
      const event = parseEventLogs({
        abi: trainingRunAbi,
        logs: receipt.logs,
        eventName: 'RoundChallenged',
      })[0];
      const disputeId = event?.args.disputeId ?? 0n;
      this.journal.update((j) => ({
        ...j,
        disputes: [...j.disputes, { disputeId: disputeId.toString(), round: submission.round }],
      }));
      this.options.metrics.challengesRaised.inc({ reason: verdict.reason });
      log.warn(
        {
          stepIndex: verdict.stepIndex,
          step: from + verdict.stepIndex,
          reason: verdict.reason,
          disputeId: disputeId.toString(),
          evidenceURI,
        },
        'round challenged',
      );
    } catch (error) {
      if (error instanceof TxRevertedError) {
        log.warn(
          { reason: error.errorName },
          'challenge reverted (already challenged or window closed)',
        );
        return;
      }
      throw error;
    }
  }

  /** resolve() own disputes whose vote ended, then withdraw() what the run credits us. */
  private async resolveDue(): Promise<void> {
    const ctx = this.ctx!;
    const { publicClient } = this.options.conn;
    const journal = this.journal.read();
    if (journal.disputes.length === 0) return;
    const court = await ctx.read<Address>('court');
    const now = await ctx.now();
    const open: { disputeId: string; round: number }[] = [];
    for (const entry of journal.disputes) {
      const dispute = await publicClient.readContract({
        address: court,
        abi: disputeCourtAbi,
        functionName: 'getDispute',
        args: [BigInt(entry.disputeId)],
      });
      if (dispute.state === 1 && now > BigInt(dispute.deadline)) {
        try {
          await sendRecorded(this.options.conn, `resolve(${entry.disputeId})`, {
            address: court,
            abi: disputeCourtAbi,
            functionName: 'resolve',
            args: [BigInt(entry.disputeId)],
          });
          this.log.info({ disputeId: entry.disputeId }, 'dispute resolved');
        } catch (error) {
          if (!(error instanceof TxRevertedError)) throw error;
        }
      } else if (dispute.state === 1) {
        open.push(entry);
      }
    }
    this.journal.update((j) => ({ ...j, disputes: open }));
    const credit = await ctx.credits(this.options.conn.account.address);
    if (credit > 0n) {
      await sendRecorded(this.options.conn, 'withdraw', {
        address: this.options.run,
        abi: trainingRunAbi,
        functionName: 'withdraw',
      });
      this.log.info({ amount: credit.toString() }, 'credits withdrawn');
    }
  }
}
