import { randomBytes } from 'node:crypto';
import { EngineError, replayStep, type ContentStore } from '@um/engine';
import { ballotCommitment, ballotCommitTypedData } from '@um/protocol';
import { disputeCourtAbi, trainingRunAbi, umTokenAbi } from '@um/protocol/abis';
import { parseSignature, toHex, type Address, type Hex, type PublicClient } from 'viem';
import type { ChainConnection } from './chain/client.js';
import { broadcastAndWait, sendRecorded, TxRevertedError, type SignedTx } from './chain/tx.js';
import { catWithin, cidOf } from './content/store.js';
import { BadContentError, ContentUnavailableError, WorkerError } from './errors.js';
import { Journal } from './journal.js';
import type { WorkerMetrics } from './metrics.js';
import type { Evidence } from './roles/verifier.js';
import { computeSteps } from './training/compute.js';
import { RunContext, submissionOf } from './training/run.js';

/** 0 = Fraud, 1 = Valid, 2 = Abstain, as DisputeCourt.Support. */
export const Support = { fraud: 0, valid: 1, abstain: 2 } as const;
export type SupportName = keyof typeof Support;

export class DisputeNotFoundError extends WorkerError {
  override name = 'DisputeNotFoundError';
}

/** A ballot cannot be committed, revealed or claimed now (wrong phase, nothing journaled…). */
export class BallotStateError extends WorkerError {
  override name = 'BallotStateError';
}

/** Where a dispute is in the court's timeline. */
export type DisputePhase = 'commit' | 'reveal' | 'ended' | 'resolved';

/** What `um-worker vote` found by replaying the disputed step. */
export interface DisputeReport {
  readonly disputeId: string;
  readonly run: Address;
  readonly round: number;
  readonly claimId: string;
  readonly stepIndex: number;
  readonly step: number;
  readonly verdict: 'fraud' | 'valid';
  readonly reason: string;
  /** The on-chain hash of the state before the step (the round's base, or step t−1's hash). */
  readonly priorStateHash: Hex;
  /** The on-chain hash the worker committed for the step. */
  readonly committedStateHash: Hex;
  /** What replaying the step gave here. */
  readonly recomputedStateHash: Hex;
  /** What the challenger says the step gives (from its evidence), if the evidence was readable. */
  readonly challengerStateHash?: Hex;
  /** Where the prior state came from: the challenger's evidence (one step replayed) or, when the
   *  evidence is unusable, a recomputation from the round's base. */
  readonly replayedFrom: 'evidence' | 'round-base';
  readonly evidenceURI: string;
  readonly evidenceProblem?: string;
  readonly phase: DisputePhase;
  readonly commitDeadline: string;
  readonly revealDeadline: string;
  readonly snapshotBlock: string;
}

async function readDispute(publicClient: PublicClient, court: Address, disputeId: bigint) {
  const dispute = await publicClient.readContract({
    address: court,
    abi: disputeCourtAbi,
    functionName: 'getDispute',
    args: [disputeId],
  });
  if (dispute.state === 0)
    throw new DisputeNotFoundError(`dispute ${disputeId} does not exist on ${court}`);
  return dispute;
}

/** The phase of a dispute at chain time `now`. */
export function disputePhase(
  dispute: { state: number; commitDeadline: bigint; revealDeadline: bigint },
  now: bigint,
): DisputePhase {
  if (dispute.state === 2) return 'resolved';
  if (now <= dispute.commitDeadline) return 'commit';
  if (now <= dispute.revealDeadline) return 'reveal';
  return 'ended';
}

