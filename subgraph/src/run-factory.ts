// RunFactory: every created run becomes a Run entity and a TrainingRun template data source.
import { Run, RunStats } from '../generated/schema';
import { RunCreated } from '../generated/RunFactory/RunFactory';
import { TrainingRun } from '../generated/templates';
import { ZERO, addressId, getDay, getProtocol, saveTotals } from './helpers';

export function handleRunCreated(event: RunCreated): void {
  const config = event.params.config;
  const id = addressId(event.params.run);

  const stats = new RunStats(id);
  stats.run = id;
  stats.roundsClaimed = 0;
  stats.roundsSubmitted = 0;
  stats.roundsFinalized = 0;
  stats.roundsInvalidated = 0;
  stats.leasesExpired = 0;
  stats.challengeCommits = 0;
  stats.challenges = 0;
  stats.disputesCancelled = 0;
  stats.lossBucketLevels = 0;
  stats.disputesUpheld = 0;
  stats.disputesRejected = 0;
  stats.roundNumbers = 0;
  stats.stepCount = ZERO;
  stats.validStepCount = ZERO;
  stats.invalidatedStepCount = ZERO;
  stats.lossSumRaw = ZERO;
  stats.updatedAtBlock = event.block.number;
  stats.save();

  const run = new Run(id);
  run.runId = event.params.runId;
  run.address = event.params.run;
  run.factory = event.address;
  run.creator = event.params.creator;
  run.specHash = config.specHash;
  run.specURI = config.specURI;
  run.initialStateHash = config.initialStateHash;
  run.stepsPerRound = config.stepsPerRound;
  run.leaseDuration = config.leaseDuration;
  run.challengeWindow = config.challengeWindow;
  run.maxRounds = config.maxRounds;
  run.workerDeposit = config.workerDeposit;
  run.challengerDeposit = config.challengerDeposit;
  run.rewardPerRound = config.rewardPerRound;
  run.status = 'Active';
  run.poolBalance = ZERO;
  run.totalFunded = ZERO;
  run.totalRewardsPaid = ZERO;
  run.finalStateHash = config.initialStateHash;
  run.stats = id;
  run.createdAtBlock = event.block.number;
  run.createdAtTimestamp = event.block.timestamp;
  run.createdAtTransaction = event.transaction.hash;
  run.save();

  // The run's own events (including any emitted earlier in this block) are indexed from here on.
  TrainingRun.create(event.params.run);

  const protocol = getProtocol(event);
  protocol.runCount += 1;
  const day = getDay(event);
  day.runsCreated += 1;
  saveTotals(protocol, day);
}
