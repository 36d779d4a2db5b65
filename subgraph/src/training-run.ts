// TrainingRun (template, one data source per run): leases (round attempts told apart by claimId),
// steps with their state hashes (the loss curve) and its downsampled buckets, checkpoints,
// commit-reveal challenges (several disputes per round), rollbacks, finalisation and the sweep. A rollback marks rounds and steps Invalidated and never
// deletes them, so both the valid curve and the full history stay queryable.
import { Address, BigInt, Bytes, dataSource, ethereum, log } from '@graphprotocol/graph-ts';
import {
  Challenge,
  ChallengeCommit,
  Checkpoint,
  Dispute,
  PoolFunding,
  Round,
  RoundSlot,
  Run,
  RunStats,
  Step,
  Withdrawal,
  Worker,
} from '../generated/schema';
import {
  ChallengeCancelled,
  ChallengeCommitted,
  ChallengeExpired,
  ChallengeReclaimed,
  ChallengeResolved,
  LeaseExpired,
  PoolFunded,
  PoolSwept,
  RoundChallenged,
  RoundClaimed,
  RoundFinalized,
  RoundInvalidated,
  RoundSubmitted,
  RunCompleted,
  Withdrawn,
} from '../generated/templates/TrainingRun/TrainingRun';
import {
  LOSS_DECIMALS,
  ZERO,
  eventId,
  fixedToDecimal,
  getDay,
  getProtocol,
  getWorker,
  maxBigInt,
  saveTotals,
} from './helpers';
import { appendSteps, rollBack } from './loss-buckets';

function runId(): string {
  return dataSource.address().toHexString();
}

function slotId(run: string, round: BigInt): string {
  return run + '-' + round.toString();
}

function stepId(roundId: string, step: BigInt): string {
  return roundId + '-' + step.toString();
}

function loadRun(): Run {
  return Run.load(runId())!;
}

function loadStats(run: string): RunStats {
  return RunStats.load(run)!;
}

/** The latest attempt at round `number` of the run whose event is being handled. */
function currentRound(run: string, number: BigInt): Round | null {
  const slot = RoundSlot.load(slotId(run, number));
  if (slot == null) return null;
  return Round.load(slot.current);
}

function hasValidSubmission(round: Round): boolean {
  return round.status == 'Submitted' || round.status == 'Challenged' || round.status == 'Finalized';
}

function updateAverage(stats: RunStats): void {
  if (stats.validStepCount.isZero()) {
    stats.avgLoss = null;
  } else {
    stats.avgLoss = fixedToDecimal(stats.lossSumRaw, LOSS_DECIMALS).div(
      stats.validStepCount.toBigDecimal(),
    );
  }
}

function touch(stats: RunStats, event: ethereum.Event): void {
  stats.updatedAtBlock = event.block.number;
  stats.save();
}

export function handlePoolFunded(event: PoolFunded): void {
  const run = loadRun();
  run.poolBalance = event.params.poolBalance;
  run.totalFunded = run.totalFunded.plus(event.params.amount);
  run.save();

  const funding = new PoolFunding(eventId(event));
  funding.run = run.id;
  funding.funder = event.params.funder;
  funding.amount = event.params.amount;
  funding.poolBalance = event.params.poolBalance;
  funding.blockNumber = event.block.number;
  funding.timestamp = event.block.timestamp;
  funding.transaction = event.transaction.hash;
  funding.save();

  const protocol = getProtocol(event);
  protocol.trainingPoolsFunded = protocol.trainingPoolsFunded.plus(event.params.amount);
  saveTotals(protocol, getDay(event));
}