/**
 * Judges a dispute by replaying ONE step. The hashes come from the chain alone (the lease's
 * RoundClaimed base and its RoundSubmitted step hashes); the state before the step comes from the
 * challenger's evidence and is accepted only if it hashes to the on-chain prior hash. If the
 * evidence is missing or wrong, the prior state is recomputed from the round's base instead.
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
  const { disputeId } = args;
  const dispute = await readDispute(publicClient, args.court, disputeId);
  const run = dispute.run;
  const round = Number(dispute.round);
  const stepIndex = Number(dispute.stepIndex);
  const fromBlock = args.fromBlock ?? 0n;
  const challenge = await publicClient.readContract({
    address: run,
    abi: trainingRunAbi,
    functionName: 'getChallenge',
    args: [disputeId],
  });
  const [challenged] = await publicClient.getContractEvents({
    address: run,
    abi: trainingRunAbi,
    eventName: 'RoundChallenged',
    args: { disputeId },
    fromBlock,
  });
  const claim = (
    await publicClient.getContractEvents({
      address: run,
      abi: trainingRunAbi,
      eventName: 'RoundClaimed',
      args: { round: BigInt(round) },
      fromBlock,
    })
  ).find((c) => c.args.claimId === challenge.claimId);
  if (!challenged || !claim)
    throw new DisputeNotFoundError(
      `dispute ${disputeId}: no RoundChallenged event or no lease ${challenge.claimId} of round ${round} on ${run} from block ${fromBlock}`,
    );
  const submitted = (
    await publicClient.getContractEvents({
      address: run,
      abi: trainingRunAbi,
      eventName: 'RoundSubmitted',
      args: { round: BigInt(round) },
      fromBlock: claim.blockNumber,
      toBlock: challenged.blockNumber,
    })
  )[0];
  if (!submitted)
    throw new DisputeNotFoundError(
      `dispute ${disputeId}: lease ${challenge.claimId} of round ${round} has no submission`,
    );
  const submission = submissionOf(submitted);
  const baseStateHash = claim.args.baseStateHash!.toLowerCase() as Hex;
  const priorStateHash = stepIndex === 0 ? baseStateHash : submission.stateHashes[stepIndex - 1]!;
  const committedStateHash = submission.stateHashes[stepIndex]!;
  const evidenceURI = challenged.args.evidenceURI ?? '';

  const ctx = await RunContext.open({
    conn: args.conn as ChainConnection,
    store: args.store,
    run,
    fromBlock,
    contentTimeoutMs: args.contentTimeoutMs,
  });
  try {
    const { from } = ctx.stepsOf(round);
    const step = from + stepIndex;
    let recomputedStateHash: Hex | undefined;
    let challengerStateHash: Hex | undefined;
    let evidenceProblem: string | undefined;
    try {
      if (!evidenceURI) throw new BadContentError('(none)', 'the challenge names no evidence');
      const bytes = await catWithin(args.store, evidenceURI, undefined, ctx.contentTimeoutMs);
      let evidence: Evidence;
      try {
        evidence = JSON.parse(new TextDecoder().decode(bytes)) as Evidence;
      } catch (error) {
        throw new BadContentError(cidOf(evidenceURI), `evidence is not JSON`, { cause: error });
      }
      challengerStateHash = evidence.recomputedStateHash;
      const checkpoint = await ctx.checkpointFiles(evidence.priorStateURI);
      const replay = await replayStep({
        spec: ctx.spec,
        checkpoint,
        step,
        // The evidence's prior state must be the one on chain, or the replay proves nothing.
        previousStateHash: priorStateHash,
        expectedStateHash: committedStateHash,
      });
      recomputedStateHash = replay.stateHash;
    } catch (error) {
      if (
        !(error instanceof ContentUnavailableError) &&
        !(error instanceof BadContentError) &&
        !(error instanceof EngineError)
      )
        throw error;
      evidenceProblem = error.message;
    }
    let replayedFrom: DisputeReport['replayedFrom'] = 'evidence';
    if (recomputedStateHash === undefined) {
      replayedFrom = 'round-base';
      const { state: base } = await ctx.baseState(round, baseStateHash);
      const computed = await computeSteps({
        ctx,
        base,
        from,
        to: step,
        metrics: args.metrics,
        role: 'vote',
        label: `dispute ${disputeId}`,
      });
      recomputedStateHash = computed.stateHashes.at(-1)!;
    }
    const verdict = recomputedStateHash === committedStateHash ? 'valid' : 'fraud';
    const reason =
      verdict === 'fraud'
        ? `step ${step} from state ${priorStateHash} gives ${recomputedStateHash}, not the committed ${committedStateHash}`
        : `step ${step} from state ${priorStateHash} gives the committed ${committedStateHash}`;
    const now = (await publicClient.getBlock({ blockTag: 'latest' })).timestamp;
    return {
      disputeId: disputeId.toString(),
      run,
      round,
      claimId: challenge.claimId.toString(),
      stepIndex,
      step,
      verdict,
      reason,
      priorStateHash,
      committedStateHash,
      recomputedStateHash,
      challengerStateHash,
      replayedFrom,
      evidenceURI,
      evidenceProblem,
      phase: disputePhase(dispute, now),
      commitDeadline: dispute.commitDeadline.toString(),
      revealDeadline: dispute.revealDeadline.toString(),
      snapshotBlock: dispute.snapshotBlock.toString(),
    };
  } finally {
    ctx.dispose();
  }
}

// ------------------------------------------------------------------ ballots

/**
 * One ballot, journaled with its salt BEFORE the commit is signed or sent: whatever happens to
 * the process, a later `um-worker vote` in the reveal phase can still reveal it.
 */
