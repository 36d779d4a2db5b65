/**
 * Builds the chart's view of a loss curve for a step range with a bounded number of subgraph reads,
 * whatever the run length:
 *
 * - a range of at most FULL_RESOLUTION_STEPS steps is read step by step (≤ 2 pages);
 * - a wider range is read at round resolution: one row per round attempt carrying the round's loss
 *   min/max/sum/last (the subgraph keeps them on Round), so 100,000 steps of 100-step rounds are
 *   1,000 rows (one page) and the band still shows every spike; more rounds than MAX_BUCKETS are
 *   merged into equal-width buckets.
 *
 * The subgraph has no coarser level than the round, so a run of 10,000+ rounds still costs
 * rounds / 1000 pages for its overview; see docs/portal.md ("Curves at any length") for the
 * bucket entity that would make it one page.
 */
import {
  FULL_RESOLUTION_STEPS,
  MAX_BUCKETS,
  MAX_CHECKPOINT_MARKS,
  mergeBuckets,
  toColumns,
  type Bucket,
  type CurveView,
} from '../lib/curve-view.js';
import { fetchRoundLosses, fetchSteps } from './curve.server.js';

const LOSS_SCALE = 1e9;
const VALID_ROUND = new Set(['Submitted', 'Challenged', 'Finalized']);

export type CurveRun = { id: string; stepsPerRound: string; stats: { roundNumbers: number } };

export async function loadCurveView(
  run: CurveRun,
  range: { from: number; to: number } | null,
  opts: { url?: string; signal?: AbortSignal } = {},
): Promise<CurveView> {
  const k = Math.max(1, Number(run.stepsPerRound));
  const totalSteps = run.stats.roundNumbers * k;
  const last = Math.max(totalSteps, 1);
  const from = Math.min(Math.max(range?.from ?? 1, 1), last);
  const to = Math.max(Math.min(range?.to ?? last, last), from);
  const valid: Bucket[] = [];
  const invalid: Bucket[] = [];

  if (to - from + 1 <= FULL_RESOLUTION_STEPS) {
    const steps = await fetchSteps(run.id, BigInt(from), BigInt(to) + 1n, opts);
    for (const s of steps) {
      const loss = Number(s.lossRaw) / LOSS_SCALE;
      const step = Number(s.step);
      const b = {
        from: step,
        to: step,
        min: loss,
        max: loss,
        mean: loss,
        last: loss,
        count: 1,
        time: Number(s.timestamp),
      };
      (s.status === 'Valid' ? valid : invalid).push(b);
    }
    const ends = valid.filter((b) => b.to % k === 0).map((b) => b.to);
    return {
      from,
      to,
      totalSteps,
      resolution: 'steps',
      bucketSteps: 1,
      valid: toColumns(valid),
      invalidated: toColumns(invalid),
      checkpoints: ends.length <= MAX_CHECKPOINT_MARKS ? ends : [],
    };
  }

  const firstRound = Math.floor((from - 1) / k);
  const lastRound = Math.floor((to - 1) / k);
  const rounds = await fetchRoundLosses(run.id, BigInt(firstRound), BigInt(lastRound) + 1n, opts);
  for (const r of rounds) {
    if (r.firstStep === null || r.lastStep === null || r.minLossRaw === null) continue;
    const count = r.stepCount || Number(r.lastStep) - Number(r.firstStep) + 1;
    const b: Bucket = {
      from: Number(r.firstStep),
      to: Number(r.lastStep),
      min: Number(r.minLossRaw) / LOSS_SCALE,
      max: Number(r.maxLossRaw ?? r.minLossRaw) / LOSS_SCALE,
      mean: r.lossSumRaw === null ? Number.NaN : Number(r.lossSumRaw) / count / LOSS_SCALE,
      last: Number(r.lastLossRaw ?? r.minLossRaw) / LOSS_SCALE,
      count,
      time: Number(r.submittedAtTimestamp ?? 0),
    };
    if (!Number.isFinite(b.mean)) b.mean = (b.min + b.max) / 2;
    if (r.status === 'Invalidated') invalid.push(b);
    else if (VALID_ROUND.has(r.status)) valid.push(b);
  }
  // Rounds come in number order; attempts at one number share its steps, so sort by step.
  const byStep = (a: Bucket, b: Bucket) => a.from - b.from;
  valid.sort(byStep);
  invalid.sort(byStep);
  const v = mergeBuckets(valid, { from, to }, MAX_BUCKETS);
  const inv = mergeBuckets(invalid, { from, to }, MAX_BUCKETS);
  return {
    from,
    to,
    totalSteps,
    resolution: 'rounds',
    bucketSteps: v.width,
    valid: toColumns(v.buckets),
    invalidated: toColumns(inv.buckets),
    checkpoints: valid.length <= MAX_CHECKPOINT_MARKS ? valid.map((b) => b.to) : [],
  };
}
