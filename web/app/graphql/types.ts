/**
 * TypeScript shapes of the subgraph entities as the portal's queries select them (subgraph/
 * schema.graphql). graph-node serialises BigInt, BigDecimal and Bytes as strings, Int as numbers,
 * enums as their names. Fixed point: losses raw / 1e9, scores raw / 1e6.
 */
export type BigIntString = string;
export type Hex = `0x${string}`;

export type Meta = {
  block: { number: number; timestamp: number | null; hash: Hex | null };
  hasIndexingErrors: boolean;
};

export type ProtocolTotals = {
  runCount: number;
  taskCount: number;
  roundsClaimed: number;
  validStepCount: BigIntString;
  disputeCount: number;
  disputesUpheld: number;
  disputesRejected: number;
  workerCount: number;
  voterCount: number;
  operatorCount: number;
};

export type RunStatsRow = {
  roundNumbers: number;
  roundsFinalized: number;
  validStepCount: BigIntString;
  invalidatedStepCount: BigIntString;
  lastStep: BigIntString | null;
  lastLossRaw: BigIntString | null;
  minLossRaw: BigIntString | null;
};

export type RunSummary = {
  id: Hex;
  runId: BigIntString;
  status: 'Active' | 'Completed';
  maxRounds: BigIntString;
  stepsPerRound: BigIntString;
  createdAtTimestamp: BigIntString;
  stats: RunStatsRow;
};

export type RunDetail = RunSummary & {
  creator: Hex;
  specHash: Hex;
  specURI: string;
  initialStateHash: Hex;
  challengeWindow: BigIntString;
  workerDeposit: BigIntString;
  rewardPerRound: BigIntString;
  poolBalance: BigIntString;
};

export type RoundRow = {
  id: string;
  number: BigIntString;
  attempt: number;
  status: string;
  worker: { id: Hex };
  firstStep: BigIntString | null;
  lastStep: BigIntString | null;
  finalStateHash: Hex | null;
  stateURI: string | null;
  challengeDeadline: BigIntString | null;
  submittedAtTimestamp: BigIntString | null;
  invalidatedBy: { id: string } | null;
  openChallenge: { dispute: { id: string; status: string } } | null;
};

export type StepPoint = { step: BigIntString; lossRaw: BigIntString; status: string };
/** A curve point with its wall time (RunStepsQuery). */
export type TimedStepPoint = StepPoint & { timestamp: BigIntString };

/** A round attempt's loss summary (null until submitted). */
export type RoundLossRow = {
  number: BigIntString;
  status: string;
  firstStep: BigIntString | null;
  lastStep: BigIntString | null;
  stepCount: number;
  minLossRaw: BigIntString | null;
  maxLossRaw: BigIntString | null;
  lossSumRaw: BigIntString | null;
  lastLossRaw: BigIntString | null;
  submittedAtTimestamp: BigIntString | null;
};

export type RoundDetail = RoundRow & {
  run: { id: Hex; runId: BigIntString; stepsPerRound: BigIntString };
  baseStateHash: Hex;
  stateRoot: Hex | null;
  leaseExpiresAt: BigIntString;
  claimedAtTimestamp: BigIntString;
  submittedAtTransaction: Hex | null;
  reward: BigIntString | null;
  checkpoint: CheckpointRow | null;
  challenges: Array<{
    dispute: { id: string; status: string };
    step: BigIntString;
    status: string;
  }>;
  steps: StepPoint[];
};

export type CheckpointRow = {
  id: string;
  step: BigIntString;
  roundNumber: BigIntString;
  stateHash: Hex;
  uri: string;
};

export type DisputeSummary = {
  id: string;
  disputeId: BigIntString;
  status: 'Open' | 'Resolved';
  run: { id: Hex; runId: BigIntString };
  roundNumber: BigIntString;
  challenge: { step: BigIntString } | null;
  challenger: Hex;
  worker: Hex;
  deadline: BigIntString;
  quorumVotes: BigIntString;
  fraudVotes: BigIntString;
  validVotes: BigIntString;
  abstainVotes: BigIntString;
  voteCount: number;
  fraud: boolean | null;
  quorumReached: boolean | null;
  openedAtTimestamp: BigIntString;
};

export type VoteSupport = 'Fraud' | 'Valid' | 'Abstain';

export type VoteRow = {
  id: string;
  voter: { id: Hex };
  support: VoteSupport;
  weight: BigIntString;
  reason: string;
  bySig: boolean;
  timestamp: BigIntString;
};

export type DisputeDetail = DisputeSummary & {
  stepIndex: BigIntString;
  snapshotBlock: BigIntString;
  stakeAtRisk: BigIntString;
  courtFee: BigIntString | null;
  resolvedAtTimestamp: BigIntString | null;
  challenge: { step: BigIntString; leaf: Hex; evidenceURI: string; deposit: BigIntString } | null;
  round: { id: string; baseStateHash: Hex; firstStep: BigIntString | null } | null;
  run: { id: Hex; runId: BigIntString; specURI: string; specHash: Hex; initialStateHash: Hex };
  votes: VoteRow[];
};

export type WorkerRow = {
  id: Hex;
  roundsClaimed: number;
  roundsSubmitted: number;
  roundsFinalized: number;
  roundsInvalidated: number;
  totalForfeited: BigIntString;
  totalSlashed: BigIntString;
  totalRewards: BigIntString;
  lastActiveBlock: BigIntString;
};

export type VoterRow = {
  id: Hex;
  balance: BigIntString;
  delegate: { id: Hex } | null;
  votingPower: BigIntString;
  votesCast: number;
  weightUsed: BigIntString;
  rewardsClaimed: BigIntString;
};

export type OperatorRow = {
  id: Hex;
  stake: BigIntString;
  status: string;
  attestationCount: number;
  feesEarned: BigIntString;
  totalSlashed: BigIntString;
  lastAttestationTimestamp: BigIntString | null;
};

export type TaskSummary = {
  evalSpecURI: string;
  id: string;
  taskId: BigIntString;
  owner: Hex;
  status: string;
  baselineScoreRaw: BigIntString;
  bestScoreRaw: BigIntString;
  rewardPerImprovement: BigIntString;
  balance: BigIntString;
  candidateCount: number;
  createdAtTimestamp: BigIntString;
};

export type CandidateRow = {
  id: string;
  optimizer: { id: Hex };
  paramsURI: string;
  paramsHash: Hex;
  bond: BigIntString;
  seedBlock: BigIntString;
  status: string;
  scoreRaw: BigIntString | null;
  submittedAtTimestamp: BigIntString;
  attestation: {
    id: string;
    scoreRaw: BigIntString;
    signers: Hex[];
    stakeSigned: BigIntString;
    totalStake: BigIntString;
    stakeShare: string;
    seed: Hex | null;
    timestamp: BigIntString;
  } | null;
};

export type TaskDetail = TaskSummary & {
  archURI: string;
  minImprovementRaw: BigIntString;
  candidates: CandidateRow[];
  bestModelChanges: Array<{ id: string; newScoreRaw: BigIntString; timestamp: BigIntString }>;
};
