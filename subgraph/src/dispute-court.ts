// DisputeCourt: disputes with their commit and reveal phases, hidden ballots (commitment first,
// support and weight at the reveal), rulings, voter rewards, and court stakes with their unstake
// cooldowns. Voting weight is court stake at the dispute's snapshot, so stakes are indexed here
// with a history that answers "what was my weight at block B".
import { BigInt, ethereum } from '@graphprotocol/graph-ts';
import {
  DisputeOpened,
  DisputeResolved,
  ParametersChanged,
  RewardClaimed,
  Staked,
  UnstakeRequested,
  Unstaked,
  VoteCommitted,
  VoteRevealed,
} from '../generated/DisputeCourt/DisputeCourt';
import {
  Ballot,
  Challenge,
  CourtRewardClaim,
  CourtStakeEvent,
  Dispute,
  Protocol,
  RoundSlot,
  Voter,
} from '../generated/schema';
import { ZERO, addressId, eventId, getDay, getProtocol, getVoter, saveTotals } from './helpers';

/** VoteRevealed's `support`: 0 = Fraud, 1 = Valid, 2 = Abstain. */
function supportName(support: i32): string {
  if (support == 0) return 'Fraud';
  if (support == 1) return 'Valid';
  return 'Abstain';
}

function ballotId(disputeId: BigInt, voter: string): string {
  return disputeId.toString() + '-' + voter;
}

export function handleDisputeOpened(event: DisputeOpened): void {
  const id = event.params.disputeId.toString();
  const run = addressId(event.params.run);
  const dispute = new Dispute(id);
  dispute.disputeId = event.params.disputeId;
  dispute.run = run;
  dispute.roundNumber = event.params.round;
  // The run calls the court from revealChallenge on the round's current lease.
  const slot = RoundSlot.load(run + '-' + event.params.round.toString());
  if (slot != null) dispute.round = slot.current;
  if (Challenge.load(id) != null) dispute.challenge = id;
  dispute.challenger = event.params.challenger;
  dispute.worker = event.params.worker;
  dispute.stepIndex = event.params.stepIndex;
  dispute.snapshotBlock = event.params.snapshotBlock;
  dispute.commitDeadline = event.params.commitDeadline;
  dispute.revealDeadline = event.params.revealDeadline;
  dispute.quorumVotes = event.params.quorumVotes;
  dispute.stakeAtRisk = event.params.stakeAtRisk;
  dispute.status = 'Open';
  dispute.cancelled = false;
  dispute.fraudVotes = ZERO;
  dispute.validVotes = ZERO;
  dispute.abstainVotes = ZERO;
  dispute.commitCount = 0;
  dispute.revealCount = 0;
  dispute.rewardsClaimed = ZERO;
  dispute.openedAtBlock = event.block.number;
  dispute.openedAtTimestamp = event.block.timestamp;
  dispute.openedAtTransaction = event.transaction.hash;
  dispute.save();

  const protocol = getProtocol(event);
  protocol.disputeCount += 1;
  saveTotals(protocol, getDay(event));
}

export function handleVoteCommitted(event: VoteCommitted): void {
  const protocol = getProtocol(event);
  const voter = getVoter(event.params.voter, protocol);
  voter.ballotsCommitted += 1;
  voter.save();

  const ballot = new Ballot(ballotId(event.params.disputeId, voter.id));
  ballot.dispute = event.params.disputeId.toString();
  ballot.voter = voter.id;
  ballot.commitment = event.params.commitment;
  ballot.bySig = event.params.bySig;
  ballot.committedAtBlock = event.block.number;
  ballot.committedAtTimestamp = event.block.timestamp;
  ballot.committedAtTransaction = event.transaction.hash;
  ballot.revealed = false;
  ballot.save();

  const dispute = Dispute.load(ballot.dispute);
  if (dispute != null) {
    dispute.commitCount += 1;
    dispute.save();
  }
  protocol.ballotsCommitted += 1;
  const day = getDay(event);
  day.ballotsCommitted += 1;
  saveTotals(protocol, day);
}

export function handleVoteRevealed(event: VoteRevealed): void {
  const weight = event.params.weight;
  const support = supportName(event.params.support);
  const protocol = getProtocol(event);
  const voter = getVoter(event.params.voter, protocol);
  voter.ballotsRevealed += 1;
  voter.weightRevealed = voter.weightRevealed.plus(weight);
  voter.save();

  const ballot = Ballot.load(ballotId(event.params.disputeId, voter.id));
  if (ballot != null) {
    ballot.revealed = true;
    ballot.support = support;
    ballot.weight = weight;
    ballot.revealedAtBlock = event.block.number;
    ballot.revealedAtTimestamp = event.block.timestamp;
    ballot.revealedAtTransaction = event.transaction.hash;
    ballot.save();
  }

  const dispute = Dispute.load(event.params.disputeId.toString());
  if (dispute != null) {
    if (support == 'Fraud') dispute.fraudVotes = dispute.fraudVotes.plus(weight);
    else if (support == 'Valid') dispute.validVotes = dispute.validVotes.plus(weight);
    else dispute.abstainVotes = dispute.abstainVotes.plus(weight);
    dispute.revealCount += 1;
    dispute.save();
  }

  protocol.ballotsRevealed += 1;
  protocol.revealedWeight = protocol.revealedWeight.plus(weight);
  const day = getDay(event);
  day.ballotsRevealed += 1;
  day.revealedWeight = day.revealedWeight.plus(weight);
  saveTotals(protocol, day);
}

