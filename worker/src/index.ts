export {
  WorkerError,
  ConfigError,
  KeyError,
  JournalError,
  ContentUnavailableError,
  BadContentError,
  ChainError,
  AttestationRejectedError,
} from './errors.js';
export { roles, type Role, parseRoles } from './cli/roles.js';
export { main, usage } from './cli/main.js';
export { resolveConfig, fromEnv, fromFile, envNames, type WorkerConfig } from './config.js';
export { parseFault, type Fault } from './faults.js';
export { decryptKeystore, encryptKeystore, loadAccount } from './keys.js';
export { Journal } from './journal.js';
export { WorkerMetrics } from './metrics.js';
export { startHttpServer } from './http/server.js';
export { startWorker, type RunningWorker } from './service.js';
export { Trainer } from './roles/trainer.js';
export { Verifier, judgeRound, isSampled } from './roles/verifier.js';
export { Evaluator } from './roles/evaluator.js';
export { Aggregator } from './roles/aggregator.js';
export {
  judgeDispute,
  commitBallot,
  revealBallot,
  relayBallotCommit,
  ballotCommitPayload,
  claimBallotReward,
  stakeInCourt,
  requestUnstake,
  withdrawUnstaked,
  stakeStatus,
  BallotStateError,
  DisputeNotFoundError,
} from './vote.js';
