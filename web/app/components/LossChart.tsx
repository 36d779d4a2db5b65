/**
 * The loss curve of a run, drawn from a bounded CurveView (see lib/curve-view.ts): the mean loss per
 * bucket as a faint line, its min/max band when a bucket spans several steps (so spikes stay
 * visible), the debiased EMA on top, invalidated steps as red crosses never joined to the valid
 * curve, and round ends marked only when few are in view. Drag across the chart (or use the step
 * fields) to zoom: the loader reads finer detail for that range only, down to every step. The x
 * axis is the step or the wall time of the submissions. recharts renders only in the browser; the
 * box keeps its size before and after hydration so the page does not jump.
 */
import { Form, useNavigate, useNavigation } from '@remix-run/react';
import { useEffect, useMemo, useRef, useState, type PointerEvent } from 'react';
import {
  Area,
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
import { axisWidth, formatTick, logTicks, niceTicks } from '../lib/axis.js';
import { bucketEma, fromColumns, type Bucket, type CurveView } from '../lib/curve-view.js';

type Props = { view: CurveView; exportBase: string };
type XMode = 'step' | 'time';

type Point = {
  x: number;
  mean: number;
  band: [number, number];
  smooth: number | null;
  b: Bucket;
};

const MARGIN = { top: 8, right: 24, bottom: 8, left: 8 };

function initialParam(name: string, fallback: string): string {
  if (typeof window === 'undefined') return fallback;
  return new URLSearchParams(window.location.search).get(name) ?? fallback;
}

const xOf = (b: Bucket, mode: XMode) => (mode === 'time' ? b.time * 1000 : (b.from + b.to) / 2);

function formatClock(ms: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  return spanMs > 2 * 86_400_000 ? iso.slice(5, 10) : iso.slice(11, 16);
}

function stepLabel(b: Bucket): string {
  return b.from === b.to
    ? `step ${b.from.toLocaleString('en')}`
    : `steps ${b.from.toLocaleString('en')}–${b.to.toLocaleString('en')} (${b.count.toLocaleString('en')} steps)`;
}

function CurveTooltip({
  active,
  payload,
  decimals,
}: {
  active?: boolean;
  payload?: ReadonlyArray<{ payload?: Partial<Point> & { loss?: number; b?: Bucket } }>;
  decimals: number;
}) {
  const p = payload?.find((e) => e.payload?.b)?.payload;
  if (!active || !p?.b) return null;
  const b = p.b;
  const d = decimals + 2;
  return (
    <div className="chart-tooltip" role="tooltip">
      <div>
        <strong>{stepLabel(b)}</strong>
      </div>
      <div>
        loss {b.count > 1 ? 'mean ' : ''}
        {formatTick(b.mean, d)}
        {b.count > 1 ? ` · min ${formatTick(b.min, d)} · max ${formatTick(b.max, d)}` : ''}
      </div>
      {typeof p.smooth === 'number' ? <div>EMA {formatTick(p.smooth, d)}</div> : null}
      {'loss' in p && !('mean' in p) ? <div className="bad">invalidated</div> : null}
      <div className="muted">
        {new Date(b.time * 1000).toISOString().replace('T', ' ').slice(0, 19)} UTC
      </div>
    </div>
  );
}

export function LossChart({ view, exportBase }: Props) {
  const [hydrated, setHydrated] = useState(false);
  const [smoothing, setSmoothing] = useState(0.6);
  const [logScale, setLogScale] = useState(false);
  const [xMode, setXMode] = useState<XMode>('step');
  const [showInvalidated, setShowInvalidated] = useState(true);
  const navigate = useNavigate();
  const navigation = useNavigation();
  const box = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<{ x0: number; x1: number } | null>(null);

  useEffect(() => {
    // Permalink state: ?smoothing=&scale=&x= (read once; written back without navigating).
    const s = Number(initialParam('smoothing', '0.6'));
    if (s >= 0 && s < 1) setSmoothing(s);
    setLogScale(initialParam('scale', 'linear') === 'log');
    setXMode(initialParam('x', 'step') === 'time' ? 'time' : 'step');
    setHydrated(true);
  }, []);
  useEffect(() => {
    if (!hydrated) return;
    const url = new URL(window.location.href);
    url.searchParams.set('smoothing', String(smoothing));
    url.searchParams.set('scale', logScale ? 'log' : 'linear');
    url.searchParams.set('x', xMode);
    window.history.replaceState(window.history.state, '', url);
  }, [hydrated, smoothing, logScale, xMode]);

  const valid = useMemo(() => fromColumns(view.valid), [view.valid]);
  const invalid = useMemo(() => fromColumns(view.invalidated), [view.invalidated]);
  const keep = (b: Bucket) => Number.isFinite(b.mean) && (!logScale || b.min > 0);

  const points = useMemo<Point[]>(() => {
    const shown = valid.filter(keep);
    const ema = smoothing > 0 ? bucketEma(shown, smoothing) : null;
    return shown.map((b, i) => ({
      x: xOf(b, xMode),
      mean: b.mean,
      band: [b.min, b.max],
      smooth: ema ? ema[i]! : null,
      b,
    }));
  }, [valid, smoothing, logScale, xMode]);
  const crosses = useMemo(
    () =>
      showInvalidated
        ? invalid.filter(keep).map((b) => ({ x: xOf(b, xMode), loss: b.mean, b }))
        : [],
    [invalid, showInvalidated, logScale, xMode],
  );
  const marks = useMemo(() => {
    if (xMode !== 'step') return [];
    const at = new Map(valid.map((b) => [b.to, b.last]));
    return view.checkpoints
      .map((step) => ({ x: step, loss: at.get(step) ?? Number.NaN }))
      .filter((m) => Number.isFinite(m.loss) && (!logScale || m.loss > 0));
  }, [valid, view.checkpoints, xMode, logScale]);

  const banded = view.resolution !== 'steps' && points.some((p) => p.b.count > 1);
  const y = useMemo(() => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of points) {
      lo = Math.min(lo, banded ? p.b.min : p.mean);
      hi = Math.max(hi, banded ? p.b.max : p.mean);
    }
    for (const c of crosses) {
      lo = Math.min(lo, c.loss);
      hi = Math.max(hi, c.loss);
    }
    const t = logScale ? logTicks(lo, hi) : niceTicks(lo, hi, 5);
    const labels = t.ticks.map((v) => formatTick(v, t.decimals));
    return { ...t, width: axisWidth(labels) };
  }, [points, crosses, banded, logScale]);

  const xDomain = useMemo<[number, number]>(() => {
    if (xMode === 'step') return [view.from, view.to];
    const xs = [...points.map((p) => p.x), ...crosses.map((c) => c.x)];
    return xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  }, [xMode, view.from, view.to, points, crosses]);

  // Drag to zoom: pointer x -> axis value through the plot area (the chart box minus the margins
  // and the y axis), then to the step range of the buckets inside the selection.
  const toAxis = (clientX: number): number => {
    const r = box.current!.getBoundingClientRect();
    const left = r.left + 8 + MARGIN.left + y.width; // 8 = the box's padding
    const right = r.right - 8 - MARGIN.right;
    const f = Math.min(1, Math.max(0, (clientX - left) / Math.max(1, right - left)));
    return xDomain[0] + f * (xDomain[1] - xDomain[0]);
  };
  const zoomTo = (from: number, to: number) => {
    const params = new URLSearchParams(window.location.search);
    params.set('from', String(from));
    params.set('to', String(to));
    navigate(`?${params}`, { preventScrollReset: true });
  };
  const resetHref = () => {
    if (typeof window === 'undefined') return '?';
    const params = new URLSearchParams(window.location.search);
    params.delete('from');
    params.delete('to');
    return `?${params}`;
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || !hydrated) return;
    const x = toAxis(e.clientX);
    setDrag({ x0: x, x1: x });
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (drag) setDrag({ ...drag, x1: toAxis(e.clientX) });
  };
  const onPointerUp = () => {
    if (!drag) return;
    setDrag(null);
    const lo = Math.min(drag.x0, drag.x1);
    const hi = Math.max(drag.x0, drag.x1);
    if (hi - lo < (xDomain[1] - xDomain[0]) / 200) return; // a click, not a drag
    const inside = [...valid, ...invalid].filter((b) => {
      const x = xOf(b, xMode);
      return x >= lo && x <= hi;
    });
    let from: number;
    let to: number;
    if (inside.length > 0) {
      from = Math.min(...inside.map((b) => b.from));
      to = Math.max(...inside.map((b) => b.to));
    } else if (xMode === 'step') {
      from = Math.floor(lo);
      to = Math.ceil(hi);
    } else return;
    if (to <= from) to = from + 1;
    zoomTo(from, to);
  };
  const dragBox = (() => {
    if (!drag || !box.current) return null;
    const span = xDomain[1] - xDomain[0] || 1;
    const r = box.current.getBoundingClientRect();
    const plot = r.width - 16 - MARGIN.left - MARGIN.right - y.width;
    const a = ((Math.min(drag.x0, drag.x1) - xDomain[0]) / span) * plot;
    const w = (Math.abs(drag.x1 - drag.x0) / span) * plot;
    return { left: 8 + MARGIN.left + y.width + a, width: w };
  })();

  const zoomed = view.from > 1 || view.to < view.totalSteps;
  const loading = navigation.state === 'loading' && navigation.location?.pathname === exportBase;
  const xTicks = useMemo(
    () =>
      xMode === 'step'
        ? niceTicks(xDomain[0], xDomain[1], 6).ticks.filter(
            (t) => t >= xDomain[0] && t <= xDomain[1],
          )
        : undefined,
    [xMode, xDomain],
  );
  const xTick =
    xMode === 'time'
      ? (v: number) => formatClock(v, xDomain[1] - xDomain[0])
      : (v: number) => Math.round(v).toLocaleString('en');
  const resolutionText =
    view.resolution === 'steps'
      ? 'every step'
      : view.bucketSteps > 1
        ? `mean per ${view.bucketSteps.toLocaleString('en')} steps, band = min–max`
        : 'every step';

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
        <fieldset className="inline-fieldset">
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
          X axis{' '}
          <select
            name="x"
            value={xMode}
            onChange={(e) => setXMode(e.target.value === 'time' ? 'time' : 'step')}
          >
            <option value="step">step</option>
            <option value="time">wall time (UTC)</option>
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            checked={showInvalidated}
            onChange={(e) => setShowInvalidated(e.target.checked)}
            name="invalidated"
          />{' '}
          invalidated steps ({invalid.reduce((n, b) => n + b.count, 0)})
        </label>
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
      <Form method="get" className="chart-controls zoom-form" preventScrollReset>
        <label>
          Steps{' '}
          <input
            type="number"
            name="from"
            min={0}
            defaultValue={view.from}
            key={`f${view.from}`}
            aria-label="Zoom from step"
            className="step-input"
          />
        </label>
        <label>
          to{' '}
          <input
            type="number"
            name="to"
            min={1}
            defaultValue={view.to}
            key={`t${view.to}`}
            aria-label="Zoom to step"
            className="step-input"
          />
        </label>
        <button type="submit">Zoom</button>
        {zoomed ? (
          <a
            href={resetHref()}
            onClick={(e) => (
              e.preventDefault(),
              navigate(resetHref(), { preventScrollReset: true })
            )}
          >
            Reset zoom
          </a>
        ) : null}
        <span className="muted">Drag across the chart to zoom in.</span>
      </Form>
      <div
        className="chart-box"
        id="loss-chart"
        ref={box}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerLeave={() => setDrag(null)}
        data-resolution={view.resolution}
        data-from={view.from}
        data-to={view.to}
        data-bucket-steps={view.bucketSteps}
        data-points-raw={points.length}
        data-points-smoothed={smoothing > 0 ? points.length : 0}
        data-points-invalidated={crosses.length}
        data-checkpoints={marks.length}
        data-steps={view.totalSteps}
        data-scale={logScale ? 'log' : 'linear'}
        data-x={xMode}
        data-loading={loading ? 'true' : undefined}
        aria-busy={loading}
      >
        {!hydrated ? (
          <div className="placeholder">Loading chart of {view.totalSteps} steps…</div>
        ) : points.length === 0 && crosses.length === 0 ? (
          <div className="placeholder">No steps submitted {zoomed ? 'in this range' : 'yet'}.</div>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart margin={MARGIN}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
              <XAxis
                dataKey="x"
                type="number"
                domain={xDomain}
                allowDataOverflow
                allowDuplicatedCategory={false}
                tickFormatter={xTick}
                ticks={xTicks}
                name={xMode === 'time' ? 'time' : 'step'}
              />
              <YAxis
                type="number"
                scale={logScale ? 'log' : 'linear'}
                domain={y.domain}
                ticks={y.ticks}
                allowDataOverflow
                tickFormatter={(v: number) => formatTick(v, y.decimals)}
                width={y.width}
              />
              <Tooltip content={<CurveTooltip decimals={y.decimals} />} isAnimationActive={false} />
              <Legend />
              {banded ? (
                <Area
                  data={points}
                  dataKey="band"
                  name="min–max"
                  className="loss-band"
                  stroke="none"
                  fill="var(--line-raw)"
                  fillOpacity={0.35}
                  isAnimationActive={false}
                  type="linear"
                  legendType="rect"
                />
              ) : null}
              <Line
                data={points}
                dataKey="mean"
                name={banded ? 'loss (mean)' : 'loss'}
                className="loss-raw"
                stroke={smoothing > 0 ? 'var(--line-raw)' : 'var(--line-smooth)'}
                strokeWidth={1}
                dot={false}
                isAnimationActive={false}
                type="linear"
              />
              {smoothing > 0 ? (
                <Line
                  data={points}
                  dataKey="smooth"
                  name={`EMA ${smoothing.toFixed(2)}`}
                  className="loss-smoothed"
                  stroke="var(--line-smooth)"
                  strokeWidth={2}
                  dot={false}
                  isAnimationActive={false}
                  type="linear"
                />
              ) : null}
              {crosses.length > 0 ? (
                <Scatter
                  data={crosses}
                  dataKey="loss"
                  name="invalidated"
                  className="loss-invalidated"
                  fill="var(--line-invalid)"
                  shape="cross"
                  legendType="cross"
                  isAnimationActive={false}
                />
              ) : null}
              {marks.length > 0 ? (
                <Scatter
                  data={marks}
                  dataKey="loss"
                  name="checkpoint (round end)"
                  className="checkpoints"
                  fill="var(--fg-muted)"
                  shape="triangle"
                  legendType="triangle"
                  isAnimationActive={false}
                />
              ) : null}
            </ComposedChart>
          </ResponsiveContainer>
        )}
        {dragBox ? (
          <div
            className="zoom-selection"
            style={{ left: dragBox.left, width: dragBox.width }}
            aria-hidden
          />
        ) : null}
      </div>
      <p className="muted" style={{ fontSize: '0.85rem' }} id="curve-summary">
        Steps {view.from.toLocaleString('en')}–{view.to.toLocaleString('en')} of{' '}
        {view.totalSteps.toLocaleString('en')}: {points.length.toLocaleString('en')} points,{' '}
        {resolutionText}
        {marks.length ? '; triangles mark round ends (checkpoints)' : ''}.
      </p>
    </section>
  );
}