export function handleRoundClaimed(event: RoundClaimed): void {
  const run = runId();
  const number = event.params.round;
  const protocol = getProtocol(event);
  const worker = getWorker(event.params.worker, protocol, event);

  let slot = RoundSlot.load(slotId(run, number));
  let attempt = 0;
  let previous: Round | null = null;
  if (slot == null) {
    slot = new RoundSlot(slotId(run, number));
    slot.run = run;
    slot.number = number;
  } else {
    attempt = slot.attempts;
    previous = Round.load(slot.current);
  }
  const round = new Round(slot.id + '-' + attempt.toString());
  round.claimId = event.params.claimId;
  if (previous != null) {
    round.previous = previous.id;
    previous.next = round.id;
    previous.save();
  }
  round.challengeCommits = 0;
  round.pendingCommits = 0;
  round.disputesOpened = 0;
  round.openDisputes = 0;
  round.run = run;
  round.slot = slot.id;
  round.number = number;
  round.attempt = attempt;
  round.worker = worker.id;
  round.status = 'Claimed';
  round.deposit = event.params.deposit;
  round.leaseExpiresAt = event.params.leaseExpiresAt;
  round.baseStateHash = event.params.baseStateHash;
  round.claimedAtBlock = event.block.number;
  round.claimedAtTimestamp = event.block.timestamp;
  round.claimedAtTransaction = event.transaction.hash;
  round.stepCount = 0;
  round.slashed = false;
  round.save();

  slot.attempts = attempt + 1;
  slot.current = round.id;
  slot.save();

  worker.roundsClaimed += 1;
  worker.totalDeposited = worker.totalDeposited.plus(event.params.deposit);
  worker.save();

  const stats = loadStats(run);
  stats.roundsClaimed += 1;
  const numbers = number.plus(BigInt.fromI32(1));
  if (numbers.gt(BigInt.fromI32(stats.roundNumbers))) stats.roundNumbers = numbers.toI32();
  touch(stats, event);

  protocol.roundsClaimed += 1;
  const day = getDay(event);
  day.roundsClaimed += 1;
  saveTotals(protocol, day);
}

export function handleLeaseExpired(event: LeaseExpired): void {
  // The forfeited share reaches the pool through the PoolFunded event that follows.
  const run = loadRun();
  const round = currentRound(run.id, event.params.round);
  if (round != null) {
    round.status = 'Expired';
    round.forfeited = event.params.forfeited;
    round.expiryRefund = event.params.refunded;
    round.save();
  }

  const protocol = getProtocol(event);
  const worker = getWorker(event.params.worker, protocol, event);
  worker.leasesExpired += 1;
  worker.totalForfeited = worker.totalForfeited.plus(event.params.forfeited);
  worker.totalDepositReturned = worker.totalDepositReturned.plus(event.params.refunded);
  worker.save();

  const stats = loadStats(run.id);
  stats.leasesExpired += 1;
  touch(stats, event);
  protocol.leasesExpired += 1;
  saveTotals(protocol, getDay(event));
}

