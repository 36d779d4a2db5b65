/**
 * Every GraphQL query the portal sends, in one module. The loaders run them server-side against
 * UM_GRAPHQL_URL; the browser only polls MetaQuery (through the /graphql proxy) to learn about new
 * blocks. web/test/graphql-queries.test.ts validates each one against the subgraph's API.
 */
import { typedQuery } from './document.js';
import type {
  CandidateRow,
  CheckpointRow,
  DisputeDetail,
  DisputeSummary,
  Meta,
  OperatorRow,
  ProtocolTotals,
  RoundDetail,
  RoundRow,
  RunDetail,
  RunSummary,
  TaskDetail,
  TaskSummary,
  VoterRow,
  WorkerRow,
} from './types.js';
import type { RoundsVariables } from './rounds-variables.js';

const META = `_meta { block { number timestamp hash } hasIndexingErrors }`;
const RUN_SUMMARY = `id runId status roundCount finalizedRoundCount stepCount maxRounds stepsPerRound lastLoss minLoss updatedAt`;
const ROUND_ROW = `id index status worker { id } firstStep stepCount finalStateHash stateURI challengeDeadline submittedAt dispute { id status }`;
const DISPUTE_SUMMARY = `id disputeId status run { id runId } round { index } challenger worker step deadline quorumVotes fraudVotes validVotes abstainVotes fraud quorumReached openedAt`;
const CHECKPOINT = `id step stateHash uri evalAccuracy round { index }`;
const TASK_SUMMARY = `id taskId owner status baselineScore bestScore rewardPerImprovement balance candidateCount createdAt`;
const WORKER_ROW = `id roundsClaimed roundsSubmitted roundsFinalized roundsInvalidated depositsForfeited rewards lastActiveAt`;
const VOTER_ROW = `id delegate votingPower votesCast weightUsed rewardsClaimed`;
const OPERATOR_ROW = `id stake status attestationCount feesEarned slashed lastAttestationAt`;

export const MetaQuery = typedQuery<{ _meta: Meta | null }>('Meta', `query Meta { ${META} }`);

export type ActivityRound = {
  id: string;
  index: string;
  status: string;
  claimedAt: string;
  submittedAt: string | null;
  worker: { id: string };
  run: { id: string; runId: string };
};
export type ActivityCandidate = {
  id: string;
  status: string;
  submittedAt: string;
  optimizer: string;
  task: { id: string; taskId: string };
};

export const OverviewQuery = typedQuery<{
  protocol: ProtocolTotals | null;
  runs: RunSummary[];
  workers: WorkerRow[];
  openDisputes: DisputeSummary[];
  recentRounds: ActivityRound[];
  recentDisputes: DisputeSummary[];
  recentCandidates: ActivityCandidate[];
  _meta: Meta | null;
}>(
  'Overview',
  `query Overview {
  protocol(id: "protocol") { runCount taskCount roundCount stepCount disputeCount openDisputeCount workerCount voterCount operatorCount }
  runs(first: 50, orderBy: updatedAt, orderDirection: desc) { ${RUN_SUMMARY} }
  workers(first: 10, orderBy: lastActiveAt, orderDirection: desc) { ${WORKER_ROW} }
  openDisputes: disputes(first: 20, where: { status: "Open" }, orderBy: deadline, orderDirection: asc) { ${DISPUTE_SUMMARY} }
  recentRounds: rounds(first: 10, orderBy: claimedAt, orderDirection: desc) { id index status claimedAt submittedAt worker { id } run { id runId } }
  recentDisputes: disputes(first: 5, orderBy: openedAt, orderDirection: desc) { ${DISPUTE_SUMMARY} }
  recentCandidates: candidates(first: 5, orderBy: submittedAt, orderDirection: desc) { id status submittedAt optimizer task { id taskId } }
  ${META}
}`,
);

export const RunQuery = typedQuery<
  { run: RunDetail | null; rounds: RoundRow[]; checkpoints: CheckpointRow[]; _meta: Meta | null },
  RoundsVariables & { id: string; ref: string }
>(
  'Run',
  `query Run($id: ID!, $ref: String!, $first: Int!, $skip: Int!, $orderBy: Round_orderBy!, $orderDirection: OrderDirection!, $where: Round_filter!) {
  run(id: $id) { ${RUN_SUMMARY} creator specHash specURI initialStateHash challengeWindow workerDeposit rewardPerRound poolBalance createdAt }
  rounds(first: $first, skip: $skip, orderBy: $orderBy, orderDirection: $orderDirection, where: $where) { ${ROUND_ROW} }
  checkpoints(first: 1000, where: { run: $ref }, orderBy: step, orderDirection: asc) { ${CHECKPOINT} }
  ${META}
}`,
);

/** One window of the loss curve: steps with from <= index < to (valid and invalidated). */
export const RunStepsQuery = typedQuery<
  { steps: Array<{ index: string; loss: string; status: string }> },
  { run: string; from: string; to: string; skip: number }
>(
  'RunSteps',
  `query RunSteps($run: String!, $from: BigInt!, $to: BigInt!, $skip: Int!) {
  steps(first: 1000, skip: $skip, where: { run: $run, index_gte: $from, index_lt: $to }, orderBy: index, orderDirection: asc) { index loss status }
}`,
);

