/**
 * Every GraphQL query the portal sends, in one module. The loaders run them server-side against
 * UM_GRAPHQL_URL; the browser only polls MetaQuery (through the /graphql proxy) to learn about new
 * blocks. web/test/graphql-queries.test.ts validates each one against the subgraph's API.
 */
import { typedQuery } from './document.js';
import type {
  BigIntString,
  CandidateRow,
  DisputeDetail,
  DisputeSummary,
  Meta,
  OperatorRow,
  ProtocolTotals,
  RoundDetail,
  TimedStepPoint,
  RoundLossRow,
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
const RUN_SUMMARY = `id runId status maxRounds stepsPerRound createdAtTimestamp stats { roundNumbers roundsFinalized validStepCount invalidatedStepCount lastStep lastLossRaw minLossRaw }`;
const ROUND_ROW = `id number attempt status worker { id } firstStep lastStep finalStateHash stateURI challengeDeadline submittedAtTimestamp invalidatedBy { id } openChallenges: challenges(first: 5, where: { status: Open }, orderBy: seq) { dispute { id status } }`;
const DISPUTE_SUMMARY = `id disputeId status run { id runId } roundNumber round { id attempt } challenge { step seq } challenger worker commitDeadline revealDeadline quorumVotes fraudVotes validVotes abstainVotes commitCount revealCount fraud quorumReached cancelled openedAtTimestamp`;
const CHECKPOINT = `id step roundNumber stateHash uri`;
const TASK_SUMMARY = `id taskId owner status evalSpecURI baselineScoreRaw bestScoreRaw rewardPerImprovement balance candidateCount createdAtTimestamp`;
const WORKER_ROW = `id roundsClaimed roundsSubmitted roundsFinalized roundsInvalidated totalForfeited totalSlashed totalRewards lastActiveBlock`;
const VOTER_ROW = `id balance stake pendingUnstake unlockAt totalStaked ballotsCommitted ballotsRevealed weightRevealed rewardsClaimed`;
const OPERATOR_ROW = `id stake status attestationCount feesEarned totalSlashed lastAttestationTimestamp`;

export const MetaQuery = typedQuery<{ _meta: Meta | null }>('Meta', `query Meta { ${META} }`);

export type ActivityRound = {
  id: string;
  number: string;
  status: string;
  claimedAtTimestamp: string;
  submittedAtTimestamp: string | null;
  worker: { id: string };
  run: { id: string; runId: string };
};
export type ActivityCandidate = {
  id: string;
  status: string;
  submittedAtTimestamp: string;
  optimizer: { id: string };
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
  protocol(id: "protocol") { runCount taskCount roundsClaimed validStepCount disputeCount disputesUpheld disputesRejected workerCount voterCount operatorCount courtTotalStake courtStakerCount }
  runs(first: 50, orderBy: runId, orderDirection: desc) { ${RUN_SUMMARY} }
  workers(first: 10, orderBy: lastActiveBlock, orderDirection: desc) { ${WORKER_ROW} }
  openDisputes: disputes(first: 20, where: { status: Open }, orderBy: revealDeadline, orderDirection: asc) { ${DISPUTE_SUMMARY} }
  recentRounds: rounds(first: 10, orderBy: claimedAtBlock, orderDirection: desc) { id number status claimedAtTimestamp submittedAtTimestamp worker { id } run { id runId } }
  recentDisputes: disputes(first: 5, orderBy: openedAtBlock, orderDirection: desc) { ${DISPUTE_SUMMARY} }
  recentCandidates: candidates(first: 5, orderBy: submittedAtBlock, orderDirection: desc) { id status submittedAtTimestamp optimizer { id } task { id taskId } }
  ${META}
}`,
);

export const RunQuery = typedQuery<
  { run: RunDetail | null; rounds: RoundRow[]; _meta: Meta | null },
  RoundsVariables & { id: string }
>(
  'Run',
  `query Run($id: ID!, $first: Int!, $skip: Int!, $orderBy: Round_orderBy!, $orderDirection: OrderDirection!, $where: Round_filter!) {
  run(id: $id) { ${RUN_SUMMARY} creator specHash specURI initialStateHash challengeWindow workerDeposit rewardPerRound poolBalance }
  rounds(first: $first, skip: $skip, orderBy: $orderBy, orderDirection: $orderDirection, where: $where) { ${ROUND_ROW} }
  ${META}
}`,
);

/** The runs index: newest first, with their summaries (for picking runs to compare). */
export const RunsQuery = typedQuery<{ runs: RunSummary[]; _meta: Meta | null }, { first: number }>(
  'Runs',
  `query Runs($first: Int!) {
  runs(first: $first, orderBy: runId, orderDirection: desc) { ${RUN_SUMMARY} specURI }
  ${META}
}`,
);

/** One window of the loss curve: steps with from <= index < to (valid and invalidated). */
export const RunStepsQuery = typedQuery<
  { steps: TimedStepPoint[] },
  { run: string; from: string; to: string; skip: number }
>(
  'RunSteps',
  `query RunSteps($run: String!, $from: BigInt!, $to: BigInt!, $skip: Int!) {
  steps(first: 1000, skip: $skip, where: { run: $run, step_gte: $from, step_lt: $to }, orderBy: step, orderDirection: asc) { step lossRaw status timestamp }
}`,
);

/**
 * One window of round attempts with their loss summaries (from <= number < to): the loss curve
 * at round resolution, one row per round instead of k steps.
 */
export const RunRoundCurveQuery = typedQuery<
  { rounds: RoundLossRow[] },
  { run: string; from: string; to: string; skip: number }
>(
  'RunRoundCurve',
  `query RunRoundCurve($run: String!, $from: BigInt!, $to: BigInt!, $skip: Int!) {
  rounds(first: 1000, skip: $skip, where: { run: $run, number_gte: $from, number_lt: $to }, orderBy: number, orderDirection: asc) { number status firstStep lastStep stepCount minLossRaw maxLossRaw lossSumRaw lastLossRaw submittedAtTimestamp }
}`,
);

/** What the curve exports need before reading the steps. */
export const RunCurveHeadQuery = typedQuery<
  {
    run: { id: string; stepsPerRound: string; stats: { roundNumbers: number } } | null;
    _meta: Meta | null;
  },
  { id: string }
>(
  'RunCurveHead',
  `query RunCurveHead($id: ID!) { run(id: $id) { id stepsPerRound stats { roundNumbers } } ${META} }`,
);

/** A round number of a run: every attempt at it (expired leases, rolled-back submissions), newest first. */
export const RoundQuery = typedQuery<
  {
    roundSlot: { id: string; number: string; attempts: number; rounds: RoundDetail[] } | null;
    _meta: Meta | null;
  },
  { id: string }
>(
  'Round',
  `query Round($id: ID!) {
  roundSlot(id: $id) {
    id number attempts
    rounds(first: 100, orderBy: attempt, orderDirection: desc) {
      ${ROUND_ROW}
      run { id runId stepsPerRound }
      baseStateHash claimId leaseExpiresAt claimedAtTimestamp submittedAtTransaction reward
      checkpoint { ${CHECKPOINT} }
      challenges(first: 10) { step status dispute { id status } }
      steps(first: 1000, orderBy: step, orderDirection: asc) { step lossRaw status }
    }
  }
  ${META}
}`,
);

export const DisputesQuery = typedQuery<
  {
    disputes: DisputeSummary[];
    open: DisputeSummary[];
    myBallots: Array<{ dispute: { id: string }; revealed: boolean }>;
    _meta: Meta | null;
  },
  { first: number; skip: number; where: Record<string, unknown>; account: string }
>(
  'Disputes',
  `query Disputes($first: Int!, $skip: Int!, $where: Dispute_filter!, $account: String!) {
  disputes(first: $first, skip: $skip, where: $where, orderBy: openedAtBlock, orderDirection: desc) { ${DISPUTE_SUMMARY} }
  open: disputes(first: 1000, where: { status: Open }, orderBy: revealDeadline, orderDirection: asc) { ${DISPUTE_SUMMARY} }
  myBallots: ballots(first: 1000, where: { voter: $account }) { dispute { id } revealed }
  ${META}
}`,
);

const DISPUTE_DETAIL = `${DISPUTE_SUMMARY}
    stepIndex stakeAtRisk snapshotBlock courtFee rewardsClaimed openedAtBlock resolvedAtTimestamp
    challenge { step seq status claimedStateHash previousStateHash evidenceURI deposit challenger { id } winner payout }
    run { id runId specURI specHash initialStateHash stepsPerRound }`;

/**
 * One dispute with its ballots, and every dispute on the same round lease (a round can have
 * several, each settled on its own in `seq` order), so the page shows them side by side.
 */
export const DisputeQuery = typedQuery<
  {
    dispute: DisputeDetail | null;
    voter: VoterRow | null;
    protocol: { courtTotalStake: BigIntString; courtUnstakeCooldown: BigIntString | null } | null;
    _meta: Meta | null;
  },
  { id: string; account: string }
>(
  'Dispute',
  `query Dispute($id: ID!, $account: ID!) {
  dispute(id: $id) {
    ${DISPUTE_DETAIL}
    round { id number attempt claimId baseStateHash firstStep status
      challenges(first: 100, orderBy: seq, orderDirection: asc) { seq dispute { ${DISPUTE_SUMMARY} } } }
    ballots(first: 1000, orderBy: committedAtBlock, orderDirection: asc) { id voter { id } bySig committedAtTimestamp revealed support weight revealedAtTimestamp reward }
  }
  voter(id: $account) { ${VOTER_ROW} }
  protocol(id: "protocol") { courtTotalStake courtUnstakeCooldown }
  ${META}
}`,
);

/** The checkpoint a round builds on: the latest round attempt whose final state is that base. */
export const BaseCheckpointQuery = typedQuery<
  { rounds: { id: string; number: BigIntString; stateURI: string | null }[] },
  { run: string; hash: string }
>(
  'BaseCheckpoint',
  `query BaseCheckpoint($run: String!, $hash: Bytes!) {
  rounds(first: 1, where: { run: $run, finalStateHash: $hash }, orderBy: number, orderDirection: desc) { id number stateURI }
}`,
);

export const TasksQuery = typedQuery<{ tasks: TaskSummary[]; _meta: Meta | null }>(
  'Tasks',
  `query Tasks {
  tasks(first: 200, orderBy: taskId, orderDirection: desc) { ${TASK_SUMMARY} }
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
    ${TASK_SUMMARY} archURI minImprovementRaw
    candidates(first: 1000, orderBy: submittedAtBlock, orderDirection: asc) {
      id optimizer { id } paramsURI paramsHash bond seedBlock status scoreRaw submittedAtTimestamp
      attestation { id scoreRaw signers stakeSigned totalStake stakeShare seed timestamp }
    }
    bestModelChanges(first: 1000, orderBy: timestamp, orderDirection: asc) { id newScoreRaw timestamp }
  }
  ${META}
}`,
);

export type WorkerRound = RoundRow & {
  run: { id: string; runId: string };
  claimedAtTimestamp: string;
};

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
  rounds(first: 200, where: { worker: $ref }, orderBy: claimedAtBlock, orderDirection: desc) { ${ROUND_ROW} claimedAtTimestamp run { id runId } }
  operator(id: $id) { ${OPERATOR_ROW} }
  voter(id: $id) { ${VOTER_ROW} }
  ${META}
}`,
);