export interface BallotEntry {
  readonly chainId: number;
  readonly court: Address;
  readonly disputeId: string;
  readonly voter: Address;
  readonly support: SupportName;
  readonly salt: Hex;
  readonly commitment: Hex;
  readonly phase: 'committing' | 'committed' | 'revealed';
  readonly commitTx?: SignedTx;
}

export interface BallotJournal {
  readonly version: 1;
  readonly ballots: readonly BallotEntry[];
}

export function openBallotJournal(path: string): Journal<BallotJournal> {
  return new Journal<BallotJournal>(path, () => ({ version: 1, ballots: [] }));
}

const sameBallot =
  (chainId: number, court: Address, disputeId: bigint, voter: Address) =>
  (b: BallotEntry): boolean =>
    b.chainId === chainId &&
    b.court.toLowerCase() === court.toLowerCase() &&
    b.disputeId === disputeId.toString() &&
    b.voter.toLowerCase() === voter.toLowerCase();

function findBallot(
  journal: Journal<BallotJournal>,
  chainId: number,
  court: Address,
  disputeId: bigint,
  voter: Address,
): BallotEntry | undefined {
  return journal.read().ballots.find(sameBallot(chainId, court, disputeId, voter));
}

function putBallot(journal: Journal<BallotJournal>, entry: BallotEntry): void {
  const match = sameBallot(entry.chainId, entry.court, BigInt(entry.disputeId), entry.voter);
  journal.update((j) => ({ ...j, ballots: [...j.ballots.filter((b) => !match(b)), entry] }));
}

/** Creates (and journals) a fresh salted ballot, or returns the one already journaled. */
export function prepareBallot(args: {
  journal: Journal<BallotJournal>;
  chainId: number;
  court: Address;
  disputeId: bigint;
  voter: Address;
  support: SupportName;
}): BallotEntry {
  const existing = findBallot(args.journal, args.chainId, args.court, args.disputeId, args.voter);
  if (existing) return existing;
  const salt = toHex(randomBytes(32));
  const entry: BallotEntry = {
    chainId: args.chainId,
    court: args.court,
    disputeId: args.disputeId.toString(),
    voter: args.voter,
    support: args.support,
    salt,
    commitment: ballotCommitment(args.disputeId, args.voter, Support[args.support], salt),
    phase: 'committing',
  };
  putBallot(args.journal, entry);
  return entry;
}

async function receiptOf(conn: ChainConnection, court: Address, disputeId: bigint, voter: Address) {
  return conn.publicClient.readContract({
    address: court,
    abi: disputeCourtAbi,
    functionName: 'getReceipt',
    args: [disputeId, voter],
  });
}

/**
 * Commits the key's own ballot: salt journaled first, then the signed commit transaction
 * journaled, then broadcast. Rerunning after a crash rebroadcasts the same transaction.
 */
