import { describe, expect, it } from 'vitest';
import {
  explainVotingPower,
  ZERO_ADDRESS,
  type VotingPowerInputs,
} from '../app/lib/voting-power.js';

const ME = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const OTHER = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const base: VotingPowerInputs = {
  account: ME,
  snapshotBlock: 100n,
  votesAtSnapshot: 0n,
  delegateNow: ZERO_ADDRESS,
  balanceNow: 0n,
  balanceAtSnapshot: 0n,
  delegations: [],
  transfersIn: [],
};

describe('my voting power at the snapshot, and why it is zero', () => {
  it('reports the power when there is some', () => {
    const r = explainVotingPower({
      ...base,
      votesAtSnapshot: 500n,
      balanceAtSnapshot: 500n,
      delegations: [{ block: 10n, delegate: ME }],
    });
    expect(r).toMatchObject({ power: 500n, canVote: true, reasons: [] });
  });

  it('explains tokens that were never delegated, and suggests self-delegation', () => {
    const r = explainVotingPower({
      ...base,
      balanceNow: 500n,
      balanceAtSnapshot: 500n,
      transfersIn: [{ block: 5n, amount: 500n }],
    });
    expect(r.reasons).toEqual(['not-delegated']);
    expect(r.explanation[0]).toMatch(/had not delegated/);
    expect(r.remedy).toMatch(/Delegate to yourself/);
  });

  it('explains tokens acquired after the snapshot', () => {
    const r = explainVotingPower({
      ...base,
      balanceNow: 300n,
      delegateNow: ME,
      transfersIn: [{ block: 150n, amount: 300n }],
      delegations: [{ block: 151n, delegate: ME }],
    });
    expect(r.reasons).toEqual(['acquired-after-snapshot']);
    expect(r.explanation[0]).toMatch(/arrived after/);
    expect(r.remedy).toMatch(/will count in disputes opened after/);
  });

  it('explains a delegation made after the snapshot', () => {
    const r = explainVotingPower({
      ...base,
      balanceNow: 50n,
      balanceAtSnapshot: 50n,
      delegateNow: ME,
      delegations: [{ block: 120n, delegate: ME }],
    });
    expect(r.reasons).toEqual(['delegated-after-snapshot']);
    expect(r.explanation[0]).toMatch(/not retroactive/);
  });

  it('explains tokens delegated to someone else', () => {
    const r = explainVotingPower({
      ...base,
      balanceNow: 50n,
      balanceAtSnapshot: 50n,
      delegateNow: OTHER,
      delegations: [{ block: 10n, delegate: OTHER }],
    });
    expect(r.reasons).toEqual(['delegated-to-other']);
    expect(r.delegateAtSnapshot).toBe(OTHER);
    expect(r.remedy).toBeNull();
  });

  it('counts the last delegation at or before the snapshot block', () => {
    const r = explainVotingPower({
      ...base,
      balanceNow: 50n,
      balanceAtSnapshot: 50n,
      delegations: [
        { block: 10n, delegate: ME },
        { block: 100n, delegate: ZERO_ADDRESS },
      ],
    });
    expect(r.reasons).toEqual(['not-delegated']);
  });

  it('says plainly when there are no tokens at all', () => {
    expect(explainVotingPower(base)).toMatchObject({
      power: 0n,
      canVote: false,
      reasons: ['no-tokens'],
      remedy: null,
    });
  });

  it('notes votes delegated to me by others when my own tokens count elsewhere', () => {
    const r = explainVotingPower({
      ...base,
      votesAtSnapshot: 900n,
      balanceAtSnapshot: 10n,
      delegations: [{ block: 1n, delegate: OTHER }],
    });
    expect(r.canVote).toBe(true);
    expect(r.explanation[1]).toMatch(/delegated to you/);
  });
});
