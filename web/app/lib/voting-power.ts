/**
 * "My voting power in this dispute, and why it is zero": court v2 weighs a ballot by the UM the
 * voter had STAKED IN THE COURT at the dispute's snapshot block (the block before the dispute
 * opened). Wallet balances and stake added later do not count; an unstake request drops the
 * weight at once. This pure function explains the number from what the loader reads
 * (DisputeCourt.stakeAt at the snapshot, stakeOf now, the account's Staked/UnstakeRequested history).
 */
import { formatTokens } from './format.js';

export type StakeHistoryEvent = {
  block: bigint;
  kind: 'Staked' | 'UnstakeRequested';
  /** The account's court stake right after the event. */
  stakeAfter: bigint;
};

export type VotingPowerInputs = {
  snapshotBlock: bigint;
  /** DisputeCourt.stakeAt(account, snapshotBlock). */
  stakeAtSnapshot: bigint;
  /** DisputeCourt.stakeOf(account) now. */
  stakeNow: bigint;
  /** The account's stake changes, ascending by block. */
  history: readonly StakeHistoryEvent[];
};

export type ZeroReason = 'no-stake' | 'staked-after-snapshot' | 'unstaked-before-snapshot';

export type VotingPowerExplanation = {
  power: bigint;
  canVote: boolean;
  reason: ZeroReason | null;
  /** Plain-language sentences for the page, most important first. */
  explanation: string[];
  /** What to do so the account counts in later disputes (nothing changes this one). */
  remedy: string | null;
};

export function explainVotingPower(i: VotingPowerInputs): VotingPowerExplanation {
  if (i.stakeAtSnapshot > 0n) {
    const explanation = [
      `You had ${formatTokens(i.stakeAtSnapshot)} UM staked in the court at block ${i.snapshotBlock}, the snapshot of this dispute: that is your voting weight here.`,
    ];
    if (i.stakeNow < i.stakeAtSnapshot) {
      explanation.push(
        `Your stake is ${formatTokens(i.stakeNow)} UM now; unstaking after the snapshot does not change this dispute.`,
      );
    }
    return { power: i.stakeAtSnapshot, canVote: true, reason: null, explanation, remedy: null };
  }
  const before = i.history.filter((e) => e.block <= i.snapshotBlock);
  const after = i.history.filter((e) => e.block > i.snapshotBlock);
  const stakeRemedy = 'Stake UM in the court: it counts in every dispute opened after your stake.';
  if (before.some((e) => e.kind === 'Staked')) {
    const lastDrop = [...before].reverse().find((e) => e.kind === 'UnstakeRequested');
    return {
      power: 0n,
      canVote: false,
      reason: 'unstaked-before-snapshot',
      explanation: [
        `You had staked in the court, but requested to unstake all of it${lastDrop ? ` at block ${lastDrop.block}` : ''}, before block ${i.snapshotBlock}, the snapshot of this dispute. An unstake request removes the weight at once.`,
      ],
      remedy:
        i.stakeNow > 0n ? 'Your current stake counts in disputes opened from now on.' : stakeRemedy,
    };
  }
  if (after.some((e) => e.kind === 'Staked')) {
    const first = after.find((e) => e.kind === 'Staked')!;
    return {
      power: 0n,
      canVote: false,
      reason: 'staked-after-snapshot',
      explanation: [
        `You staked at block ${first.block}, after block ${i.snapshotBlock}, the snapshot of this dispute. Stake counts only in disputes opened after it, so weight cannot be rented for one dispute.`,
      ],
      remedy:
        i.stakeNow > 0n
          ? `Your ${formatTokens(i.stakeNow)} UM of stake count in disputes opened from now on.`
          : stakeRemedy,
    };
  }
  return {
    power: 0n,
    canVote: false,
    reason: 'no-stake',
    explanation: [
      'This account has never staked UM in the court. Voting weight is court stake at the snapshot, not wallet balance.',
    ],
    remedy: stakeRemedy,
  };
}