export async function commitBallot(args: {
  conn: ChainConnection;
  journal: Journal<BallotJournal>;
  court: Address;
  disputeId: bigint;
  support: SupportName;
}): Promise<{ entry: BallotEntry; tx?: Hex }> {
  const { conn, journal, court, disputeId } = args;
  const voter = conn.account.address;
  const onChain = await receiptOf(conn, court, disputeId, voter);
  let entry = prepareBallot({ ...args, chainId: conn.chainId, voter });
  if (onChain.commitment !== `0x${'0'.repeat(64)}`) {
    if (onChain.commitment.toLowerCase() !== entry.commitment.toLowerCase())
      throw new BallotStateError(
        `${voter} committed another ballot on dispute ${disputeId} (its salt is not in this journal)`,
      );
    if (entry.phase === 'committing')
      putBallot(journal, (entry = { ...entry, phase: 'committed' }));
    return { entry };
  }
  if (entry.support !== args.support)
    throw new BallotStateError(
      `this journal already holds a "${entry.support}" ballot of ${voter} on dispute ${disputeId}`,
    );
  const journaledTx = entry.commitTx;
  if (journaledTx) {
    try {
      await broadcastAndWait(conn, journaledTx);
      putBallot(journal, (entry = { ...entry, phase: 'committed' }));
      return { entry, tx: journaledTx.hash };
    } catch (error) {
      if (!(error instanceof TxRevertedError)) throw error;
      // The journaled commit failed (e.g. its nonce was used): sign a new one below.
    }
  }
  const { tx } = await sendRecorded(
    conn,
    `commitVote(${disputeId})`,
    {
      address: court,
      abi: disputeCourtAbi,
      functionName: 'commitVote',
      args: [disputeId, entry.commitment],
    },
    (signed) => putBallot(journal, (entry = { ...entry, commitTx: signed })),
  );
  putBallot(journal, (entry = { ...entry, phase: 'committed' }));
  return { entry, tx: tx.hash };
}

/** The BallotCommit typed data for `voter` to sign elsewhere; its salt stays in the journal. */
export function ballotCommitPayload(entry: BallotEntry) {
  return ballotCommitTypedData({
    chainId: entry.chainId,
    court: entry.court,
    ballot: {
      disputeId: BigInt(entry.disputeId),
      voter: entry.voter,
      commitment: entry.commitment,
    },
  });
}

/** Relays a BallotCommit signed elsewhere (commitVoteBySig); anyone may send it. */
export async function relayBallotCommit(args: {
  conn: ChainConnection;
  journal: Journal<BallotJournal>;
  entry: BallotEntry;
  signature: Hex;
}): Promise<Hex> {
  const { conn, journal, entry } = args;
  const { tx } = await sendRecorded(conn, `commitVoteBySig(${entry.disputeId})`, {
    address: entry.court,
    abi: disputeCourtAbi,
    functionName: 'commitVoteBySig',
    args: [BigInt(entry.disputeId), entry.voter, entry.commitment, args.signature],
  });
  putBallot(journal, { ...entry, phase: 'committed' });
  return tx.hash;
}

/** Reveals a journaled ballot (anyone may send it: the voter is bound by the commitment). */
export async function revealBallot(args: {
  conn: ChainConnection;
  journal: Journal<BallotJournal>;
  court: Address;
  disputeId: bigint;
  voter: Address;
}): Promise<{ entry: BallotEntry; tx?: Hex; weight: bigint }> {
  const { conn, journal, court, disputeId, voter } = args;
  const entry = findBallot(journal, conn.chainId, court, disputeId, voter);
  if (!entry)
    throw new BallotStateError(
      `no journaled ballot of ${voter} on dispute ${disputeId} in ${journal.path}`,
    );
  const onChain = await receiptOf(conn, court, disputeId, voter);
  if (onChain.revealed) {
    putBallot(journal, { ...entry, phase: 'revealed' });
    return { entry: { ...entry, phase: 'revealed' }, weight: onChain.weight };
  }
  if (onChain.commitment.toLowerCase() !== entry.commitment.toLowerCase())
    throw new BallotStateError(
      `the journaled ballot of ${voter} on dispute ${disputeId} was never committed on chain`,
    );
  const { tx } = await sendRecorded(conn, `revealVote(${disputeId})`, {
    address: court,
    abi: disputeCourtAbi,
    functionName: 'revealVote',
    args: [disputeId, voter, Support[entry.support], entry.salt],
  });
  const after = await receiptOf(conn, court, disputeId, voter);
  putBallot(journal, { ...entry, phase: 'revealed' });
  return { entry: { ...entry, phase: 'revealed' }, tx: tx.hash, weight: after.weight };
}

/** Pays `voter` its share of a resolved dispute's court fee (0n when there is nothing). */
export async function claimBallotReward(args: {
  conn: ChainConnection;
  court: Address;
  disputeId: bigint;
  voter: Address;
}): Promise<bigint> {
  const { conn, court, disputeId, voter } = args;
  const amount = await conn.publicClient.readContract({
    address: court,
    abi: disputeCourtAbi,
    functionName: 'pendingReward',
    args: [disputeId, voter],
  });
  if (amount === 0n) return 0n;
  await sendRecorded(conn, `claimReward(${disputeId})`, {
    address: court,
    abi: disputeCourtAbi,
    functionName: 'claimReward',
    args: [disputeId, voter],
  });
  return amount;
}

