/**
 * Where a court v2 dispute is in its timeline, and what it would rule if it ended now. Ballots are
 * committed (hidden) until commitDeadline, revealed until revealDeadline, then anyone may resolve.
 * The rule mirrors DisputeCourt.resolve: fraud iff the revealed weight reaches the quorum and Fraud
 * outweighs Valid; a tie or a missing quorum keeps the worker's claim.
 */
export type DisputePhase = 'commit' | 'reveal' | 'ruling' | 'resolved';

export function disputePhase(
  d: { status: string; commitDeadline: string | number; revealDeadline: string | number },
  now: number,
): DisputePhase {
  if (d.status === 'Resolved') return 'resolved';
  if (now <= Number(d.commitDeadline)) return 'commit';
  if (now <= Number(d.revealDeadline)) return 'reveal';
  return 'ruling';
}

export const PHASE_WORDS: Record<DisputePhase, string> = {
  commit: 'Commit phase: ballots are sealed; only their number is known',
  reveal: 'Reveal phase: sealed ballots are being opened and counted',
  ruling: 'Voting is over: anyone can now resolve the dispute',
  resolved: 'Resolved',
};

export type Projection = {
  revealed: bigint;
  quorum: bigint;
  quorumReached: boolean;
  /** Fraud only with quorum and more Fraud than Valid weight. */
  outcome: 'fraud' | 'claim-stands';
  why: 'fraud-majority' | 'valid-majority' | 'tie' | 'no-quorum';
  /** Shares of the revealed weight, in percent with two decimals. */
  percent: { fraud: number; valid: number; abstain: number; quorum: number };
};

const pct = (x: bigint, of: bigint) => (of === 0n ? 0 : Number((x * 10_000n) / of) / 100);

export function projectRuling(t: {
  fraudVotes: string;
  validVotes: string;
  abstainVotes: string;
  quorumVotes: string;
}): Projection {
  const f = BigInt(t.fraudVotes);
  const v = BigInt(t.validVotes);
  const a = BigInt(t.abstainVotes);
  const quorum = BigInt(t.quorumVotes);
  const revealed = f + v + a;
  const quorumReached = revealed >= quorum;
  const why: Projection['why'] = !quorumReached
    ? 'no-quorum'
    : f > v
      ? 'fraud-majority'
      : f === v
        ? 'tie'
        : 'valid-majority';
  return {
    revealed,
    quorum,
    quorumReached,
    outcome: why === 'fraud-majority' ? 'fraud' : 'claim-stands',
    why,
    percent: {
      fraud: pct(f, revealed),
      valid: pct(v, revealed),
      abstain: pct(a, revealed),
      quorum: Math.min(100, pct(revealed, quorum === 0n ? 1n : quorum)),
    },
  };
}
