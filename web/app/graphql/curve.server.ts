/**
 * Reads a run's loss curve from the subgraph. graph-node caps `first` at 1000 and `skip` at 5000,
 * so rows are read in windows of an ordered key (step or round number), several windows in
 * parallel; a window holding more than 1000 rows (steps or rounds re-done after a rollback) is
 * continued with `skip`.
 */
import type { TimedStepPoint, RoundLossRow } from './types.js';
import { querySubgraph } from './client.server.js';
import { RunRoundCurveQuery, RunStepsQuery } from './queries.js';

// A window one key narrower than a page: with one row per key (no re-done rounds or steps) a
// window fits in one page with room to spare, so no empty follow-up page has to be asked for.
const WINDOW = 999;
const PAGE = 1000;
const CONCURRENCY = 6;

type Opts = { url?: string; signal?: AbortSignal };

/** Every row with from <= key < to, in key order, read window by window. */
async function readWindows<T>(
  from: bigint,
  to: bigint,
  page: (from: bigint, to: bigint, skip: number) => Promise<T[]>,
): Promise<T[]> {
  const windows: Array<[bigint, bigint]> = [];
  for (let f = from; f < to; f += BigInt(WINDOW)) {
    const t = f + BigInt(WINDOW);
    windows.push([f, t < to ? t : to]);
  }
  const results: T[][] = new Array(windows.length);
  let next = 0;
  const worker = async () => {
    while (next < windows.length) {
      const w = next++;
      const [f, t] = windows[w]!;
      const rows: T[] = [];
      for (let skip = 0; ; skip += PAGE) {
        const got = await page(f, t, skip);
        rows.push(...got);
        if (got.length < PAGE) break;
      }
      results[w] = rows;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, windows.length) }, worker));
  return results.flat();
}

/** Steps with from <= step < to (valid and invalidated), in step order. */
export function fetchSteps(
  runId: string,
  from: bigint,
  to: bigint,
  opts: Opts = {},
): Promise<TimedStepPoint[]> {
  const run = runId.toLowerCase();
  return readWindows(from, to, async (f, t, skip) => {
    const { steps } = await querySubgraph(
      RunStepsQuery,
      { run, from: f.toString(), to: t.toString(), skip },
      opts,
    );
    return steps;
  });
}

/** The whole curve, step by step (the CSV/JSON exports). */
export function fetchLossCurve(
  runId: string,
  maxStep: bigint,
  opts: Opts = {},
): Promise<TimedStepPoint[]> {
  return fetchSteps(runId, 0n, maxStep + 1n, opts);
}

/** Round attempts with from <= number < to and their loss summaries, in number order. */
export function fetchRoundLosses(
  runId: string,
  from: bigint,
  to: bigint,
  opts: Opts = {},
): Promise<RoundLossRow[]> {
  const run = runId.toLowerCase();
  return readWindows(from, to, async (f, t, skip) => {
    const { rounds } = await querySubgraph(
      RunRoundCurveQuery,
      { run, from: f.toString(), to: t.toString(), skip },
      opts,
    );
    return rounds;
  });
}
