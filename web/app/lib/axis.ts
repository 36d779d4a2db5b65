/**
 * Axis ticks with one precision per axis: "0.90, 0.95, 1.00", never "0.90000" beside "1". The
 * labels all have the same number of decimals, chosen from the tick spacing, so they line up and
 * the axis can be sized to its longest label instead of being clipped.
 */

/** Ticks at 1, 2 or 5 × 10^n spacing covering [min, max], about `target` of them. */
export function niceTicks(
  min: number,
  max: number,
  target = 5,
): { ticks: number[]; decimals: number; domain: [number, number] } {
  if (!Number.isFinite(min) || !Number.isFinite(max))
    return { ticks: [], decimals: 0, domain: [0, 1] };
  if (max === min) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.05 : 1;
    min -= pad;
    max += pad;
  }
  const rough = (max - min) / Math.max(1, target);
  const mag = Math.pow(10, Math.floor(Math.log10(rough)));
  const norm = rough / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Number(v.toFixed(decimals)));
  return { ticks, decimals, domain: [ticks[0]!, ticks[ticks.length - 1]!] };
}

/** Log-scale ticks at 1, 2, 5 × 10^n inside [min, max] (min > 0), with matching decimals. */
export function logTicks(
  min: number,
  max: number,
): { ticks: number[]; decimals: number; domain: [number, number] } {
  if (!(min > 0) || !(max > 0)) return { ticks: [], decimals: 0, domain: [1, 10] };
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const all: number[] = [];
  for (let e = lo; e <= hi; e++) for (const m of [1, 2, 5]) all.push(m * Math.pow(10, e));
  let ticks = all.filter((t) => t >= min && t <= max);
  // A narrow range (inside one decade) has fewer than two such ticks: fall back to linear ones.
  if (ticks.length < 2) ticks = niceTicks(min, max, 4).ticks.filter((t) => t > 0);
  const smallest = Math.min(...ticks);
  const decimals = Math.max(0, -Math.floor(Math.log10(smallest) + 1e-9));
  return {
    ticks: ticks.map((t) => Number(t.toFixed(decimals))),
    decimals,
    domain: [Math.min(min, ticks[0]!), Math.max(max, ticks[ticks.length - 1]!)],
  };
}

export function formatTick(value: number, decimals: number): string {
  return value.toLocaleString('en', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

/** Pixel width for a y axis whose longest label is `label` (12 px sans-serif digits ≈ 7 px). */
export function axisWidth(labels: readonly string[]): number {
  const longest = labels.reduce((n, l) => Math.max(n, l.length), 1);
  return Math.ceil(longest * 7.2 + 14);
}
