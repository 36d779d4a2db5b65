/**
 * Example queries for the GraphQL page, as a researcher would write them. Keep in step with the
 * examples in docs/subgraph.md once that lands; graphql-queries.test.ts validates each one.
 */
export type ExampleQuery = { id: string; title: string; query: string };

export const EXAMPLE_QUERIES: ExampleQuery[] = [
  {
    id: 'loss-curve',
    title: 'Loss curve of a run (valid steps)',
    query: `{
  steps(first: 1000, orderBy: index, orderDirection: asc, where: { status: "valid" }) {
    index
    loss
    round { index }
  }
}`,
  },
  {
    id: 'runs',
    title: 'Runs and their progress',
    query: `{
  runs(first: 10, orderBy: runId) {
    id
    runId
    status
    roundCount
    finalizedRoundCount
    lastLoss
    minLoss
  }
}`,
  },
  {
    id: 'worker',
    title: "A worker's history",
    query: `{
  workers(first: 5, orderBy: roundsFinalized, orderDirection: desc) {
    id
    roundsFinalized
    roundsInvalidated
    rewards
    rounds(first: 5, orderBy: claimedAt, orderDirection: desc) { index status run { runId } }
  }
}`,
  },
  {
    id: 'dispute-votes',
    title: "A dispute's votes",
    query: `{
  disputes(first: 5, orderBy: openedAt, orderDirection: desc) {
    id
    status
    fraud
    fraudVotes
    validVotes
    votes(orderBy: weight, orderDirection: desc) { voter { id } support weight reason }
  }
}`,
  },
  {
    id: 'leaderboard',
    title: "A task's leaderboard",
    query: `{
  candidates(first: 10, orderBy: score, orderDirection: desc, where: { score_not: null }) {
    id
    optimizer
    score
    status
    task { taskId }
  }
}`,
  },
  {
    id: 'time-travel',
    title: 'Time travel: totals at block 100',
    query: `{
  protocol(id: "protocol", block: { number: 100 }) {
    runCount
    stepCount
    disputeCount
  }
  _meta { block { number } }
}`,
  },
];
