/** A task's accuracy history: every attested candidate score over time, and the best-so-far line. */
import { useEffect, useState } from 'react';
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

export type AccuracyPoint = { t: number; score: number; best: number };

export function AccuracyChart({ points }: { points: AccuracyPoint[] }) {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
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
              domain={['dataMin', 'dataMax']}
              tickFormatter={(t: number) => new Date(t * 1000).toISOString().slice(5, 16)}
            />
            <YAxis unit="%" domain={['auto', 'auto']} width={56} />
            <Tooltip labelFormatter={(t) => new Date(Number(t) * 1000).toISOString()} />
            <Scatter
              dataKey="score"
              name="attested score %"
              fill="var(--line-raw)"
              isAnimationActive={false}
            />
            <Line
              dataKey="best"
              name="best %"
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