export function handleRoundSubmitted(event: RoundSubmitted): void {
  const run = runId();
  const protocol = getProtocol(event);
  const worker = getWorker(event.params.worker, protocol, event);
  const round = currentRound(run, event.params.round);
  if (round == null) {
    // A submission always follows a claim; skip (and say so) rather than halt indexing.
    log.warning('RoundSubmitted for unclaimed round {} of run {}', [
      event.params.round.toString(),
      run,
    ]);
    return;
  }

  const losses = event.params.losses;
  const hashes = event.params.stateHashes;
  const count = losses.length;
  const firstStep = event.params.firstStep;

  const checkpoint = new Checkpoint(round.id);
  checkpoint.run = run;
  checkpoint.round = round.id;
  checkpoint.roundNumber = round.number;
  checkpoint.step = firstStep.plus(BigInt.fromI32(count)).minus(BigInt.fromI32(1));
  checkpoint.stateHash = event.params.finalStateHash;
  checkpoint.uri = event.params.stateURI;
  checkpoint.worker = worker.id;
  checkpoint.blockNumber = event.block.number;
  checkpoint.timestamp = event.block.timestamp;
  checkpoint.transaction = event.transaction.hash;
  checkpoint.save();

  let sum = ZERO;
  let minRaw: BigInt | null = null;
  let minStep: BigInt | null = null;
  let maxRaw: BigInt | null = null;
  for (let i = 0; i < count; i++) {
    const raw = losses[i];
    const t = firstStep.plus(BigInt.fromI32(i));
    const step = new Step(stepId(round.id, t));
    step.run = run;
    step.round = round.id;
    step.roundNumber = round.number;
    step.step = t;
    step.stepIndex = i;
    step.stateHash = hashes[i];
    step.previousStateHash = i == 0 ? round.baseStateHash : hashes[i - 1];
    step.lossRaw = raw;
    step.loss = fixedToDecimal(raw, LOSS_DECIMALS);
    step.status = 'Valid';
    step.worker = worker.id;
    step.checkpoint = checkpoint.id;
    step.blockNumber = event.block.number;
    step.timestamp = event.block.timestamp;
    step.transaction = event.transaction.hash;
    step.save();

    sum = sum.plus(raw);
    if (minRaw === null || raw.lt(minRaw)) {
      minRaw = raw;
      minStep = t;
    }
    if (maxRaw === null || raw.gt(maxRaw)) maxRaw = raw;
  }

  round.status = 'Submitted';
  round.firstStep = firstStep;
  round.stepCount = count;
  round.finalStateHash = event.params.finalStateHash;
  round.stateURI = event.params.stateURI;
  round.challengeDeadline = event.params.challengeDeadline;
  round.submittedAtBlock = event.block.number;
  round.submittedAtTimestamp = event.block.timestamp;
  round.submittedAtTransaction = event.transaction.hash;
  round.checkpoint = checkpoint.id;
  round.lossSumRaw = sum;
  if (count > 0) {
    const lastRaw = losses[count - 1];
    round.lastStep = checkpoint.step;
    round.lastLossRaw = lastRaw;
    round.lastLoss = fixedToDecimal(lastRaw, LOSS_DECIMALS);
    round.minLossRaw = minRaw;
    round.minLoss = fixedToDecimal(minRaw!, LOSS_DECIMALS);
    round.minLossStep = minStep;
    round.maxLossRaw = maxRaw;
    round.maxLoss = fixedToDecimal(maxRaw!, LOSS_DECIMALS);
  }
  round.save();

  const countBig = BigInt.fromI32(count);
  worker.roundsSubmitted += 1;
  worker.stepsSubmitted = worker.stepsSubmitted.plus(countBig);
  worker.save();

  const stats = loadStats(run);
  appendSteps(run, stats, firstStep, losses, event);
  stats.roundsSubmitted += 1;
  stats.stepCount = stats.stepCount.plus(countBig);
  stats.validStepCount = stats.validStepCount.plus(countBig);
  stats.lossSumRaw = stats.lossSumRaw.plus(sum);
  if (count > 0) {
    const roundMin = minRaw!;
    const currentMin = stats.minLossRaw;
    if (currentMin === null || roundMin.lt(currentMin)) {
      stats.minLossRaw = roundMin;
      stats.minLoss = round.minLoss;
      stats.minLossStep = minStep;
    }
    const allMin = stats.minLossAllRaw;
    if (allMin === null || roundMin.lt(allMin)) {
      stats.minLossAllRaw = roundMin;
      stats.minLossAll = round.minLoss;
    }
    const currentLast = stats.lastStep;
    if (currentLast === null || checkpoint.step.gt(currentLast)) {
      stats.lastStep = checkpoint.step;
      stats.lastLossRaw = round.lastLossRaw;
      stats.lastLoss = round.lastLoss;
    }
  }
  updateAverage(stats);
  touch(stats, event);

  protocol.roundsSubmitted += 1;
  protocol.stepCount = protocol.stepCount.plus(countBig);
  protocol.validStepCount = protocol.validStepCount.plus(countBig);
  const day = getDay(event);
  day.roundsSubmitted += 1;
  day.stepsSubmitted = day.stepsSubmitted.plus(countBig);
  saveTotals(protocol, day);
}

function commitId(run: string, commitment: Bytes): string {
  return run + '-' + commitment.toHexString();
}

export function handleChallengeCommitted(event: ChallengeCommitted): void {
  const run = runId();
  const round = currentRound(run, event.params.round);
  if (round == null || !round.claimId.equals(event.params.claimId)) {
    log.warning('ChallengeCommitted for an unknown lease {} of round {} of run {}', [
      event.params.claimId.toString(),
      event.params.round.toString(),
      run,
    ]);
    return;
  }
  const protocol = getProtocol(event);
  const committer = getWorker(event.params.committer, protocol, event);
  committer.challengeCommits += 1;
  committer.save();

  const commit = new ChallengeCommit(commitId(run, event.params.commitment));
  commit.run = run;
  commit.round = round.id;
  commit.roundNumber = round.number;
  commit.claimId = event.params.claimId;
  commit.commitment = event.params.commitment;
  commit.committer = committer.id;
  commit.deposit = event.params.deposit;
  commit.revealDeadline = event.params.revealDeadline;
  commit.status = 'Committed';
  commit.blockNumber = event.block.number;
  commit.timestamp = event.block.timestamp;
  commit.transaction = event.transaction.hash;
  commit.save();

  round.challengeCommits += 1;
  round.pendingCommits += 1;
  round.save();

  const stats = loadStats(run);
  stats.challengeCommits += 1;
  touch(stats, event);
  protocol.challengeCommitCount += 1;
  saveTotals(protocol, getDay(event));
}

