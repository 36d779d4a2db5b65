// ModelMarket: tasks, their funds, candidates, seeds, settlement (best model or slashed bond)
// and the fees operators earn. Settlement events follow the AttestationCenter's Attested event in
// the same transaction, so the candidate's attestation is known when they are handled.
import { BigInt } from '@graphprotocol/graph-ts';
import {
  BestModelChanged,
  BondSlashed,
  CandidateExpired,
  CandidateSubmitted,
  FeePaid,
  SeedRecorded,
  TaskClosed,
  TaskCreated,
  TaskFunded,
  Withdrawn,
} from '../generated/ModelMarket/ModelMarket';
import {
  AccuracyScore,
  BestModelChange,
  Candidate,
  Operator,
  Optimizer,
  Task,
  TaskFunding,
  Withdrawal,
} from '../generated/schema';
import {
  SCORE_DECIMALS,
  ZERO,
  eventId,
  fixedToDecimal,
  getDay,
  getOperator,
  getOptimizer,
  getProtocol,
  maxBigInt,
  saveTotals,
} from './helpers';

export function handleTaskCreated(event: TaskCreated): void {
  const config = event.params.config;
  const task = new Task(event.params.taskId.toString());
  task.taskId = event.params.taskId;
  task.owner = event.params.owner;
  task.archURI = config.archURI;
  task.initialParamsURI = config.initialParamsURI;
  task.initialParamsHash = config.initialParamsHash;
  task.evalSpecURI = config.evalSpecURI;
  task.evalSpecHash = config.evalSpecHash;
  task.baselineScoreRaw = config.baselineScore;
  task.baselineScore = fixedToDecimal(config.baselineScore, SCORE_DECIMALS);
  task.minImprovementRaw = config.minImprovement;
  task.rewardPerImprovement = config.rewardPerImprovement;
  task.attestationFee = config.attestationFee;
  task.submissionBond = config.submissionBond;
  task.seedDelay = config.seedDelay;
  task.status = 'Open';
  task.balance = event.params.funds;
  task.totalFunded = event.params.funds;
  task.bestScoreRaw = config.baselineScore;
  task.bestScore = task.baselineScore;
  task.candidateCount = 0;
  task.settledCount = 0;
  task.improvementCount = 0;
  task.rewardsPaid = ZERO;
  task.feesPaid = ZERO;
  task.createdAtBlock = event.block.number;
  task.createdAtTimestamp = event.block.timestamp;
  task.createdAtTransaction = event.transaction.hash;
  task.save();

  const protocol = getProtocol(event);
  protocol.taskCount += 1;
  protocol.openTaskCount += 1;
  const day = getDay(event);
  day.tasksCreated += 1;
  saveTotals(protocol, day);
}

export function handleTaskFunded(event: TaskFunded): void {
  const task = Task.load(event.params.taskId.toString());
  if (task == null) return;
  task.balance = event.params.balance;
  task.totalFunded = task.totalFunded.plus(event.params.amount);
  task.save();

  const funding = new TaskFunding(eventId(event));
  funding.task = task.id;
  funding.funder = event.params.funder;
  funding.amount = event.params.amount;
  funding.balance = event.params.balance;
  funding.blockNumber = event.block.number;
  funding.timestamp = event.block.timestamp;
  funding.transaction = event.transaction.hash;
  funding.save();
}

export function handleTaskClosed(event: TaskClosed): void {
  const task = Task.load(event.params.taskId.toString());
  if (task == null) return;
  task.status = 'Closed';
  task.refunded = event.params.refunded;
  task.balance = ZERO;
  task.closedAtBlock = event.block.number;
  task.save();

  const protocol = getProtocol(event);
  protocol.openTaskCount -= 1;
  saveTotals(protocol, getDay(event));
}

export function handleCandidateSubmitted(event: CandidateSubmitted): void {
  const taskId = event.params.taskId.toString();
  const optimizer = getOptimizer(event.params.optimizer);
  optimizer.candidateCount += 1;
  optimizer.save();

  const candidate = new Candidate(event.params.candidateId.toString());
  candidate.candidateId = event.params.candidateId;
  candidate.task = taskId;
  candidate.optimizer = optimizer.id;
  candidate.paramsURI = event.params.paramsURI;
  candidate.paramsHash = event.params.paramsHash;
  candidate.bond = event.params.bond;
  candidate.seedBlock = event.params.seedBlock;
  candidate.status = 'Pending';
  candidate.feesPaid = ZERO;
  candidate.submittedAtBlock = event.block.number;
  candidate.submittedAtTimestamp = event.block.timestamp;
  candidate.submittedAtTransaction = event.transaction.hash;
  candidate.save();

  const task = Task.load(taskId);
  if (task != null) {
    task.candidateCount += 1;
    task.save();
  }

  const protocol = getProtocol(event);
  protocol.candidateCount += 1;
  const day = getDay(event);
  day.candidatesSubmitted += 1;
  saveTotals(protocol, day);
}

export function handleSeedRecorded(event: SeedRecorded): void {
  const candidate = Candidate.load(event.params.candidateId.toString());
  if (candidate == null) return;
  candidate.seed = event.params.seed;
  candidate.seedRecordedBlock = event.params.seedBlock;
  candidate.save();
}

