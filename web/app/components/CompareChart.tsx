/**
 * Several runs' loss curves on one chart (W&B's run comparison): each run's bounded CurveView as a
 * line of bucket means, optionally EMA-smoothed, against the step, the relative step (% of that
 * run's steps, for runs of different lengths) or the wall time of the submissions. The tooltip
 * names the run, the step range, the loss and the time of the point under the pointer.
 */
import { useEffect, useMemo, useState } from 'react';
import {
  CartesianGrid,
  LineChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { axisWidth, formatTick, niceTicks } from '../lib/axis.js';
import { bucketEma, fromColumns, type Bucket, type CurveView } from '../lib/curve-view.js';

export type CompareMode = 'step' | 'relative' | 'time';
export type ComparedRun = { id: string; runId: string; view: CurveView };

const COLOURS = ['#2f6fde', '#d9480f', '#2b8a3e', '#9c36b5', '#c92a2a', '#0b7285'];

type Pt = { x: number; loss: number; run: string; b: Bucket };

function CompareTooltip({
  active,
  payload,
}: {
  active?: boolean;
  payload?: ReadonlyArray<{ payload?: Pt; color?: string }>;
}) {
  if (!active || !payload?.length) return null;
  return (
    <div className="chart-tooltip" role="tooltip">
      {payload.map((e) =>
        e.payload ? (
          <div key={e.payload.run} style={{ color: e.color }}>
            Run {e.payload.run}: loss {e.payload.loss.toPrecision(5)} at{' '}
            {e.payload.b.from === e.payload.b.to
              ? `step ${e.payload.b.from.toLocaleString('en')}`
              : `steps ${e.payload.b.from.toLocaleString('en')}–${e.payload.b.to.toLocaleString('en')}`}
            <span className="muted">
              {' '}
              · {new Date(e.payload.b.time * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC
            </span>
          </div>
        ) : null,
      )}
    </div>
  );
}

export function CompareChart({
  runs,
  mode,
  smoothing,
}: {
  runs: ComparedRun[];
  mode: CompareMode;
  smoothing: number;
}) {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const series = useMemo(
    () =>
      runs.map((r) => {
        const buckets = fromColumns(r.view.valid).filter((b) => Number.isFinite(b.mean));
        const ys = smoothing > 0 ? bucketEma(buckets, smoothing) : buckets.map((b) => b.mean);
        const total = Math.max(1, r.view.totalSteps);
        const pts: Pt[] = buckets.map((b, i) => ({
          x:
            mode === 'time'
              ? b.time * 1000
              : mode === 'relative'
                ? (((b.from + b.to) / 2) * 100) / total
                : (b.from + b.to) / 2,
          loss: ys[i]!,
          run: r.runId,
          b,
        }));
        return { run: r, pts };
      }),
    [runs, mode, smoothing],
  );
  const y = useMemo(() => {
    const all = series.flatMap((s) => s.pts.map((p) => p.loss));
    const t = niceTicks(Math.min(...all), Math.max(...all), 5);
    return { ...t, width: axisWidth(t.ticks.map((v) => formatTick(v, t.decimals))) };
  }, [series]);
  const xs = series.flatMap((s) => s.pts.map((p) => p.x));
  const domain: [number, number] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  const xTick = (v: number) =>
    mode === 'time'
      ? new Date(v)
          .toISOString()
          .slice(
            domain[1] - domain[0] > 2 * 86_400_000 ? 5 : 11,
            domain[1] - domain[0] > 2 * 86_400_000 ? 10 : 16,
          )
      : mode === 'relative'
        ? `${Math.round(v)}%`
        : Math.round(v).toLocaleString('en');
  return (
    <div
      className="chart-box"
      id="compare-chart"
      data-runs={runs.length}
      data-mode={mode}
      data-points={series.map((s) => s.pts.length).join(',')}
    >
      {!hydrated ? (
        <div className="placeholder">Loading chart…</div>
      ) : runs.length === 0 ? (
        <div className="placeholder">Tick two or more runs above and press Compare.</div>
      ) : (
        <ResponsiveContainer width="100%" height="100%">
          <LineChart margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis
              dataKey="x"
              type="number"
              domain={domain}
              allowDuplicatedCategory={false}
              tickFormatter={xTick}
            />
            <YAxis
              type="number"
              domain={y.domain}
              ticks={y.ticks}
              width={y.width}
              tickFormatter={(v: number) => formatTick(v, y.decimals)}
            />
            <Tooltip content={<CompareTooltip />} isAnimationActive={false} />
            <Legend />
            {series.map((s, i) => (
              <Line
                key={s.run.id}
                data={s.pts}
                dataKey="loss"
                name={`Run ${s.run.runId}`}
                className={`compare-line compare-run-${s.run.runId}`}
                stroke={COLOURS[i % COLOURS.length]}
                strokeWidth={1.5}
                dot={false}
                isAnimationActive={false}
                type="linear"
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
