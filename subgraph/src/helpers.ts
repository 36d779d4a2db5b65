// Shared helpers of the mappings: singletons, per-day activity, per-address entities, IDs and
// fixed-point conversion. Every function here is deterministic and makes no contract calls.
import { Address, BigDecimal, BigInt, Bytes, ethereum } from '@graphprotocol/graph-ts';
import { DailyActivity, Operator, Optimizer, Protocol, Voter, Worker } from '../generated/schema';

export const PROTOCOL_ID = 'protocol';
export const ZERO = BigInt.zero();
export const ONE = BigInt.fromI32(1);
export const SECONDS_PER_DAY = 86400;

/** Losses are int64 fixed point with 9 decimals (1e9 = 1.0). */
export const LOSS_DECIMALS: u8 = 9;
/** Market scores are int256 fixed point with 6 decimals (1e6 = 1.0). */
export const SCORE_DECIMALS: u8 = 6;

/** raw / 10^decimals as an exact BigDecimal (division by a power of ten is exact). */
export function fixedToDecimal(raw: BigInt, decimals: u8): BigDecimal {
  return raw.toBigDecimal().div(BigInt.fromI32(10).pow(decimals).toBigDecimal());
}

/** ID of an entity that records one event log: '<txHash>-<logIndex>'. */
export function eventId(event: ethereum.Event): string {
  return event.transaction.hash.toHexString() + '-' + event.logIndex.toString();
}

export function addressId(address: Address): string {
  return address.toHexString();
}

export function getProtocol(event: ethereum.Event): Protocol {
  let protocol = Protocol.load(PROTOCOL_ID);
  if (protocol == null) {
    protocol = new Protocol(PROTOCOL_ID);
    protocol.runCount = 0;
    protocol.completedRunCount = 0;
    protocol.roundsClaimed = 0;
    protocol.roundsSubmitted = 0;
    protocol.roundsFinalized = 0;
    protocol.roundsInvalidated = 0;
    protocol.leasesExpired = 0;
    protocol.stepCount = ZERO;
    protocol.validStepCount = ZERO;
    protocol.challengeCount = 0;
    protocol.disputeCount = 0;
    protocol.disputesUpheld = 0;
    protocol.disputesRejected = 0;
    protocol.challengeCommitCount = 0;
    protocol.challengeCommitsExpired = 0;
    protocol.disputesCancelled = 0;
    protocol.ballotsCommitted = 0;
    protocol.ballotsRevealed = 0;
    protocol.revealedWeight = ZERO;
    protocol.courtTotalStake = ZERO;
    protocol.courtPendingUnstake = ZERO;
    protocol.courtStakerCount = 0;
    protocol.poolsSwept = ZERO;
    protocol.workerCount = 0;
    protocol.voterCount = 0;
    protocol.trainingRewardsPaid = ZERO;
    protocol.trainingPoolsFunded = ZERO;
    protocol.courtFees = ZERO;
    protocol.courtRewardsClaimed = ZERO;
    protocol.taskCount = 0;
    protocol.openTaskCount = 0;
    protocol.candidateCount = 0;
    protocol.attestationCount = 0;
    protocol.bestModelChangeCount = 0;
    protocol.marketRewardsPaid = ZERO;
    protocol.attestationFeesPaid = ZERO;
    protocol.bondsSlashed = ZERO;
    protocol.operatorCount = 0;
    protocol.totalOperatorStake = ZERO;
    protocol.tokenSupply = ZERO;
  }
  protocol.lastBlockNumber = event.block.number;
  protocol.lastTimestamp = event.block.timestamp;
  return protocol;
}

/** The day's activity entity; end-of-day totals are copied from the protocol on every save. */
export function getDay(event: ethereum.Event): DailyActivity {
  const dayNumber = event.block.timestamp.toI64() / SECONDS_PER_DAY;
  const id = dayNumber.toString();
  let day = DailyActivity.load(id);
  if (day == null) {
    day = new DailyActivity(id);
    day.day = dayNumber as i32;
    day.date = (dayNumber * SECONDS_PER_DAY) as i32;
    day.runsCreated = 0;
    day.roundsClaimed = 0;
    day.roundsSubmitted = 0;
    day.roundsFinalized = 0;
    day.roundsInvalidated = 0;
    day.stepsSubmitted = ZERO;
    day.challenges = 0;
    day.disputesResolved = 0;
    day.ballotsCommitted = 0;
    day.ballotsRevealed = 0;
    day.revealedWeight = ZERO;
    day.tasksCreated = 0;
    day.candidatesSubmitted = 0;
    day.attestations = 0;
    day.bestModelChanges = 0;
    day.operatorsRegistered = 0;
    day.operatorsExited = 0;
    day.trainingRewardsPaid = ZERO;
    day.marketRewardsPaid = ZERO;
    day.totalOperatorStake = ZERO;
    day.validStepCount = ZERO;
    day.courtTotalStake = ZERO;
  }
  return day;
}

