import { describe, expect, it } from 'vitest';
import {
  buildChartSeries,
  fromWireCurve,
  toWireCurve,
  type LossCurve,
} from '../app/lib/loss-curve.js';
import { curveToCsv, curveToJson } from '../app/lib/curve-export.js';

function curve(n: number, invalid: (i: number) => boolean = () => false): LossCurve {
  const steps = Array.from({ length: n }, (_, i) => i + 1);
  return {
    steps,
    losses: steps.map((s) => 2 / Math.sqrt(s)),
    invalidated: steps.map((s) => (invalid(s) ? 1 : 0)),
  };
}
const opts = { smoothing: 0.6, showInvalidated: true, logScale: false, maxPoints: 1500 };

describe('loss chart series', () => {
  it('draws every point of a short curve', () => {
    const s = buildChartSeries(curve(300), opts);
    expect(s.raw).toHaveLength(300);
    expect(s.smoothed).toHaveLength(300);
  });

  it('caps 100k steps at maxPoints per series', () => {
    const s = buildChartSeries(curve(100_000), opts);
    expect(s.raw).toHaveLength(1500);
    expect(s.smoothed).toHaveLength(1500);
    expect(s.totals.valid).toBe(100_000);
  });

  it('separates invalidated steps, which can be hidden', () => {
    const c = curve(100, (s) => s > 40 && s <= 50);
    expect(buildChartSeries(c, opts)).toMatchObject({ totals: { valid: 90, invalidated: 10 } });
    expect(buildChartSeries(c, opts).invalidated.map((p) => p.step)).toEqual([
      41, 42, 43, 44, 45, 46, 47, 48, 49, 50,
    ]);
    expect(buildChartSeries(c, { ...opts, showInvalidated: false }).invalidated).toEqual([]);
  });

  it('drops non-positive losses on a log scale only', () => {
    const c: LossCurve = { steps: [1, 2, 3], losses: [1, 0, 0.5], invalidated: [0, 0, 0] };
    expect(buildChartSeries(c, opts).raw).toHaveLength(3);
    expect(buildChartSeries(c, { ...opts, logScale: true }).raw).toHaveLength(2);
  });

  it('has no smoothed line when smoothing is off', () => {
    expect(buildChartSeries(curve(10), { ...opts, smoothing: 0 }).smoothed).toEqual([]);
  });
});

describe('curve exports', () => {
  const rows = [
    { step: '1', lossRaw: '2302585093', status: 'Valid' },
    { step: '5', lossRaw: '-1', status: 'Invalidated' },
  ];
  it('writes CSV with exact fixed-point losses and rounds', () => {
    expect(curveToCsv(rows, 4n)).toBe(
      'step,round,loss,loss_raw_1e9,status\n1,0,2.302585093,2302585093,Valid\n5,1,-0.000000001,-1,Invalidated\n',
    );
  });
  it('writes JSON with the scale and the raw integers', () => {
    const j = curveToJson('0xrun', 12, rows, 4n);
    expect(j.lossScale).toBe('1000000000');
    expect(j.points[0]).toEqual({
      step: 1,
      round: 0,
      loss: '2.302585093',
      lossRaw: '2302585093',
      status: 'Valid',
    });
  });
});

describe('loss curve wire format', () => {
  it('round-trips steps and invalidation exactly and losses to 6 significant digits', () => {
    const rows = [
      { step: '1', lossRaw: '2302585093', status: 'Valid' },
      { step: '2', lossRaw: '2100000000', status: 'Valid' },
      { step: '2', lossRaw: '4000000001', status: 'Invalidated' },
      { step: '7', lossRaw: '123456789', status: 'Valid' },
    ];
    const wire = toWireCurve(rows);
    expect(wire.stepDeltas).toEqual([1, 1, 0, 5]);
    expect(wire.invalidatedAt).toEqual([2]);
    expect(fromWireCurve(wire)).toEqual({
      steps: [1, 2, 2, 7],
      losses: [2.30259, 2.1, 4, 0.123457],
      invalidated: [0, 0, 1, 0],
    });
  });
});