/** What the curve exports need before reading the steps. */
export const RunCurveHeadQuery = typedQuery<
  { run: { id: string; roundCount: number; stepsPerRound: string } | null; _meta: Meta | null },
  { id: string }
>(
  'RunCurveHead',
  `query RunCurveHead($id: ID!) { run(id: $id) { id roundCount stepsPerRound } ${META} }`,
);

export const RoundQuery = typedQuery<
  {
    round: (RoundDetail & { steps: Array<{ index: string; loss: string; status: string }> }) | null;
    _meta: Meta | null;
  },
  { id: string }
>(
  'Round',
  `query Round($id: ID!) {
  round(id: $id) {
    ${ROUND_ROW}
    run { id runId stepsPerRound }
    baseStateHash stateRoot leaseExpiresAt claimedAt submittedTx reward
    checkpoint { ${CHECKPOINT} }
    dispute { ${DISPUTE_SUMMARY} }
    steps(first: 1000, orderBy: index, orderDirection: asc) { index loss status }
  }
  ${META}
}`,
);

export const DisputesQuery = typedQuery<
  {
    disputes: DisputeSummary[];
    open: DisputeSummary[];
    myVotes: Array<{ dispute: { id: string } }>;
    _meta: Meta | null;
  },
  { first: number; skip: number; where: Record<string, unknown>; account: string }
>(
  'Disputes',
  `query Disputes($first: Int!, $skip: Int!, $where: Dispute_filter!, $account: String!) {
  disputes(first: $first, skip: $skip, where: $where, orderBy: openedAt, orderDirection: desc) { ${DISPUTE_SUMMARY} }
  open: disputes(first: 1000, where: { status: "Open" }, orderBy: deadline, orderDirection: asc) { ${DISPUTE_SUMMARY} }
  myVotes: votes(first: 1000, where: { voter: $account }) { dispute { id } }
  ${META}
}`,
);

export const DisputeQuery = typedQuery<
  { dispute: DisputeDetail | null; voter: VoterRow | null; _meta: Meta | null },
  { id: string; account: string }
>(
  'Dispute',
  `query Dispute($id: ID!, $account: ID!) {
  dispute(id: $id) {
    ${DISPUTE_SUMMARY}
    stepIndex leaf evidenceURI challengerDeposit stakeAtRisk snapshotBlock courtFee resolvedAt
    votes(first: 1000, orderBy: timestamp, orderDirection: desc) { id voter { id } support weight reason bySig timestamp }
  }
  voter(id: $account) { ${VOTER_ROW} }
  ${META}
}`,
);

export const TasksQuery = typedQuery<{ tasks: TaskSummary[]; _meta: Meta | null }>(
  'Tasks',
  `query Tasks {
  tasks(first: 200, orderBy: createdAt, orderDirection: desc) { ${TASK_SUMMARY} }
  ${META}
}`,
);

export const TaskQuery = typedQuery<
  { task: TaskDetail | null; _meta: Meta | null },
  { id: string }
>(
  'Task',
  `query Task($id: ID!) {
  task(id: $id) {
    ${TASK_SUMMARY} archURI evalSpecURI minImprovement
    candidates(first: 1000, orderBy: submittedAt, orderDirection: asc) {
      id optimizer paramsURI paramsHash bond seedBlock status score submittedAt
      attestation { id score signers stakeSigned totalStake seed timestamp }
    }
  }
  ${META}
}`,
);

export type WorkerRound = RoundRow & { run: { id: string; runId: string }; claimedAt: string };

export const WorkerQuery = typedQuery<
  {
    worker: WorkerRow | null;
    rounds: WorkerRound[];
    operator: OperatorRow | null;
    voter: VoterRow | null;
    _meta: Meta | null;
  },
  { id: string; ref: string }
>(
  'Worker',
  `query Worker($id: ID!, $ref: String!) {
  worker(id: $id) { ${WORKER_ROW} }
  rounds(first: 200, where: { worker: $ref }, orderBy: claimedAt, orderDirection: desc) { ${ROUND_ROW} claimedAt run { id runId } }
  operator(id: $id) { ${OPERATOR_ROW} }
  voter(id: $id) { ${VOTER_ROW} }
  ${META}
}`,
);

export const OperatorsQuery = typedQuery<{ operators: OperatorRow[]; _meta: Meta | null }>(
  'Operators',
  `query Operators {
  operators(first: 500, orderBy: stake, orderDirection: desc) { ${OPERATOR_ROW} }
  ${META}
}`,
);

export const VotersQuery = typedQuery<{
  voters: VoterRow[];
  _meta: Meta | null;
}>(
  'Voters',
  `query Voters {
  voters(first: 500, orderBy: votingPower, orderDirection: desc) { ${VOTER_ROW} }
  ${META}
}`,
);

/** Candidates of a task for its accuracy history chart are part of TaskQuery. */
export type { CandidateRow };

export const ALL_QUERIES = [
  MetaQuery,
  OverviewQuery,
  RunQuery,
  RunStepsQuery,
  RunCurveHeadQuery,
  RoundQuery,
  DisputesQuery,
  DisputeQuery,
  TasksQuery,
  TaskQuery,
  WorkerQuery,
  OperatorsQuery,
  VotersQuery,
] as const;
