import { describe, expect, it } from 'vitest';
import { explainVotingPower, type VotingPowerInputs } from '../app/lib/voting-power.js';

const UM = 10n ** 18n;
const base: VotingPowerInputs = {
  snapshotBlock: 100n,
  stakeAtSnapshot: 0n,
  stakeNow: 0n,
  history: [],
};

describe('my voting power = court stake at the snapshot, and why it is zero', () => {
  it('reports the stake at the snapshot as the weight, even after unstaking since', () => {
    const r = explainVotingPower({
      ...base,
      stakeAtSnapshot: 500n * UM,
      stakeNow: 100n * UM,
      history: [
        { block: 10n, kind: 'Staked', stakeAfter: 500n * UM },
        { block: 120n, kind: 'UnstakeRequested', stakeAfter: 100n * UM },
      ],
    });
    expect(r).toMatchObject({ power: 500n * UM, canVote: true, reason: null, remedy: null });
    expect(r.explanation.join(' ')).toContain('500 UM staked in the court at block 100');
    expect(r.explanation.join(' ')).toContain('unstaking after the snapshot does not change');
  });

  it('says the account never staked', () => {
    const r = explainVotingPower(base);
    expect(r).toMatchObject({ power: 0n, canVote: false, reason: 'no-stake' });
    expect(r.explanation[0]).toContain('never staked');
    expect(r.remedy).toContain('Stake UM in the court');
  });

  it('says the stake came after the snapshot and that it counts from now on', () => {
    const r = explainVotingPower({
      ...base,
      stakeNow: 300n * UM,
      history: [{ block: 101n, kind: 'Staked', stakeAfter: 300n * UM }],
    });
    expect(r.reason).toBe('staked-after-snapshot');
    expect(r.explanation[0]).toContain('block 101, after block 100');
    expect(r.remedy).toContain('300 UM');
  });

  it('says the whole stake was unstaked before the snapshot', () => {
    const r = explainVotingPower({
      ...base,
      history: [
        { block: 10n, kind: 'Staked', stakeAfter: 50n * UM },
        { block: 90n, kind: 'UnstakeRequested', stakeAfter: 0n },
        { block: 150n, kind: 'Staked', stakeAfter: 5n * UM },
      ],
      stakeNow: 5n * UM,
    });
    expect(r.reason).toBe('unstaked-before-snapshot');
    expect(r.explanation[0]).toContain('at block 90, before block 100');
    expect(r.remedy).toContain('counts in disputes opened from now on');
  });

  it('counts a stake made in the snapshot block itself as before it', () => {
    const r = explainVotingPower({
      ...base,
      history: [
        { block: 100n, kind: 'Staked', stakeAfter: 1n },
        { block: 100n, kind: 'UnstakeRequested', stakeAfter: 0n },
      ],
    });
    expect(r.reason).toBe('unstaked-before-snapshot');
  });
});