export function handleRoundChallenged(event: RoundChallenged): void {
  const run = runId();
  const commit = ChallengeCommit.load(commitId(run, event.params.commitment));
  // The reveal is on the lease the commitment named (the contract checks it is still current).
  const round = commit != null ? Round.load(commit.round) : currentRound(run, event.params.round);
  if (round == null) {
    log.warning('RoundChallenged for unclaimed round {} of run {}', [
      event.params.round.toString(),
      run,
    ]);
    return;
  }
  round.status = 'Challenged';
  round.disputesOpened += 1;
  round.openDisputes += 1;
  if (commit != null) round.pendingCommits -= 1;
  round.save();

  const protocol = getProtocol(event);
  const challenger = getWorker(event.params.challenger, protocol, event);
  challenger.challengesMade += 1;
  challenger.save();

  const id = event.params.disputeId.toString();
  const challenge = new Challenge(id);
  challenge.run = run;
  challenge.round = round.id;
  challenge.roundNumber = round.number;
  challenge.claimId = round.claimId;
  challenge.seq = event.params.seq.toI32();
  challenge.dispute = id;
  challenge.commitment = event.params.commitment;
  if (commit != null) {
    challenge.commit = commit.id;
    commit.status = 'Revealed';
    commit.challenge = id;
    commit.settledAtBlock = event.block.number;
    commit.save();
  }
  challenge.challenger = challenger.id;
  challenge.stepIndex = event.params.stepIndex;
  challenge.step = event.params.step;
  const step = Step.load(stepId(round.id, event.params.step));
  if (step != null) {
    challenge.stepEntity = step.id;
    challenge.claimedStateHash = step.stateHash;
    challenge.previousStateHash = step.previousStateHash;
  }
  challenge.evidenceURI = event.params.evidenceURI;
  challenge.deposit = event.params.deposit;
  challenge.status = 'Open';
  challenge.blockNumber = event.block.number;
  challenge.timestamp = event.block.timestamp;
  challenge.transaction = event.transaction.hash;
  challenge.save();

  // The court emitted DisputeOpened earlier in this transaction.
  const dispute = Dispute.load(id);
  if (dispute != null) {
    dispute.challenge = id;
    dispute.round = round.id;
    dispute.save();
  }

  const stats = loadStats(run);
  stats.challenges += 1;
  touch(stats, event);
  protocol.challengeCount += 1;
  const day = getDay(event);
  day.challenges += 1;
  saveTotals(protocol, day);
}

/** Loads a commitment by its hash and takes it off its lease's pending count. */
function settleCommit(
  run: string,
  commitment: Bytes,
  status: string,
  block: BigInt,
): ChallengeCommit | null {
  const commit = ChallengeCommit.load(commitId(run, commitment));
  if (commit == null) return null;
  commit.status = status;
  commit.settledAtBlock = block;
  const round = Round.load(commit.round);
  if (round != null && round.pendingCommits > 0) {
    round.pendingCommits -= 1;
    round.save();
  }
  return commit;
}

export function handleChallengeExpired(event: ChallengeExpired): void {
  // The forfeited deposit reaches the pool through the PoolFunded event that follows.
  const run = runId();
  const commit = settleCommit(run, event.params.commitment, 'Expired', event.block.number);
  if (commit == null) return;
  commit.forfeited = event.params.forfeited;
  commit.save();
  const protocol = getProtocol(event);
  protocol.challengeCommitsExpired += 1;
  saveTotals(protocol, getDay(event));
}

export function handleChallengeReclaimed(event: ChallengeReclaimed): void {
  const run = runId();
  const commit = settleCommit(run, event.params.commitment, 'Reclaimed', event.block.number);
  if (commit == null) return;
  commit.refunded = event.params.refunded;
  commit.reclaimedBy = event.params.challenger;
  commit.save();
}

/** Takes a settled dispute off its lease; a lease with none open left is no longer Challenged. */
function closeDispute(challenge: Challenge): void {
  const round = Round.load(challenge.round);
  if (round == null) return;
  if (round.openDisputes > 0) round.openDisputes -= 1;
  if (round.openDisputes == 0 && round.status == 'Challenged') round.status = 'Submitted';
  round.save();
}

