/**
 * A loss curve as the chart draws it at any run length: a bounded number of buckets over a step
 * range, each with the loss min/max (the W&B band, so a spike inside a bucket is never lost), mean,
 * last value, step count and wall time. At full resolution a bucket is one step (min = max).
 *
 * The loader builds buckets from the subgraph's per-round loss summaries (Round.minLossRaw,
 * maxLossRaw, lossSumRaw, lastLossRaw) when the range is wide, and from the steps themselves when
 * it is narrow enough to draw every one; see graphql/curve-view.server.ts.
 */

export type Resolution = 'steps' | 'rounds';

/** Columnar buckets (compact on the wire: a few thousand numbers, whatever the run length). */
export type BucketColumns = {
  /** First and last step covered. */
  from: number[];
  to: number[];
  min: number[];
  max: number[];
  mean: number[];
  last: number[];
  /** Steps summarised. */
  count: number[];
  /** Unix seconds of the latest submission in the bucket (wall time). */
  time: number[];
};

export type CurveView = {
  /** The step range shown (inclusive); the whole run unless zoomed. */
  from: number;
  to: number;
  /** Steps of the whole run (valid and invalidated): the zoom-out bound. */
  totalSteps: number;
  /** 'steps': every step drawn; 'rounds': per-round summaries, merged into wider buckets if many. */
  resolution: Resolution;
  /** Steps each bucket spans at most (1 at full resolution). */
  bucketSteps: number;
  valid: BucketColumns;
  /** Steps voided by a fraud ruling, never joined to the valid curve. */
  invalidated: BucketColumns;
  /** Round ends in view, only when few enough to mark without covering the curve. */
  checkpoints: number[];
};

export type Bucket = {
  from: number;
  to: number;
  min: number;
  max: number;
  mean: number;
  last: number;
  count: number;
  time: number;
};

/** At most this many buckets per series: enough for a 4K-wide chart, small enough to draw fast. */
export const MAX_BUCKETS = 1000;
/** Ranges up to this many steps are read and drawn step by step (≤ 2 subgraph pages). */
export const FULL_RESOLUTION_STEPS = 2000;
/** Round ends are marked only when at most this many are in view. */
export const MAX_CHECKPOINT_MARKS = 25;

export class CurveRangeError extends Error {
  override name = 'CurveRangeError';
  constructor(
    readonly param: 'from' | 'to',
    message: string,
  ) {
    super(message);
  }
}

/** Reads ?from=&to= (step numbers, inclusive). Missing: the whole run. */
export function parseCurveRange(params: URLSearchParams): { from: number; to: number } | null {
  const f = params.get('from');
  const t = params.get('to');
  if (f === null && t === null) return null;
  const read = (name: 'from' | 'to', v: string | null) => {
    if (v === null || !/^\d{1,15}$/.test(v))
      throw new CurveRangeError(name, `${name} must be a step number (a non-negative integer)`);
    return Number(v);
  };
  const from = read('from', f);
  const to = read('to', t);
  if (to <= from) throw new CurveRangeError('to', 'to must be greater than from');
  return { from, to };
}

/** Six significant digits: what a chart can show; the exports carry the exact fixed point. */
const round6 = (x: number) => Number(x.toPrecision(6));

export function emptyColumns(): BucketColumns {
  return { from: [], to: [], min: [], max: [], mean: [], last: [], count: [], time: [] };
}

export function toColumns(buckets: readonly Bucket[]): BucketColumns {
  const c = emptyColumns();
  for (const b of buckets) {
    c.from.push(b.from);
    c.to.push(b.to);
    c.min.push(round6(b.min));
    c.max.push(round6(b.max));
    c.mean.push(round6(b.mean));
    c.last.push(round6(b.last));
    c.count.push(b.count);
    c.time.push(b.time);
  }
  return c;
}

export function fromColumns(c: BucketColumns): Bucket[] {
  return c.from.map((from, i) => ({
    from,
    to: c.to[i]!,
    min: c.min[i]!,
    max: c.max[i]!,
    mean: c.mean[i]!,
    last: c.last[i]!,
    count: c.count[i]!,
    time: c.time[i]!,
  }));
}

/**
 * Merges step-ordered units (rounds or steps) into at most `maxBuckets` buckets of equal step width
 * over [from, to]: min of mins, max of maxes, count-weighted mean, the last unit's last value.
 */
export function mergeBuckets(
  units: readonly Bucket[],
  range: { from: number; to: number },
  maxBuckets = MAX_BUCKETS,
): { buckets: Bucket[]; width: number } {
  const span = range.to - range.from + 1;
  const widest = units.reduce((w, u) => Math.max(w, u.to - u.from + 1), 1);
  if (units.length <= maxBuckets) return { buckets: units.slice(), width: widest };
  const width = Math.max(widest, Math.ceil(span / maxBuckets));
  const out: Bucket[] = [];
  let cur: Bucket | null = null;
  let curIndex = -1;
  for (const u of units) {
    const index = Math.floor((Math.max(u.from, range.from) - range.from) / width);
    if (cur && index === curIndex) {
      const count: number = cur.count + u.count;
      cur.mean = (cur.mean * cur.count + u.mean * u.count) / count;
      cur.count = count;
      cur.min = Math.min(cur.min, u.min);
      cur.max = Math.max(cur.max, u.max);
      cur.to = Math.max(cur.to, u.to);
      cur.last = u.last;
      cur.time = Math.max(cur.time, u.time);
    } else {
      if (cur) out.push(cur);
      cur = { ...u };
      curIndex = index;
    }
  }
  if (cur) out.push(cur);
  return { buckets: out, width };
}

/**
 * W&B's debiased EMA carried over buckets: a bucket of n steps with mean m advances the average as n
 * steps of value m would (weight^n), so the smoothed line does not depend on the zoom level.
 */
export function bucketEma(buckets: readonly Bucket[], weight: number): number[] {
  let avg = 0;
  let decay = 1; // weight^(steps so far): the debiasing term
  return buckets.map((b) => {
    const w = Math.pow(weight, b.count);
    avg = avg * w + (1 - w) * b.mean;
    decay *= w;
    return weight === 0 ? b.mean : avg / (1 - decay);
  });
}
