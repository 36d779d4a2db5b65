import { describe, expect, it } from 'vitest';
import { disputePhase, projectRuling } from '../app/lib/dispute-phase.js';

const d = { status: 'Open', commitDeadline: '1000', revealDeadline: '1090' };
const UM = 10n ** 18n;
const t = (f: bigint, v: bigint, a: bigint, q: bigint) => ({
  fraudVotes: String(f * UM),
  validVotes: String(v * UM),
  abstainVotes: String(a * UM),
  quorumVotes: String(q * UM),
});

describe('dispute phase by chain time', () => {
  it('commits until the commit deadline inclusive, reveals until the reveal deadline inclusive', () => {
    expect(disputePhase(d, 999)).toBe('commit');
    expect(disputePhase(d, 1000)).toBe('commit');
    expect(disputePhase(d, 1001)).toBe('reveal');
    expect(disputePhase(d, 1090)).toBe('reveal');
    expect(disputePhase(d, 1091)).toBe('ruling');
    expect(disputePhase({ ...d, status: 'Resolved' }, 10)).toBe('resolved');
  });
});

describe('who wins if it ended now', () => {
  it('fraud with quorum and more Fraud than Valid weight, with percentages', () => {
    const p = projectRuling(t(60n, 30n, 10n, 50n));
    expect(p).toMatchObject({ outcome: 'fraud', why: 'fraud-majority', quorumReached: true });
    expect(p.percent).toEqual({ fraud: 60, valid: 30, abstain: 10, quorum: 100 });
  });
  it('a tie keeps the worker’s claim', () => {
    expect(projectRuling(t(40n, 40n, 0n, 50n))).toMatchObject({
      outcome: 'claim-stands',
      why: 'tie',
    });
  });
  it('no quorum keeps the worker’s claim even with only Fraud ballots', () => {
    const p = projectRuling(t(20n, 0n, 5n, 100n));
    expect(p).toMatchObject({ outcome: 'claim-stands', why: 'no-quorum', quorumReached: false });
    expect(p.percent.quorum).toBe(25);
  });
  it('abstentions count towards the quorum only', () => {
    expect(projectRuling(t(10n, 5n, 90n, 100n))).toMatchObject({
      outcome: 'fraud',
      quorumReached: true,
    });
  });
});
