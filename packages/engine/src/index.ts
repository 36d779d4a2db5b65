export { EngineError } from './errors.js';
export {
  backends,
  type BackendName,
  assertKernelsIntact,
  BackendUnavailableError,
  configureWasm,
  ForeignBackendError,
  ForeignKernelError,
  PINNED_WASM,
  useBackend,
  WasmBinaryMismatchError,
} from './backend.js';
export * from './datasets/index.js';
export { BigEndianPlatformError } from './endian.js';
export {
  Engine,
  type EngineOptions,
  lossOf,
  ModelDatasetMismatchError,
  type RunResult,
  StepOrderError,
  type StepRecord,
  type StepResult,
  TrainingDivergedError,
} from './engine.js';
export {
  buildModel,
  forwardFlopsPerExample,
  glorotUniformWeights,
  InvalidModelError,
} from './model.js';
export { learningRateAt, powInt, slotSpecs } from './optimizer.js';
export {
  applyProfile,
  ComputeProfileMismatchError,
  currentProfile,
  ENGINE_VERSION,
  runningLibraries,
} from './profile.js';
export {
  draw,
  modUint256,
  permutation,
  seedToBigInt,
  SeedError,
  tags,
  uniformFromWord,
  type Seed,
} from './random.js';
export { assertStep, BatchSchedule, ScheduleError } from './schedule.js';
export {
  bytesToTensors,
  layoutLength,
  NonFiniteStateError,
  OversizedStateError,
  stateBytes,
  stateFromBytes,
  stateHash,
  StateHashMismatchError,
  StateShapeError,
  tensorsToBytes,
  TruncatedStateError,
  validateState,
  type StateLayout,
  type TensorSpec,
  type TrainingState,
} from './state.js';
export {
  checkpointFileNames,
  checkpointIOHandler,
  decodeCheckpoint,
  encodeCheckpoint,
  fetchCheckpoint,
  InvalidCheckpointError,
  type CheckpointFiles,
  type CheckpointMetadata,
} from './checkpoint.js';
export { replayStep, type ReplayResult } from './verify.js';
export { evaluate, EvaluationError, SCORE_SCALE, type EvaluationResult } from './evaluate.js';
export {
  irisExampleSpec,
  knownDatasetRoots,
  mnistCnnExampleSpec,
  mnistExampleSpec,
  sinExampleSpec,
} from './examples.js';
export {
  cidSettings,
  ContentNotFoundError,
  getCheckpoint,
  InvalidCidError,
  putCheckpoint,
  StorageError,
  type ContentStore,
} from './storage.js';
export {
  initKeccak,
  keccak256Bytes,
  keccak256Hex,
  keccak256PartsHex,
  keccakIsFast,
  KeccakUnavailableError,
} from './keccak.js';