export function handleDisputeResolved(event: DisputeResolved): void {
  const protocol = getProtocol(event);
  const dispute = Dispute.load(event.params.disputeId.toString());
  let cancelled = false;
  if (dispute != null) {
    dispute.status = 'Resolved';
    dispute.fraud = event.params.fraud;
    dispute.quorumReached = event.params.quorumReached;
    dispute.fraudVotes = event.params.fraudVotes;
    dispute.validVotes = event.params.validVotes;
    dispute.abstainVotes = event.params.abstainVotes;
    dispute.courtFee = event.params.courtFee;
    dispute.resolvedAtBlock = event.block.number;
    dispute.resolvedAtTimestamp = event.block.timestamp;
    dispute.save();
    // ChallengeCancelled (emitted by the run just before) already marked it.
    cancelled = dispute.cancelled;
  }
  if (!cancelled) {
    if (event.params.fraud) protocol.disputesUpheld += 1;
    else protocol.disputesRejected += 1;
  }
  protocol.courtFees = protocol.courtFees.plus(event.params.courtFee);
  const day = getDay(event);
  day.disputesResolved += 1;
  saveTotals(protocol, day);
}

export function handleRewardClaimed(event: RewardClaimed): void {
  const id = event.params.disputeId.toString();
  const amount = event.params.amount;
  const protocol = getProtocol(event);
  const voter = getVoter(event.params.voter, protocol);
  voter.rewardsClaimed = voter.rewardsClaimed.plus(amount);
  voter.save();

  const claim = new CourtRewardClaim(id + '-' + voter.id);
  claim.dispute = id;
  claim.voter = voter.id;
  claim.amount = amount;
  claim.blockNumber = event.block.number;
  claim.timestamp = event.block.timestamp;
  claim.transaction = event.transaction.hash;
  claim.save();

  const ballot = Ballot.load(claim.id);
  if (ballot != null) {
    ballot.reward = amount;
    ballot.save();
  }
  const dispute = Dispute.load(id);
  if (dispute != null) {
    dispute.rewardsClaimed = dispute.rewardsClaimed.plus(amount);
    dispute.save();
  }
  protocol.courtRewardsClaimed = protocol.courtRewardsClaimed.plus(amount);
  saveTotals(protocol, getDay(event));
}

/** Records one stake event with the account's and the court's state after it. */
function recordStakeEvent(
  event: ethereum.Event,
  voter: Voter,
  protocol: Protocol,
  kind: string,
  amount: BigInt,
): void {
  const record = new CourtStakeEvent(eventId(event));
  record.account = voter.id;
  record.kind = kind;
  record.amount = amount;
  record.stakeAfter = voter.stake;
  record.pendingAfter = voter.pendingUnstake;
  record.unlockAt = kind == 'UnstakeRequested' ? voter.unlockAt : null;
  record.totalStake = protocol.courtTotalStake;
  record.totalPending = protocol.courtPendingUnstake;
  record.blockNumber = event.block.number;
  record.timestamp = event.block.timestamp;
  record.transaction = event.transaction.hash;
  record.save();
}

export function handleStaked(event: Staked): void {
  const protocol = getProtocol(event);
  const voter = getVoter(event.params.account, protocol);
  if (voter.stake.isZero()) protocol.courtStakerCount += 1;
  voter.stake = event.params.stake;
  voter.totalStaked = voter.totalStaked.plus(event.params.amount);
  voter.save();
  protocol.courtTotalStake = protocol.courtTotalStake.plus(event.params.amount);
  recordStakeEvent(event, voter, protocol, 'Staked', event.params.amount);
  saveTotals(protocol, getDay(event));
}

export function handleUnstakeRequested(event: UnstakeRequested): void {
  const protocol = getProtocol(event);
  const voter = getVoter(event.params.account, protocol);
  voter.stake = event.params.stake;
  if (voter.stake.isZero()) protocol.courtStakerCount -= 1;
  voter.pendingUnstake = event.params.pending;
  // A new request restarts the cooldown for everything pending.
  voter.unlockAt = event.params.unlockAt;
  voter.save();
  protocol.courtTotalStake = protocol.courtTotalStake.minus(event.params.amount);
  protocol.courtPendingUnstake = protocol.courtPendingUnstake.plus(event.params.amount);
  recordStakeEvent(event, voter, protocol, 'UnstakeRequested', event.params.amount);
  saveTotals(protocol, getDay(event));
}

export function handleUnstaked(event: Unstaked): void {
  const protocol = getProtocol(event);
  const voter = getVoter(event.params.account, protocol);
  // withdrawUnstaked takes everything pending at once.
  voter.pendingUnstake = ZERO;
  voter.unlockAt = null;
  voter.totalUnstaked = voter.totalUnstaked.plus(event.params.amount);
  voter.save();
  protocol.courtPendingUnstake = protocol.courtPendingUnstake.minus(event.params.amount);
  recordStakeEvent(event, voter, protocol, 'Unstaked', event.params.amount);
  saveTotals(protocol, getDay(event));
}

export function handleParametersChanged(event: ParametersChanged): void {
  const protocol = getProtocol(event);
  protocol.courtCommitPeriod = event.params.commitPeriod;
  protocol.courtRevealPeriod = event.params.revealPeriod;
  protocol.courtUnstakeCooldown = event.params.unstakeCooldown;
  protocol.courtQuorumBps = event.params.quorumBps;
  protocol.courtFeeBps = event.params.courtFeeBps;
  saveTotals(protocol, getDay(event));
}