/** Saves the protocol and the day together, snapshotting the protocol totals into the day. */
export function saveTotals(protocol: Protocol, day: DailyActivity): void {
  day.totalOperatorStake = protocol.totalOperatorStake;
  day.validStepCount = protocol.validStepCount;
  day.courtTotalStake = protocol.courtTotalStake;
  protocol.save();
  day.save();
}

/** Loads or creates a worker; a new one is counted in `protocol` (the caller saves it). */
export function getWorker(address: Address, protocol: Protocol, event: ethereum.Event): Worker {
  const id = addressId(address);
  let worker = Worker.load(id);
  if (worker == null) {
    worker = new Worker(id);
    worker.address = address;
    worker.roundsClaimed = 0;
    worker.roundsSubmitted = 0;
    worker.roundsFinalized = 0;
    worker.roundsInvalidated = 0;
    worker.roundsSlashed = 0;
    worker.leasesExpired = 0;
    worker.stepsSubmitted = ZERO;
    worker.totalDeposited = ZERO;
    worker.totalDepositReturned = ZERO;
    worker.totalForfeited = ZERO;
    worker.totalSlashed = ZERO;
    worker.totalRewards = ZERO;
    worker.challengeCommits = 0;
    worker.challengesMade = 0;
    worker.challengesWon = 0;
    worker.challengesLost = 0;
    worker.challengePayouts = ZERO;
    worker.totalWithdrawn = ZERO;
    worker.firstSeenBlock = event.block.number;
    protocol.workerCount += 1;
  }
  worker.lastActiveBlock = event.block.number;
  return worker;
}

/** Loads or creates a voter; a new one is counted in `protocol` (the caller saves it). */
export function getVoter(address: Address, protocol: Protocol): Voter {
  const id = addressId(address);
  let voter = Voter.load(id);
  if (voter == null) {
    voter = new Voter(id);
    voter.address = address;
    voter.balance = ZERO;
    voter.stake = ZERO;
    voter.pendingUnstake = ZERO;
    voter.totalStaked = ZERO;
    voter.totalUnstaked = ZERO;
    voter.ballotsCommitted = 0;
    voter.ballotsRevealed = 0;
    voter.weightRevealed = ZERO;
    voter.rewardsClaimed = ZERO;
    protocol.voterCount += 1;
  }
  return voter;
}

export function getOptimizer(address: Address): Optimizer {
  const id = addressId(address);
  let optimizer = Optimizer.load(id);
  if (optimizer == null) {
    optimizer = new Optimizer(id);
    optimizer.address = address;
    optimizer.candidateCount = 0;
    optimizer.improvementCount = 0;
    optimizer.rejectedCount = 0;
    optimizer.rewards = ZERO;
    optimizer.bondsLost = ZERO;
  }
  return optimizer;
}

/** An operator seen for the first time (normally at OperatorRegistered). */
export function getOperator(address: Address, event: ethereum.Event): Operator {
  const id = addressId(address);
  let operator = Operator.load(id);
  if (operator == null) {
    operator = new Operator(id);
    operator.address = address;
    operator.status = 'Active';
    operator.stake = ZERO;
    operator.registeredAtBlock = event.block.number;
    operator.registeredAtTimestamp = event.block.timestamp;
    operator.totalSlashed = ZERO;
    operator.attestationCount = 0;
    operator.feesEarned = ZERO;
    operator.bondSharesEarned = ZERO;
  }
  return operator;
}

export function minBigInt(a: BigInt, b: BigInt): BigInt {
  return a.lt(b) ? a : b;
}

export function maxBigInt(a: BigInt, b: BigInt): BigInt {
  return a.gt(b) ? a : b;
}

export function bytesOrZero(value: Bytes | null): Bytes {
  return value == null ? Bytes.empty() : value;
}
