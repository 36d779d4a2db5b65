import type { ContentStore } from '@um/engine';
import { ballotTypedData } from '@um/protocol';
import { disputeCourtAbi, trainingRunAbi } from '@um/protocol/abis';
import type { Address, Hex, PublicClient } from 'viem';
import type { ChainConnection } from './chain/client.js';
import { sendRecorded } from './chain/tx.js';
import { BadContentError, ContentUnavailableError, WorkerError } from './errors.js';
import type { WorkerMetrics } from './metrics.js';
import { computeSteps } from './training/compute.js';
import { RunContext } from './training/run.js';

/** 0 = Fraud, 1 = Valid, 2 = Abstain, as DisputeCourt.Support. */
export const Support = { fraud: 0, valid: 1, abstain: 2 } as const;
export type SupportName = keyof typeof Support;

export class DisputeNotFoundError extends WorkerError {
  override name = 'DisputeNotFoundError';
}

/** What `um-worker vote` found by recomputing the disputed step. */
export interface DisputeReport {
  readonly disputeId: string;
  readonly run: Address;
  readonly round: number;
  readonly stepIndex: number;
  readonly step: number;
  readonly verdict: 'fraud' | 'valid';
  readonly reason: string;
  readonly committedLeaf: Hex;
  readonly recomputedLeaf: Hex;
  readonly recomputedStateHash: Hex;
  readonly baseStateHash: Hex;
  readonly stateURI: string;
  readonly evidenceURI: string;
  readonly checkpoint?: 'ok' | 'unavailable' | 'mismatch';
  readonly deadline: string;
  readonly state: 'open' | 'resolved';
}

/**
 * Recomputes the disputed step from the round's base state (fetched and hash-checked) and
 * compares its leaf with the leaf the challenger proved the worker committed. A challenge of the
 * round's last step also checks that the published checkpoint is reachable and hashes to the
 * committed final state (a state nobody can fetch cannot be built on, so that is fraud too).
 */
