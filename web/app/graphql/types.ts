/**
 * TypeScript shapes of the subgraph entities as the portal's queries select them. graph-node
 * serialises BigInt and Bytes as strings; Int as numbers. Keep in step with expected-schema.graphql
 * (the validation test checks every query against it).
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
  roundCount: number;
  stepCount: BigIntString;
  disputeCount: number;
  openDisputeCount: number;
  workerCount: number;
  voterCount: number;
  operatorCount: number;
};

export type RunSummary = {
  id: Hex;
  runId: BigIntString;
  status: string;
  roundCount: number;
  finalizedRoundCount: number;
  stepCount: number;
  maxRounds: BigIntString;
  stepsPerRound: BigIntString;
  lastLoss: BigIntString | null;
  minLoss: BigIntString | null;
  updatedAt: BigIntString;
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
  createdAt: BigIntString;
};

export type RoundRow = {
  id: string;
  index: BigIntString;
  status: string;
  worker: { id: Hex };
  firstStep: BigIntString | null;
  stepCount: number;
  finalStateHash: Hex | null;
  stateURI: string | null;
  challengeDeadline: BigIntString | null;
  submittedAt: BigIntString | null;
  dispute: { id: string; status: string } | null;
};

export type RoundDetail = RoundRow & {
  run: { id: Hex; runId: BigIntString; stepsPerRound: BigIntString };
  baseStateHash: Hex;
  stateRoot: Hex | null;
  leaseExpiresAt: BigIntString;
  claimedAt: BigIntString;
  submittedTx: Hex | null;
  reward: BigIntString | null;
  checkpoint: CheckpointRow | null;
  dispute: DisputeSummary | null;
};

export type StepPoint = {
  index: BigIntString;
  loss: BigIntString;
  status: string;
  round: { index: BigIntString };
};

export type CheckpointRow = {
  id: string;
  step: BigIntString;
  stateHash: Hex;
  uri: string;
  evalAccuracy: BigIntString | null;
  round: { index: BigIntString };
};

export type DisputeSummary = {
  id: string;
  disputeId: BigIntString;
  status: string;
  run: { id: Hex; runId: BigIntString };
  round: { index: BigIntString };
  challenger: Hex;
  worker: Hex;
  step: BigIntString;
  deadline: BigIntString;
  quorumVotes: BigIntString;
  fraudVotes: BigIntString;
  validVotes: BigIntString;
  abstainVotes: BigIntString;
  fraud: boolean | null;
  quorumReached: boolean | null;
  openedAt: BigIntString;
};

export type DisputeDetail = DisputeSummary & {
  stepIndex: BigIntString;
  leaf: Hex;
  evidenceURI: string;
  challengerDeposit: BigIntString;
  stakeAtRisk: BigIntString;
  snapshotBlock: BigIntString;
  courtFee: BigIntString | null;
  resolvedAt: BigIntString | null;
  votes: VoteRow[];
};

export type VoteRow = {
  id: string;
  voter: { id: Hex };
  support: number;
  weight: BigIntString;
  reason: string;
  bySig: boolean;
  timestamp: BigIntString;
};

export type WorkerRow = {
  id: Hex;
  roundsClaimed: number;
  roundsSubmitted: number;
  roundsFinalized: number;
  roundsInvalidated: number;
  depositsForfeited: BigIntString;
  rewards: BigIntString;
  lastActiveAt: BigIntString;
};

export type VoterRow = {
  id: Hex;
  delegate: Hex | null;
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
  slashed: BigIntString;
  lastAttestationAt: BigIntString | null;
};

export type TaskSummary = {
  id: string;
  taskId: BigIntString;
  owner: Hex;
  status: string;
  baselineScore: BigIntString;
  bestScore: BigIntString;
  rewardPerImprovement: BigIntString;
  balance: BigIntString;
  candidateCount: number;
  createdAt: BigIntString;
};

export type CandidateRow = {
  id: string;
  optimizer: Hex;
  paramsURI: string;
  paramsHash: Hex;
  bond: BigIntString;
  seedBlock: BigIntString;
  status: string;
  score: BigIntString | null;
  submittedAt: BigIntString;
  attestation: {
    id: string;
    score: BigIntString;
    signers: Hex[];
    stakeSigned: BigIntString;
    totalStake: BigIntString;
    seed: Hex | null;
    timestamp: BigIntString;
  } | null;
};

export type TaskDetail = TaskSummary & {
  archURI: string;
  evalSpecURI: string;
  minImprovement: BigIntString;
  candidates: CandidateRow[];
};