export function handleBestModelChanged(event: BestModelChanged): void {
  const reward = event.params.reward;
  const task = Task.load(event.params.taskId.toString());
  const candidate = Candidate.load(event.params.candidateId.toString());
  if (task == null || candidate == null) return;
  const optimizer = getOptimizer(event.params.optimizer);
  optimizer.improvementCount += 1;
  optimizer.rewards = optimizer.rewards.plus(reward);
  optimizer.save();

  candidate.status = 'Improved';
  candidate.reward = reward;
  candidate.settledAtBlock = event.block.number;
  candidate.settledAtTimestamp = event.block.timestamp;
  candidate.save();

  const previous = fixedToDecimal(event.params.previousScore, SCORE_DECIMALS);
  const next = fixedToDecimal(event.params.newScore, SCORE_DECIMALS);
  task.improvementCount += 1;
  task.settledCount += 1;
  task.bestScoreRaw = event.params.newScore;
  task.bestScore = next;
  task.bestCandidate = candidate.id;
  task.rewardsPaid = task.rewardsPaid.plus(reward);
  task.balance = maxBigInt(task.balance.minus(reward), ZERO);
  task.save();

  const change = new BestModelChange(task.id + '-' + task.improvementCount.toString());
  change.task = task.id;
  change.candidate = candidate.id;
  change.optimizer = optimizer.id;
  change.previousScoreRaw = event.params.previousScore;
  change.previousScore = previous;
  change.newScoreRaw = event.params.newScore;
  change.newScore = next;
  change.improvement = next.minus(previous);
  change.reward = reward;
  change.blockNumber = event.block.number;
  change.timestamp = event.block.timestamp;
  change.transaction = event.transaction.hash;
  change.save();

  const protocol = getProtocol(event);
  protocol.bestModelChangeCount += 1;
  protocol.marketRewardsPaid = protocol.marketRewardsPaid.plus(reward);
  const day = getDay(event);
  day.bestModelChanges += 1;
  day.marketRewardsPaid = day.marketRewardsPaid.plus(reward);
  saveTotals(protocol, day);
}

/** No quorum attested the candidate in time: it is expired and its bond is refunded. */
export function handleCandidateExpired(event: CandidateExpired): void {
  const candidate = Candidate.load(event.params.candidateId.toString());
  if (candidate == null || candidate.status != 'Pending') return;
  candidate.status = 'Expired';
  candidate.settledAtBlock = event.block.number;
  candidate.settledAtTimestamp = event.block.timestamp;
  candidate.save();
}

export function handleBondSlashed(event: BondSlashed): void {
  const candidate = Candidate.load(event.params.candidateId.toString());
  if (candidate == null) return;
  const amount = event.params.amount;
  const perSigner = event.params.perSigner;
  candidate.status = 'Rejected';
  candidate.bondSlashed = amount;
  candidate.bondPerSigner = perSigner;
  candidate.settledAtBlock = event.block.number;
  candidate.settledAtTimestamp = event.block.timestamp;
  candidate.save();

  const optimizer = Optimizer.load(candidate.optimizer);
  if (optimizer != null) {
    optimizer.rejectedCount += 1;
    optimizer.bondsLost = optimizer.bondsLost.plus(amount);
    optimizer.save();
  }

  let signerCount = 0;
  const attestationId = candidate.attestation;
  if (attestationId !== null) {
    const attestation = AccuracyScore.load(attestationId);
    if (attestation != null) {
      const signers = attestation.signerOperators;
      signerCount = signers.length;
      for (let i = 0; i < signers.length; i++) {
        const operator = Operator.load(signers[i]);
        if (operator == null) continue;
        operator.bondSharesEarned = operator.bondSharesEarned.plus(perSigner);
        operator.save();
      }
    }
  }

  const task = Task.load(event.params.taskId.toString());
  if (task != null) {
    task.settledCount += 1;
    // The indivisible remainder of the split joins the task's funds.
    const remainder = amount.minus(perSigner.times(BigInt.fromI32(signerCount)));
    task.balance = task.balance.plus(remainder);
    task.save();
  }

  const protocol = getProtocol(event);
  protocol.bondsSlashed = protocol.bondsSlashed.plus(amount);
  saveTotals(protocol, getDay(event));
}

export function handleFeePaid(event: FeePaid): void {
  const fee = event.params.amount;
  const operator = getOperator(event.params.operator, event);
  operator.feesEarned = operator.feesEarned.plus(fee);
  operator.save();

  const candidate = Candidate.load(event.params.candidateId.toString());
  if (candidate != null) {
    candidate.feesPaid = candidate.feesPaid.plus(fee);
    candidate.save();
  }
  const task = Task.load(event.params.taskId.toString());
  if (task != null) {
    task.feesPaid = task.feesPaid.plus(fee);
    task.balance = maxBigInt(task.balance.minus(fee), ZERO);
    task.save();
  }
  const protocol = getProtocol(event);
  protocol.attestationFeesPaid = protocol.attestationFeesPaid.plus(fee);
  saveTotals(protocol, getDay(event));
}

export function handleWithdrawn(event: Withdrawn): void {
  const withdrawal = new Withdrawal(eventId(event));
  withdrawal.account = event.params.account;
  withdrawal.source = 'ModelMarket';
  withdrawal.amount = event.params.amount;
  withdrawal.blockNumber = event.block.number;
  withdrawal.timestamp = event.block.timestamp;
  withdrawal.transaction = event.transaction.hash;
  withdrawal.save();
}