export async function judgeDispute(args: {
  conn: Pick<ChainConnection, 'publicClient'> & Partial<ChainConnection>;
  store: ContentStore;
  court: Address;
  disputeId: bigint;
  fromBlock?: bigint;
  metrics?: WorkerMetrics;
  contentTimeoutMs?: number;
}): Promise<DisputeReport> {
  const publicClient = args.conn.publicClient as PublicClient;
  const dispute = await publicClient.readContract({
    address: args.court,
    abi: disputeCourtAbi,
    functionName: 'getDispute',
    args: [args.disputeId],
  });
  if (dispute.state === 0)
    throw new DisputeNotFoundError(`dispute ${args.disputeId} does not exist`);
  const run = dispute.run;
  const round = Number(dispute.round);
  const stepIndex = Number(dispute.stepIndex);
  const fromBlock = args.fromBlock ?? 0n;
  const [challenge] = await publicClient.getContractEvents({
    address: run,
    abi: trainingRunAbi,
    eventName: 'RoundChallenged',
    args: { disputeId: args.disputeId },
    fromBlock,
  });
  if (!challenge)
    throw new DisputeNotFoundError(
      `no RoundChallenged event for dispute ${args.disputeId} on ${run}`,
    );
  const submissions = await publicClient.getContractEvents({
    address: run,
    abi: trainingRunAbi,
    eventName: 'RoundSubmitted',
    args: { round: BigInt(round) },
    fromBlock,
    toBlock: challenge.blockNumber,
  });
  const submission = submissions.at(-1);
  const claims = await publicClient.getContractEvents({
    address: run,
    abi: trainingRunAbi,
    eventName: 'RoundClaimed',
    args: { round: BigInt(round) },
    fromBlock,
    toBlock: submission?.blockNumber,
  });
  const claim = claims.filter((c) => c.args.worker === submission?.args.worker).at(-1);
  if (!submission || !claim)
    throw new DisputeNotFoundError(
      `dispute ${args.disputeId}: round ${round} has no submission before the challenge`,
    );

  const ctx = await RunContext.open({
    conn: args.conn as ChainConnection,
    store: args.store,
    run,
    fromBlock,
    contentTimeoutMs: args.contentTimeoutMs,
  });
  try {
    const { from } = ctx.stepsOf(round);
    const baseStateHash = claim.args.baseStateHash!;
    const { state: base } = await ctx.baseState(round, baseStateHash);
    const computed = await computeSteps({
      ctx,
      base,
      from,
      to: from + stepIndex,
      metrics: args.metrics,
      role: 'vote',
      label: `dispute ${args.disputeId}`,
    });
    const recomputedLeaf = computed.leaves.at(-1)!;
    const committedLeaf = challenge.args.leaf!;
    let verdict: 'fraud' | 'valid' =
      recomputedLeaf === committedLeaf.toLowerCase() ? 'valid' : 'fraud';
    let reason =
      verdict === 'fraud'
        ? `step ${from + stepIndex} does not follow from step ${from + stepIndex - 1}: the committed leaf differs from the recomputed one`
        : `step ${from + stepIndex} recomputes to the committed leaf`;
    let checkpoint: DisputeReport['checkpoint'];
    if (verdict === 'valid' && stepIndex === ctx.k - 1) {
      try {
        await ctx.loadCheckpoint(submission.args.stateURI!, submission.args.finalStateHash!);
        checkpoint = 'ok';
      } catch (error) {
        if (!(error instanceof ContentUnavailableError) && !(error instanceof BadContentError))
          throw error;
        checkpoint = error instanceof ContentUnavailableError ? 'unavailable' : 'mismatch';
        verdict = 'fraud';
        reason = `the round's checkpoint ${submission.args.stateURI} is ${checkpoint === 'unavailable' ? 'unreachable' : 'not the committed state'}: ${error.message}`;
      }
    }
    return {
      disputeId: args.disputeId.toString(),
      run,
      round,
      stepIndex,
      step: from + stepIndex,
      verdict,
      reason,
      committedLeaf,
      recomputedLeaf,
      recomputedStateHash: computed.stateHashes.at(-1)!,
      baseStateHash,
      stateURI: submission.args.stateURI!,
      evidenceURI: challenge.args.evidenceURI!,
      checkpoint,
      deadline: dispute.deadline.toString(),
      state: dispute.state === 1 ? 'open' : 'resolved',
    };
  } finally {
    ctx.dispose();
  }
}

/** Casts msg.sender's vote. */
export async function castVote(
  conn: ChainConnection,
  court: Address,
  disputeId: bigint,
  support: SupportName,
  reason: string,
): Promise<Hex> {
  const { tx } = await sendRecorded(conn, `castVote(${disputeId})`, {
    address: court,
    abi: disputeCourtAbi,
    functionName: 'castVote',
    args: [disputeId, Support[support], reason],
  });
  return tx.hash;
}

/** The EIP-712 ballot for a voter to sign elsewhere (hardware wallet, portal), with its current nonce. */
export async function ballotPayload(
  publicClient: PublicClient,
  chainId: number,
  court: Address,
  disputeId: bigint,
  support: SupportName,
  voter: Address,
  reason: string,
) {
  const nonce = await publicClient.readContract({
    address: court,
    abi: disputeCourtAbi,
    functionName: 'nonces',
    args: [voter],
  });
  return ballotTypedData({
    chainId,
    court,
    ballot: { disputeId, support: Support[support], voter, nonce, reason },
  });
}

/** Relays a signed ballot (anyone may send it). */
export async function relayVote(
  conn: ChainConnection,
  court: Address,
  disputeId: bigint,
  support: SupportName,
  voter: Address,
  reason: string,
  signature: Hex,
): Promise<Hex> {
  const { tx } = await sendRecorded(conn, `castVoteBySig(${disputeId})`, {
    address: court,
    abi: disputeCourtAbi,
    functionName: 'castVoteBySig',
    args: [disputeId, Support[support], voter, reason, signature],
  });
  return tx.hash;
}
