/**
 * Example queries for the GraphQL page, as a researcher would write them (see docs/subgraph.md for
 * the full list); graphql-queries.test.ts validates each one against the subgraph's API.
 */
export type ExampleQuery = { id: string; title: string; query: string };

export const EXAMPLE_QUERIES: ExampleQuery[] = [
  {
    id: 'loss-curve',
    title: 'Loss curve of a run (valid steps)',
    query: `{
  steps(first: 1000, orderBy: step, orderDirection: asc, where: { status: Valid }) {
    step
    loss
    roundNumber
    worker { id }
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
    stats { roundNumbers roundsFinalized validStepCount lastLoss minLoss avgLoss }
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
    totalRewards
    rounds(first: 5, orderBy: claimedAtBlock, orderDirection: desc) { number attempt status run { runId } }
  }
}`,
  },
  {
    id: 'dispute-votes',
    title: "A dispute's ballots",
    query: `{
  disputes(first: 5, orderBy: openedAtBlock, orderDirection: desc) {
    id
    status
    fraud
    commitDeadline
    revealDeadline
    commitCount
    revealCount
    fraudVotes
    validVotes
    ballots(orderBy: committedAtBlock) { voter { id } revealed support weight }
  }
}`,
  },
  {
    id: 'leaderboard',
    title: "A task's leaderboard",
    query: `{
  candidates(first: 10, orderBy: scoreRaw, orderDirection: desc, where: { scoreRaw_not: null }) {
    id
    optimizer { id }
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
    validStepCount
    disputeCount
  }
  _meta { block { number } }
}`,
  },
];
