/**
 * The loss curve of a run: the raw loss as a faint line under the debiased-EMA smoothed line,
 * invalidated steps (rolled back by a fraud ruling) as red points that can be hidden, checkpoint
 * markers and the checkpoints' evaluation accuracy on a second axis. Every series is LTTB-
 * downsampled to at most 1,500 points, so 100k+ steps draw quickly. recharts renders only in the
 * browser; the box keeps its size before and after hydration so the page does not jump.
 */
import { useEffect, useMemo, useState } from 'react';
import {
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { buildChartSeries, DEFAULT_MAX_POINTS, type LossCurve } from '../lib/loss-curve.js';

export type CheckpointMark = { step: number; accuracy: number | null };

type Props = {
  curve: LossCurve;
  checkpoints: CheckpointMark[];
  exportBase: string;
};

function initialParam(name: string, fallback: string): string {
  if (typeof window === 'undefined') return fallback;
  return new URLSearchParams(window.location.search).get(name) ?? fallback;
}

/** Loss at a step on the raw curve (binary search), to place checkpoint markers on the line. */
function lossAt(curve: LossCurve, step: number): number | null {
  let lo = 0;
  let hi = curve.steps.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = curve.steps[mid]!;
    if (s === step && !curve.invalidated[mid]) return curve.losses[mid]!;
    if (s < step || (s === step && curve.invalidated[mid])) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

const fmt = (v: unknown) => (typeof v === 'number' ? v.toPrecision(5) : String(v));

export function LossChart({ curve, checkpoints, exportBase }: Props) {
  const [hydrated, setHydrated] = useState(false);
  const [smoothing, setSmoothing] = useState(0.6);
  const [logScale, setLogScale] = useState(false);
  const [showInvalidated, setShowInvalidated] = useState(true);
  const [showEval, setShowEval] = useState(true);
  useEffect(() => {
    // Permalink state: ?smoothing=&scale= (read once; written back without navigating).
    const s = Number(initialParam('smoothing', '0.6'));
    if (s >= 0 && s < 1) setSmoothing(s);
    setLogScale(initialParam('scale', 'linear') === 'log');
    setHydrated(true);
  }, []);
  useEffect(() => {
    if (!hydrated) return;
    const url = new URL(window.location.href);
    url.searchParams.set('smoothing', String(smoothing));
    url.searchParams.set('scale', logScale ? 'log' : 'linear');
    window.history.replaceState(window.history.state, '', url);
  }, [hydrated, smoothing, logScale]);

  const series = useMemo(
    () =>
      buildChartSeries(curve, {
        smoothing,
        logScale,
        showInvalidated,
        maxPoints: DEFAULT_MAX_POINTS,
      }),
    [curve, smoothing, logScale, showInvalidated],
  );
  const markers = useMemo(
    () =>
      checkpoints
        .map((c) => ({ step: c.step, loss: lossAt(curve, c.step) }))
        .filter(
          (m): m is { step: number; loss: number } => m.loss !== null && (!logScale || m.loss > 0),
        ),
    [checkpoints, curve, logScale],
  );
  const evalPoints = useMemo(
    () =>
      checkpoints
        .filter((c) => c.accuracy !== null)
        .map((c) => ({ step: c.step, accuracy: c.accuracy! * 100 })),
    [checkpoints],
  );
  const hasEval = evalPoints.length > 0;

  return (
    <section aria-labelledby="loss-title">
      <h2 id="loss-title">Loss</h2>
      <div className="chart-controls">
        <label>
          Smoothing (EMA){' '}
          <input
            type="range"
            min={0}
            max={0.99}
            step={0.01}
            value={smoothing}
            onChange={(e) => setSmoothing(Number(e.target.value))}
            aria-describedby="smoothing-value"
            name="smoothing"
          />{' '}
          <output id="smoothing-value">{smoothing.toFixed(2)}</output>
        </label>
        <fieldset style={{ border: 0, padding: 0, margin: 0, display: 'flex', gap: '0.5rem' }}>
          <legend className="visually-hidden">Y scale</legend>
          <label>
            <input
              type="radio"
              name="scale"
              checked={!logScale}
              onChange={() => setLogScale(false)}
            />{' '}
            linear
          </label>
          <label>
            <input
              type="radio"
              name="scale"
              checked={logScale}
              onChange={() => setLogScale(true)}
            />{' '}
            log
          </label>
        </fieldset>
        <label>
          <input
            type="checkbox"
            checked={showInvalidated}
            onChange={(e) => setShowInvalidated(e.target.checked)}
            name="invalidated"
          />{' '}
          invalidated steps ({series.totals.invalidated})
        </label>
        {hasEval ? (
          <label>
            <input
              type="checkbox"
              checked={showEval}
              onChange={(e) => setShowEval(e.target.checked)}
            />{' '}
            evaluation accuracy
          </label>
        ) : null}
        <span>
          Export:{' '}
          <a href={`${exportBase}/curve.csv`} download>
            CSV
          </a>{' '}
          ·{' '}
          <a href={`${exportBase}/curve.json`} download>
            JSON
          </a>
        </span>
      </div>
      <div
        className="chart-box"
        id="loss-chart"
        data-points-raw={series.raw.length}
        data-points-smoothed={series.smoothed.length}
        data-points-invalidated={series.invalidated.length}
        data-steps={series.totals.valid + series.totals.invalidated}
        data-scale={logScale ? 'log' : 'linear'}
      >
        {!hydrated ? (
          <div className="placeholder">Loading chart of {curve.steps.length} steps…</div>
        ) : curve.steps.length === 0 ? (
          <div className="placeholder">No steps submitted yet.</div>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart margin={{ top: 8, right: hasEval ? 8 : 24, bottom: 8, left: 8 }}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
              <XAxis
                dataKey="step"
                type="number"
                domain={['dataMin', 'dataMax']}
                allowDuplicatedCategory={false}
                name="step"
              />
              <YAxis
                yAxisId="loss"
                dataKey="loss"
                type="number"
                scale={logScale ? 'log' : 'linear'}
                domain={['auto', 'auto']}
                allowDataOverflow
                tickFormatter={fmt}
                width={64}
              />
              {hasEval && showEval ? (
                <YAxis yAxisId="eval" orientation="right" domain={[0, 100]} unit="%" width={48} />
              ) : null}
              <Tooltip formatter={fmt} labelFormatter={(s) => `step ${String(s)}`} />
              <Legend />
              <Line
                yAxisId="loss"
                data={series.raw}
                dataKey="loss"
                name="loss"
                className="loss-raw"
                stroke={smoothing > 0 ? 'var(--line-raw)' : 'var(--line-smooth)'}
                strokeWidth={1}
                dot={false}
                isAnimationActive={false}
                type="linear"
              />
              {smoothing > 0 ? (
                <Line
                  yAxisId="loss"
                  data={series.smoothed}
                  dataKey="loss"
                  name={`EMA ${smoothing.toFixed(2)}`}
                  className="loss-smoothed"
                  stroke="var(--line-smooth)"
                  strokeWidth={2}
                  dot={false}
                  isAnimationActive={false}
                  type="linear"
                />
              ) : null}
              {series.invalidated.length > 0 ? (
                <Scatter
                  yAxisId="loss"
                  data={series.invalidated}
                  dataKey="loss"
                  name="invalidated"
                  className="loss-invalidated"
                  fill="var(--line-invalid)"
                  shape="cross"
                  isAnimationActive={false}
                />
              ) : null}
              {markers.length > 0 ? (
                <Scatter
                  yAxisId="loss"
                  data={markers}
                  dataKey="loss"
                  name="checkpoint"
                  className="checkpoints"
                  fill="var(--fg-muted)"
                  shape="triangle"
                  isAnimationActive={false}
                />
              ) : null}
              {hasEval && showEval ? (
                <Line
                  yAxisId="eval"
                  data={evalPoints}
                  dataKey="accuracy"
                  name="eval accuracy %"
                  className="eval-accuracy"
                  stroke="var(--line-eval)"
                  strokeDasharray="4 3"
                  dot={false}
                  isAnimationActive={false}
                  type="linear"
                />
              ) : null}
            </ComposedChart>
          </ResponsiveContainer>
        )}
      </div>
      <p className="muted" style={{ fontSize: '0.85rem' }}>
        {series.totals.valid} valid steps
        {series.totals.invalidated ? `, ${series.totals.invalidated} invalidated` : ''}; drawn with
        at most {DEFAULT_MAX_POINTS} points per line (LTTB).
      </p>
    </section>
  );
}
