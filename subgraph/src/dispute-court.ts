// DisputeCourt: disputes, every vote with its weight and reason, rulings and voter rewards.
import {
  DisputeOpened,
  DisputeResolved,
  ParametersChanged,
  RewardClaimed,
  VoteCast,
} from '../generated/DisputeCourt/DisputeCourt';
import { Challenge, CourtRewardClaim, Dispute, RoundSlot, Vote } from '../generated/schema';
import { ZERO, addressId, getDay, getProtocol, getVoter, saveTotals } from './helpers';

/** VoteCast's `support`: 0 = Fraud, 1 = Valid, 2 = Abstain. */
function supportName(support: i32): string {
  if (support == 0) return 'Fraud';
  if (support == 1) return 'Valid';
  return 'Abstain';
}

export function handleDisputeOpened(event: DisputeOpened): void {
  const id = event.params.disputeId.toString();
  const run = addressId(event.params.run);
  const dispute = new Dispute(id);
  dispute.disputeId = event.params.disputeId;
  dispute.run = run;
  dispute.roundNumber = event.params.round;
  const slot = RoundSlot.load(run + '-' + event.params.round.toString());
  if (slot != null) dispute.round = slot.current;
  // The run may have emitted RoundChallenged earlier in this transaction.
  if (Challenge.load(id) != null) dispute.challenge = id;
  dispute.challenger = event.params.challenger;
  dispute.worker = event.params.worker;
  dispute.stepIndex = event.params.stepIndex;
  dispute.snapshotBlock = event.params.snapshotBlock;
  dispute.deadline = event.params.deadline;
  dispute.quorumVotes = event.params.quorumVotes;
  dispute.stakeAtRisk = event.params.stakeAtRisk;
  dispute.status = 'Open';
  dispute.fraudVotes = ZERO;
  dispute.validVotes = ZERO;
  dispute.abstainVotes = ZERO;
  dispute.voteCount = 0;
  dispute.rewardsClaimed = ZERO;
  dispute.openedAtBlock = event.block.number;
  dispute.openedAtTimestamp = event.block.timestamp;
  dispute.openedAtTransaction = event.transaction.hash;
  dispute.save();

  const protocol = getProtocol(event);
  protocol.disputeCount += 1;
  saveTotals(protocol, getDay(event));
}

export function handleVoteCast(event: VoteCast): void {
  const id = event.params.disputeId.toString();
  const weight = event.params.weight;
  const support = supportName(event.params.support);
  const protocol = getProtocol(event);

  const voter = getVoter(event.params.voter, protocol);
  voter.votesCast += 1;
  voter.weightUsed = voter.weightUsed.plus(weight);
  voter.save();

  const vote = new Vote(id + '-' + voter.id);
  vote.dispute = id;
  vote.voter = voter.id;
  vote.support = support;
  vote.weight = weight;
  vote.reason = event.params.reason;
  vote.bySig = event.params.bySig;
  vote.blockNumber = event.block.number;
  vote.timestamp = event.block.timestamp;
  vote.transaction = event.transaction.hash;
  vote.save();

  const dispute = Dispute.load(id);
  if (dispute != null) {
    if (support == 'Fraud') dispute.fraudVotes = dispute.fraudVotes.plus(weight);
    else if (support == 'Valid') dispute.validVotes = dispute.validVotes.plus(weight);
    else dispute.abstainVotes = dispute.abstainVotes.plus(weight);
    dispute.voteCount += 1;
    dispute.save();
  }

  protocol.voteCount += 1;
  protocol.voteWeight = protocol.voteWeight.plus(weight);
  const day = getDay(event);
  day.votes += 1;
  day.voteWeight = day.voteWeight.plus(weight);
  saveTotals(protocol, day);
}

export function handleDisputeResolved(event: DisputeResolved): void {
  const protocol = getProtocol(event);
  const dispute = Dispute.load(event.params.disputeId.toString());
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
  }
  if (event.params.fraud) protocol.disputesUpheld += 1;
  else protocol.disputesRejected += 1;
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

  const dispute = Dispute.load(id);
  if (dispute != null) {
    dispute.rewardsClaimed = dispute.rewardsClaimed.plus(amount);
    dispute.save();
  }
  protocol.courtRewardsClaimed = protocol.courtRewardsClaimed.plus(amount);
  saveTotals(protocol, getDay(event));
}

export function handleParametersChanged(event: ParametersChanged): void {
  const protocol = getProtocol(event);
  protocol.courtVotingPeriod = event.params.votingPeriod;
  protocol.courtQuorumBps = event.params.quorumBps;
  protocol.courtFeeBps = event.params.courtFeeBps;
  saveTotals(protocol, getDay(event));
}
