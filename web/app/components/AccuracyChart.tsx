/**
 * A task's score history: every attested candidate score over time, and the best-so-far line. The
 * metric decides the unit (accuracy in %, R² as a number); time labels carry seconds when the
 * attestations are close together, so no two ticks read the same.
 */
import { useEffect, useMemo, useState } from 'react';
import {
  CartesianGrid,
  ComposedChart,
  Line,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { axisWidth, formatTick, niceTicks } from '../lib/axis.js';
import { scoreName, type ScoreMetric } from '../lib/score.js';

export type AccuracyPoint = { t: number; score: number; best: number };

/** Tick labels for unix seconds: as precise as the span needs, so neighbouring ticks differ. */
export function timeTickLabel(t: number, spanSeconds: number): string {
  const iso = new Date(t * 1000).toISOString();
  if (spanSeconds < 600) return iso.slice(11, 19);
  if (spanSeconds < 2 * 86_400) return iso.slice(11, 16);
  return iso.slice(5, 10);
}

export function AccuracyChart({
  points,
  metric,
}: {
  points: AccuracyPoint[];
  metric: ScoreMetric;
}) {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const unit = metric === 'accuracy' ? '%' : '';
  const name = scoreName(metric);
  const x = useMemo(() => {
    const ts = points.map((p) => p.t);
    const lo = Math.min(...ts);
    const hi = Math.max(...ts);
    const span = Math.max(hi - lo, 1);
    const ticks = niceTicks(lo, hi === lo ? lo + 1 : hi, 4).ticks.filter(
      (v) => v >= lo && v <= Math.max(hi, lo + 1),
    );
    return { ticks, span, domain: [lo, hi === lo ? lo + 1 : hi] as [number, number] };
  }, [points]);
  const y = useMemo(() => {
    const vs = points.flatMap((p) => [p.score, p.best]);
    const t = niceTicks(Math.min(...vs), Math.max(...vs), 4);
    return { ...t, width: axisWidth(t.ticks.map((v) => formatTick(v, t.decimals) + unit)) };
  }, [points, unit]);
  return (
    <div
      className="chart-box"
      id="accuracy-chart"
      data-points={points.length}
      style={{ height: 260 }}
    >
      {!hydrated ? (
        <div className="placeholder">Loading chart…</div>
      ) : points.length === 0 ? (
        <div className="placeholder">No attested scores yet.</div>
      ) : (
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis
              dataKey="t"
              type="number"
              domain={x.domain}
              ticks={x.ticks}
              tickFormatter={(t: number) => timeTickLabel(t, x.span)}
            />
            <YAxis
              domain={y.domain}
              ticks={y.ticks}
              width={y.width}
              tickFormatter={(v: number) => formatTick(v, y.decimals) + unit}
            />
            <Tooltip
              labelFormatter={(t) => new Date(Number(t) * 1000).toISOString()}
              formatter={(v) => (typeof v === 'number' ? `${v.toFixed(unit ? 2 : 4)}${unit}` : v)}
            />
            <Scatter
              dataKey="score"
              name={`attested ${name}`}
              fill="var(--line-raw)"
              isAnimationActive={false}
            />
            <Line
              dataKey="best"
              name={`best ${name}`}
              stroke="var(--line-eval)"
              type="stepAfter"
              dot={false}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
