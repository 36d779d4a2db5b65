/**
 * From the raw loss curve (every step, valid and invalidated) to what the chart draws: the faint raw
 * line, the smoothed line (debiased EMA over the valid steps only) and the invalidated steps as a
 * separate series, each downsampled with LTTB to at most `maxPoints` so 100k+ steps stay fast.
 */
import { lttbIndices } from './lttb.js';
import { debiasedEma } from './smoothing.js';

/** Columnar, compact for the wire: 100k steps are three arrays, not 100k objects. */
export type LossCurve = {
  steps: number[];
  /** Loss as a float (the chain's 1e9 fixed point divided out). Exact values are in the exports. */
  losses: number[];
  /** 1 where the step was invalidated by a fraud ruling. */
  invalidated: number[];
};

/**
 * What the loader sends: steps as deltas (mostly 1s), losses to 6 significant digits (the chart
 * cannot show more; the exports carry the exact fixed point) and only the positions of invalidated
 * steps. For 100k steps this is about a third of the plain columns.
 */
export type WireCurve = { stepDeltas: number[]; losses: number[]; invalidatedAt: number[] };

export function toWireCurve(
  rows: ReadonlyArray<{ step: string; lossRaw: string; status: string }>,
): WireCurve {
  const wire: WireCurve = { stepDeltas: [], losses: [], invalidatedAt: [] };
  let prev = 0;
  rows.forEach((r, i) => {
    const step = Number(r.step);
    wire.stepDeltas.push(step - prev);
    prev = step;
    wire.losses.push(Number((Number(r.lossRaw) / 1e9).toPrecision(6)));
    if (r.status !== 'Valid') wire.invalidatedAt.push(i);
  });
  return wire;
}

export function fromWireCurve(wire: WireCurve): LossCurve {
  const n = wire.stepDeltas.length;
  const steps = new Array<number>(n);
  let s = 0;
  for (let i = 0; i < n; i++) steps[i] = s += wire.stepDeltas[i]!;
  const invalidated = new Array<number>(n).fill(0);
  for (const i of wire.invalidatedAt) invalidated[i] = 1;
  return { steps, losses: wire.losses, invalidated };
}

export type ChartPoint = { step: number; loss: number; smooth?: number };

export type ChartSeries = {
  raw: ChartPoint[];
  smoothed: ChartPoint[];
  invalidated: ChartPoint[];
  /** Points in the curve before downsampling, per series. */
  totals: { valid: number; invalidated: number };
};

export type SeriesOptions = {
  smoothing: number;
  showInvalidated: boolean;
  logScale: boolean;
  maxPoints: number;
};

export const DEFAULT_MAX_POINTS = 1500;

function downsample(xs: Float64Array, ys: Float64Array, maxPoints: number): ChartPoint[] {
  const idx = xs.length > maxPoints ? lttbIndices(xs, ys, maxPoints) : Array.from(xs, (_, i) => i);
  return idx.map((i) => ({ step: xs[i]!, loss: ys[i]! }));
}

export function buildChartSeries(curve: LossCurve, opts: SeriesOptions): ChartSeries {
  const keep = (loss: number) => Number.isFinite(loss) && (!opts.logScale || loss > 0);
  let nValid = 0;
  let nInvalid = 0;
  for (let i = 0; i < curve.steps.length; i++) {
    if (!keep(curve.losses[i]!)) continue;
    if (curve.invalidated[i]) nInvalid++;
    else nValid++;
  }
  const vx = new Float64Array(nValid);
  const vy = new Float64Array(nValid);
  const ix = new Float64Array(nInvalid);
  const iy = new Float64Array(nInvalid);
  let v = 0;
  let k = 0;
  for (let i = 0; i < curve.steps.length; i++) {
    const loss = curve.losses[i]!;
    if (!keep(loss)) continue;
    if (curve.invalidated[i]) {
      ix[k] = curve.steps[i]!;
      iy[k++] = loss;
    } else {
      vx[v] = curve.steps[i]!;
      vy[v++] = loss;
    }
  }
  const smooth = opts.smoothing > 0 ? debiasedEma(vy, opts.smoothing) : vy;
  return {
    raw: downsample(vx, vy, opts.maxPoints),
    smoothed: opts.smoothing > 0 ? downsample(vx, smooth, opts.maxPoints) : [],
    invalidated: opts.showInvalidated ? downsample(ix, iy, opts.maxPoints) : [],
    totals: { valid: nValid, invalidated: nInvalid },
  };
}
