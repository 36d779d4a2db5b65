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
  courtTotalStake: BigIntString;
  courtStakerCount: number;
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
  openChallenges: Array<{ dispute: { id: string; status: string } }>;
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
  claimId: BigIntString;
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
  round: { id: string; attempt: number } | null;
  challenge: { step: BigIntString; seq: number } | null;
  challenger: Hex;
  worker: Hex;
  commitDeadline: BigIntString;
  revealDeadline: BigIntString;
  quorumVotes: BigIntString;
  /** Revealed weight only: zero for every side until the reveal phase. */
  fraudVotes: BigIntString;
  validVotes: BigIntString;
  abstainVotes: BigIntString;
  commitCount: number;
  revealCount: number;
  fraud: boolean | null;
  quorumReached: boolean | null;
  cancelled: boolean;
  openedAtTimestamp: BigIntString;
};

export type VoteSupport = 'Fraud' | 'Valid' | 'Abstain';

export type BallotRow = {
  id: string;
  voter: { id: Hex };
  bySig: boolean;
  committedAtTimestamp: BigIntString;
  revealed: boolean;
  support: VoteSupport | null;
  weight: BigIntString | null;
  revealedAtTimestamp: BigIntString | null;
  reward: BigIntString | null;
};

export type DisputeDetail = Omit<DisputeSummary, 'round' | 'challenge'> & {
  stepIndex: BigIntString;
  snapshotBlock: BigIntString;
  stakeAtRisk: BigIntString;
  courtFee: BigIntString | null;
  rewardsClaimed: BigIntString;
  openedAtBlock: BigIntString;
  resolvedAtTimestamp: BigIntString | null;
  challenge: {
    step: BigIntString;
    seq: number;
    status: 'Open' | 'Upheld' | 'Rejected' | 'Cancelled';
    claimedStateHash: Hex | null;
    previousStateHash: Hex | null;
    evidenceURI: string;
    deposit: BigIntString;
    challenger: { id: Hex };
    winner: Hex | null;
    payout: BigIntString | null;
  } | null;
  round: {
    id: string;
    number: BigIntString;
    attempt: number;
    claimId: BigIntString;
    baseStateHash: Hex;
    firstStep: BigIntString | null;
    status: string;
    challenges: Array<{ seq: number; dispute: DisputeSummary }>;
  } | null;
  run: {
    id: Hex;
    runId: BigIntString;
    specURI: string;
    specHash: Hex;
    initialStateHash: Hex;
    stepsPerRound: BigIntString;
  };
  ballots: BallotRow[];
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
  /** Current court stake (voting weight in disputes opened from now on). */
  stake: BigIntString;
  pendingUnstake: BigIntString;
  unlockAt: BigIntString | null;
  totalStaked: BigIntString;
  ballotsCommitted: number;
  ballotsRevealed: number;
  weightRevealed: BigIntString;
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