export function handleChallengeResolved(event: ChallengeResolved): void {
  const run = runId();
  const id = event.params.disputeId.toString();
  const fraud = event.params.fraud;
  const protocol = getProtocol(event);

  const challenge = Challenge.load(id);
  if (challenge != null) {
    challenge.status = fraud ? 'Upheld' : 'Rejected';
    challenge.winner = event.params.winner;
    challenge.payout = event.params.payout;
    challenge.courtFee = event.params.courtFee;
    challenge.toPool = event.params.toPool;
    challenge.resolvedAtBlock = event.block.number;
    challenge.resolvedAtTimestamp = event.block.timestamp;
    challenge.save();
    // A fraud ruling is followed by RoundInvalidated, which sets the final status.
    closeDispute(challenge);

    const challenger = getWorker(Address.fromString(challenge.challenger), protocol, event);
    if (fraud) challenger.challengesWon += 1;
    else challenger.challengesLost += 1;
    challenger.save();
  }
  const winner = getWorker(event.params.winner, protocol, event);
  winner.challengePayouts = winner.challengePayouts.plus(event.params.payout);
  winner.save();

  const stats = loadStats(run);
  if (fraud) stats.disputesUpheld += 1;
  else stats.disputesRejected += 1;
  touch(stats, event);
  saveTotals(protocol, getDay(event));
}

/** A dispute on a lease that another fraud ruling voided: the challenger got its deposit back. */
export function handleChallengeCancelled(event: ChallengeCancelled): void {
  const run = runId();
  const id = event.params.disputeId.toString();
  const challenge = Challenge.load(id);
  if (challenge != null) {
    challenge.status = 'Cancelled';
    challenge.refunded = event.params.refunded;
    challenge.resolvedAtBlock = event.block.number;
    challenge.resolvedAtTimestamp = event.block.timestamp;
    challenge.save();
    closeDispute(challenge);
  }
  // The court's DisputeResolved follows in this transaction.
  const dispute = Dispute.load(id);
  if (dispute != null) {
    dispute.cancelled = true;
    dispute.save();
  }
  const stats = loadStats(run);
  stats.disputesCancelled += 1;
  touch(stats, event);
  const protocol = getProtocol(event);
  protocol.disputesCancelled += 1;
  saveTotals(protocol, getDay(event));
}

export function handleRoundInvalidated(event: RoundInvalidated): void {
  const run = runId();
  const round = currentRound(run, event.params.round);
  if (round == null || round.status == 'Invalidated') return;
  const disputeId = event.params.disputeId.toString();
  const wasSubmitted = hasValidSubmission(round);

  // The round the court found fraudulent is the challenged one; later rounds were built in good
  // faith on its bad state and their workers are refunded.
  const challenge = Challenge.load(disputeId);
  const slashed = challenge != null && challenge.round == round.id;

  round.status = 'Invalidated';
  round.invalidatedBy = disputeId;
  round.invalidationRefund = event.params.refunded;
  round.slashed = slashed;
  round.invalidatedAtBlock = event.block.number;
  round.invalidatedAtTimestamp = event.block.timestamp;
  round.save();

  const count = BigInt.fromI32(round.stepCount);
  if (wasSubmitted) {
    const first = round.firstStep!;
    for (let i = 0; i < round.stepCount; i++) {
      const step = Step.load(stepId(round.id, first.plus(BigInt.fromI32(i))));
      if (step == null) continue;
      step.status = 'Invalidated';
      step.invalidatedBy = disputeId;
      step.invalidatedAtBlock = event.block.number;
      step.save();
    }
  }

  const protocol = getProtocol(event);
  const worker = getWorker(event.params.worker, protocol, event);
  if (slashed) {
    worker.roundsSlashed += 1;
    worker.totalSlashed = worker.totalSlashed.plus(round.deposit);
  } else {
    worker.roundsInvalidated += 1;
    worker.totalDepositReturned = worker.totalDepositReturned.plus(event.params.refunded);
  }
  worker.save();

  const stats = loadStats(run);
  stats.roundsInvalidated += 1;
  if (wasSubmitted) {
    stats.validStepCount = stats.validStepCount.minus(count);
    stats.invalidatedStepCount = stats.invalidatedStepCount.plus(count);
    const sum = round.lossSumRaw;
    if (sum !== null) stats.lossSumRaw = stats.lossSumRaw.minus(sum);
    updateAverage(stats);
    protocol.validStepCount = protocol.validStepCount.minus(count);
  }
  // A ruling cuts the valid chain after the ruled round's predecessor: the first RoundInvalidated
  // of a ruling (the ruled round) moves the head back; those of later rounds find it already cut.
  const run_ = loadRun();
  const keep = round.number.times(run_.stepsPerRound);
  const head = stats.lastStep;
  if (head !== null && head.gt(keep)) {
    const kept = rollBack(run, run_.stepsPerRound, keep, head, event);
    if (kept == null) {
      stats.lastStep = null;
      stats.lastLossRaw = null;
      stats.lastLoss = null;
      stats.minLossRaw = null;
      stats.minLoss = null;
      stats.minLossStep = null;
    } else {
      stats.lastStep = kept.lastStep;
      stats.lastLossRaw = kept.lastLossRaw;
      stats.lastLoss = fixedToDecimal(kept.lastLossRaw!, LOSS_DECIMALS);
      stats.minLossRaw = kept.minLossRaw;
      stats.minLoss = fixedToDecimal(kept.minLossRaw!, LOSS_DECIMALS);
      stats.minLossStep = kept.minLossStep;
    }
  }
  touch(stats, event);

  protocol.roundsInvalidated += 1;
  const day = getDay(event);
  day.roundsInvalidated += 1;
  saveTotals(protocol, day);
}