// ------------------------------------------------------------------ court stake

export interface StakeStatus {
  readonly account: Address;
  readonly stake: bigint;
  readonly pending: bigint;
  readonly unlockAt: bigint;
  readonly balance: bigint;
}

export async function stakeStatus(
  conn: ChainConnection,
  court: Address,
  account: Address = conn.account.address,
): Promise<StakeStatus> {
  const { publicClient } = conn;
  const token = await publicClient.readContract({
    address: court,
    abi: disputeCourtAbi,
    functionName: 'token',
  });
  const [stake, [pending, unlockAt], balance] = await Promise.all([
    publicClient.readContract({
      address: court,
      abi: disputeCourtAbi,
      functionName: 'stakeOf',
      args: [account],
    }),
    publicClient.readContract({
      address: court,
      abi: disputeCourtAbi,
      functionName: 'pendingUnstakes',
      args: [account],
    }),
    publicClient.readContract({
      address: token,
      abi: umTokenAbi,
      functionName: 'balanceOf',
      args: [account],
    }),
  ]);
  return { account, stake, pending: BigInt(pending), unlockAt: BigInt(unlockAt), balance };
}

/**
 * Stakes `amount` UM in the court: approve then stake, or one stakeWithPermit transaction with an
 * ERC-2612 permit signed by the key (no separate approval).
 */
export async function stakeInCourt(args: {
  conn: ChainConnection;
  court: Address;
  amount: bigint;
  permit?: boolean;
}): Promise<Hex> {
  const { conn, court, amount } = args;
  const { publicClient, account } = conn;
  const token = await publicClient.readContract({
    address: court,
    abi: disputeCourtAbi,
    functionName: 'token',
  });
  if (args.permit) {
    const [[, name, version, chainId, verifyingContract], nonce, block] = await Promise.all([
      publicClient.readContract({ address: token, abi: umTokenAbi, functionName: 'eip712Domain' }),
      publicClient.readContract({
        address: token,
        abi: umTokenAbi,
        functionName: 'nonces',
        args: [account.address],
      }),
      publicClient.getBlock({ blockTag: 'latest' }),
    ]);
    const deadline = block.timestamp + 3_600n;
    const signature = await account.signTypedData({
      domain: { name, version, chainId: Number(chainId), verifyingContract },
      types: {
        Permit: [
          { name: 'owner', type: 'address' },
          { name: 'spender', type: 'address' },
          { name: 'value', type: 'uint256' },
          { name: 'nonce', type: 'uint256' },
          { name: 'deadline', type: 'uint256' },
        ],
      },
      primaryType: 'Permit',
      message: { owner: account.address, spender: court, value: amount, nonce, deadline },
    });
    const { r, s, v, yParity } = parseSignature(signature);
    const { tx } = await sendRecorded(conn, 'stakeWithPermit', {
      address: court,
      abi: disputeCourtAbi,
      functionName: 'stakeWithPermit',
      args: [amount, deadline, Number(v ?? BigInt(yParity + 27)), r, s],
    });
    return tx.hash;
  }
  const allowance = await publicClient.readContract({
    address: token,
    abi: umTokenAbi,
    functionName: 'allowance',
    args: [account.address, court],
  });
  if (allowance < amount)
    await sendRecorded(conn, 'approve', {
      address: token,
      abi: umTokenAbi,
      functionName: 'approve',
      args: [court, amount],
    });
  const { tx } = await sendRecorded(conn, 'stake', {
    address: court,
    abi: disputeCourtAbi,
    functionName: 'stake',
    args: [amount],
  });
  return tx.hash;
}

export async function requestUnstake(
  conn: ChainConnection,
  court: Address,
  amount: bigint,
): Promise<Hex> {
  const { tx } = await sendRecorded(conn, 'requestUnstake', {
    address: court,
    abi: disputeCourtAbi,
    functionName: 'requestUnstake',
    args: [amount],
  });
  return tx.hash;
}

export async function withdrawUnstaked(conn: ChainConnection, court: Address): Promise<Hex> {
  const { tx } = await sendRecorded(conn, 'withdrawUnstaked', {
    address: court,
    abi: disputeCourtAbi,
    functionName: 'withdrawUnstaked',
  });
  return tx.hash;
}
