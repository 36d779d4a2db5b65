/**
 * "My voting power at this dispute's snapshot, and why it is zero": the most-filed confusion in
 * Governor and Snapshot UIs. UMToken is ERC20Votes: a balance counts only once it is delegated
 * (to oneself or someone else), and a dispute weighs votes at its snapshot block, so tokens or
 * delegations that arrived later do not count for it. This pure function explains the number from
 * data the loader reads (getPastVotes, delegates, balances, transfer and delegation history).
 */
import { formatTokens } from './format.js';

export const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';

export type VotingPowerInputs = {
  account: string;
  snapshotBlock: bigint;
  /** UMToken.getPastVotes(account, snapshotBlock). */
  votesAtSnapshot: bigint;
  /** UMToken.delegates(account) now. */
  delegateNow: string;
  balanceNow: bigint;
  /** Balance at the snapshot (from Transfer history). */
  balanceAtSnapshot: bigint;
  /** The account's own DelegateChanged events (block, new delegate), ascending. */
  delegations: ReadonlyArray<{ block: bigint; delegate: string }>;
  /** Incoming transfers (block, amount), ascending. */
  transfersIn: ReadonlyArray<{ block: bigint; amount: bigint }>;
};

export type ZeroReason =
  | 'no-tokens'
  | 'acquired-after-snapshot'
  | 'not-delegated'
  | 'delegated-after-snapshot'
  | 'delegated-to-other';

export type VotingPowerExplanation = {
  power: bigint;
  canVote: boolean;
  reasons: ZeroReason[];
  /** Whom the account's own tokens counted for at the snapshot (null = nobody). */
  delegateAtSnapshot: string | null;
  /** Plain-language sentences for the page, most important first. */
  explanation: string[];
  /** What to do so the account counts in future disputes (cannot change this one). */
  remedy: string | null;
};

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function explainVotingPower(i: VotingPowerInputs): VotingPowerExplanation {
  const atSnapshot = i.delegations.filter((d) => d.block <= i.snapshotBlock).at(-1);
  const delegateAtSnapshot =
    atSnapshot && !same(atSnapshot.delegate, ZERO_ADDRESS) ? atSnapshot.delegate : null;
  const delegatedLater = i.delegations.some(
    (d) => d.block > i.snapshotBlock && !same(d.delegate, ZERO_ADDRESS),
  );
  const receivedLater = i.transfersIn
    .filter((t) => t.block > i.snapshotBlock)
    .reduce((s, t) => s + t.amount, 0n);

  if (i.votesAtSnapshot > 0n) {
    const explanation = [
      `You had ${formatTokens(i.votesAtSnapshot)} votes at block ${i.snapshotBlock}, the snapshot of this dispute.`,
    ];
    if (delegateAtSnapshot && !same(delegateAtSnapshot, i.account) && i.balanceAtSnapshot > 0n) {
      explanation.push(
        `These are votes delegated to you; your own tokens counted for ${delegateAtSnapshot}.`,
      );
    }
    return {
      power: i.votesAtSnapshot,
      canVote: true,
      reasons: [],
      delegateAtSnapshot,
      explanation,
      remedy: null,
    };
  }

  const reasons: ZeroReason[] = [];
  const explanation: string[] = [];
  let remedy: string | null = null;
  if (i.balanceAtSnapshot === 0n) {
    if (receivedLater > 0n || i.balanceNow > 0n) {
      reasons.push('acquired-after-snapshot');
      explanation.push(
        `You held no UM at block ${i.snapshotBlock}, the snapshot of this dispute; the tokens you hold now arrived after it and do not count here.`,
      );
    } else {
      reasons.push('no-tokens');
      explanation.push('This account holds no UM tokens and nobody has delegated votes to it.');
    }
  } else if (delegateAtSnapshot === null) {
    if (delegatedLater) {
      reasons.push('delegated-after-snapshot');
      explanation.push(
        `You held ${formatTokens(i.balanceAtSnapshot)} UM at the snapshot but delegated only after block ${i.snapshotBlock}; delegation is not retroactive.`,
      );
    } else {
      reasons.push('not-delegated');
      explanation.push(
        `You held ${formatTokens(i.balanceAtSnapshot)} UM at the snapshot but had not delegated them. ERC20Votes counts tokens only once they are delegated — to yourself or to someone else.`,
      );
    }
  } else if (!same(delegateAtSnapshot, i.account)) {
    reasons.push('delegated-to-other');
    explanation.push(
      `At the snapshot your tokens were delegated to ${delegateAtSnapshot}, who votes with them.`,
    );
  }

  if (same(i.delegateNow, ZERO_ADDRESS) && i.balanceNow > 0n) {
    remedy =
      'Delegate to yourself (or to someone you trust) now so your tokens count in disputes opened from now on.';
  } else if (
    reasons.includes('acquired-after-snapshot') ||
    reasons.includes('delegated-after-snapshot')
  ) {
    remedy = 'Your tokens are delegated now and will count in disputes opened after this point.';
  }
  return { power: 0n, canVote: false, reasons, delegateAtSnapshot, explanation, remedy };
}