export function handleRoundFinalized(event: RoundFinalized): void {
  const run = loadRun();
  const reward = event.params.reward;
  const round = currentRound(run.id, event.params.round);
  if (round != null) {
    round.status = 'Finalized';
    round.reward = reward;
    round.depositReturned = event.params.depositReturned;
    round.finalizedAtBlock = event.block.number;
    round.finalizedAtTimestamp = event.block.timestamp;
    round.save();
  }
  run.finalStateHash = event.params.finalStateHash;
  run.totalRewardsPaid = run.totalRewardsPaid.plus(reward);
  run.poolBalance = maxBigInt(run.poolBalance.minus(reward), ZERO);
  run.save();

  const protocol = getProtocol(event);
  const worker = getWorker(event.params.worker, protocol, event);
  worker.roundsFinalized += 1;
  worker.totalRewards = worker.totalRewards.plus(reward);
  worker.totalDepositReturned = worker.totalDepositReturned.plus(event.params.depositReturned);
  worker.save();

  const stats = loadStats(run.id);
  stats.roundsFinalized += 1;
  touch(stats, event);

  protocol.roundsFinalized += 1;
  protocol.trainingRewardsPaid = protocol.trainingRewardsPaid.plus(reward);
  const day = getDay(event);
  day.roundsFinalized += 1;
  day.trainingRewardsPaid = day.trainingRewardsPaid.plus(reward);
  saveTotals(protocol, day);
}

export function handleRunCompleted(event: RunCompleted): void {
  const run = loadRun();
  run.status = 'Completed';
  run.completedRounds = event.params.rounds;
  run.finalStateHash = event.params.finalStateHash;
  run.completedAtBlock = event.block.number;
  run.completedAtTimestamp = event.block.timestamp;
  run.sweepableAt = event.params.sweepableAt;
  run.save();

  const protocol = getProtocol(event);
  protocol.completedRunCount += 1;
  saveTotals(protocol, getDay(event));
}

export function handlePoolSwept(event: PoolSwept): void {
  // The creator is credited the whole pool (pulled later with withdraw()).
  const run = loadRun();
  run.sweptAmount = event.params.amount;
  run.sweptAtBlock = event.block.number;
  run.sweptAtTimestamp = event.block.timestamp;
  run.poolBalance = ZERO;
  run.save();
  const protocol = getProtocol(event);
  protocol.poolsSwept = protocol.poolsSwept.plus(event.params.amount);
  saveTotals(protocol, getDay(event));
}

export function handleWithdrawn(event: Withdrawn): void {
  const withdrawal = new Withdrawal(eventId(event));
  withdrawal.account = event.params.account;
  withdrawal.source = 'TrainingRun';
  withdrawal.run = runId();
  withdrawal.amount = event.params.amount;
  withdrawal.blockNumber = event.block.number;
  withdrawal.timestamp = event.block.timestamp;
  withdrawal.transaction = event.transaction.hash;
  withdrawal.save();

  const worker = Worker.load(event.params.account.toHexString());
  if (worker != null) {
    worker.totalWithdrawn = worker.totalWithdrawn.plus(event.params.amount);
    worker.save();
  }
}