export const OperatorsQuery = typedQuery<
  {
    operators: OperatorRow[];
    protocol: { totalOperatorStake: BigIntString; operatorCount: number } | null;
    _meta: Meta | null;
  },
  {
    first: number;
    skip: number;
    orderBy: string;
    orderDirection: 'asc' | 'desc';
    where: Record<string, unknown>;
  }
>(
  'Operators',
  `query Operators($first: Int!, $skip: Int!, $orderBy: Operator_orderBy!, $orderDirection: OrderDirection!, $where: Operator_filter!) {
  operators(first: $first, skip: $skip, orderBy: $orderBy, orderDirection: $orderDirection, where: $where) { ${OPERATOR_ROW} }
  protocol(id: "protocol") { totalOperatorStake operatorCount }
  ${META}
}`,
);

export const VotersQuery = typedQuery<{
  voters: VoterRow[];
  protocol: {
    courtTotalStake: BigIntString;
    courtPendingUnstake: BigIntString;
    courtStakerCount: number;
    courtUnstakeCooldown: BigIntString | null;
  } | null;
  _meta: Meta | null;
}>(
  'Voters',
  `query Voters {
  voters(first: 500, where: { stake_gt: "0" }, orderBy: stake, orderDirection: desc) { ${VOTER_ROW} }
  protocol(id: "protocol") { courtTotalStake courtPendingUnstake courtStakerCount courtUnstakeCooldown }
  ${META}
}`,
);

/** Candidates of a task for its accuracy history chart are part of TaskQuery. */
export type { CandidateRow };

export const ALL_QUERIES = [
  MetaQuery,
  OverviewQuery,
  RunQuery,
  RunsQuery,
  RunStepsQuery,
  RunRoundCurveQuery,
  RunCurveHeadQuery,
  RoundQuery,
  DisputesQuery,
  DisputeQuery,
  BaseCheckpointQuery,
  TasksQuery,
  TaskQuery,
  WorkerQuery,
  OperatorsQuery,
  VotersQuery,
] as const;
