/**
 * Reads a run's whole loss curve from the subgraph. graph-node caps `first` at 1000 and `skip` at
 * 5000, so the curve is read in windows of step indices, several windows in parallel; a window that
 * holds more than 1000 rows (steps re-done after a rollback) is continued with `skip`.
 */
import type { CurveRow } from '../lib/curve-export.js';
import { querySubgraph } from './client.server.js';
import { RunStepsQuery } from './queries.js';

const WINDOW = 1000;
const PAGE = 1000;
const CONCURRENCY = 6;

export async function fetchLossCurve(
  runId: string,
  maxStep: bigint,
  opts: { url?: string; signal?: AbortSignal } = {},
): Promise<CurveRow[]> {
  const windows: Array<[bigint, bigint]> = [];
  for (let from = 0n; from <= maxStep; from += BigInt(WINDOW))
    windows.push([from, from + BigInt(WINDOW)]);
  const results: CurveRow[][] = new Array(windows.length);
  let next = 0;
  const worker = async () => {
    while (next < windows.length) {
      const w = next++;
      const [from, to] = windows[w]!;
      const rows: CurveRow[] = [];
      for (let skip = 0; ; skip += PAGE) {
        const { steps } = await querySubgraph(
          RunStepsQuery,
          { run: runId.toLowerCase(), from: from.toString(), to: to.toString(), skip },
          opts,
        );
        rows.push(...steps);
        if (steps.length < PAGE) break;
      }
      results[w] = rows;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, windows.length) }, worker));
  return results.flat();
}
