import { describe, expect, it } from 'vitest';
import { axisWidth, formatTick, logTicks, niceTicks } from '../app/lib/axis.js';
import {
  bucketEma,
  CurveRangeError,
  fromColumns,
  mergeBuckets,
  parseCurveRange,
  toColumns,
  type Bucket,
} from '../app/lib/curve-view.js';
import { debiasedEma } from '../app/lib/smoothing.js';

const step = (s: number, loss: number): Bucket => ({
  from: s,
  to: s,
  min: loss,
  max: loss,
  mean: loss,
  last: loss,
  count: 1,
  time: 1000 + s,
});

describe('curve buckets', () => {
  it('merges 100,000 steps into at most 1,000 buckets and keeps a one-step spike in the band', () => {
    const units = Array.from({ length: 100_000 }, (_, i) => step(i + 1, i === 54_321 ? 9 : 1));
    const { buckets, width } = mergeBuckets(units, { from: 1, to: 100_000 }, 1000);
    expect(buckets).toHaveLength(1000);
    expect(width).toBe(100);
    const spike = buckets.find((b) => b.from <= 54_322 && b.to >= 54_322)!;
    expect(spike.max).toBe(9);
    expect(spike.min).toBe(1);
    expect(spike.mean).toBeCloseTo(1.08, 10); // the mean alone would hide it
    expect(spike.count).toBe(100);
    expect(spike.time).toBe(1000 + spike.to);
    expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(100_000);
  });

  it('leaves units alone when they fit', () => {
    const units = [step(1, 2), step(2, 3)];
    expect(mergeBuckets(units, { from: 1, to: 2 }).buckets).toEqual(units);
  });

  it('round-trips through the compact columns at six significant digits', () => {
    const b = { ...step(7, 0.123456789), max: 2.5 };
    expect(fromColumns(toColumns([b]))[0]).toEqual({
      ...b,
      min: 0.123457,
      mean: 0.123457,
      last: 0.123457,
    });
  });

  it('smooths buckets like the step-level debiased EMA', () => {
    const ys = [3, 2.5, 2.7, 1.9, 1.2, 1.4, 0.9];
    const steps = ys.map((y, i) => step(i + 1, y));
    const expected = Array.from(debiasedEma(ys, 0.8));
    bucketEma(steps, 0.8).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
    // Two 2-step buckets of constant values advance the EMA exactly as the four steps would.
    const pairs = [
      { ...step(1, 3), to: 2, count: 2 },
      { ...step(3, 1), to: 4, count: 2 },
    ];
    const four = Array.from(debiasedEma([3, 3, 1, 1], 0.8));
    expect(bucketEma(pairs, 0.8)[1]).toBeCloseTo(four[3]!, 12);
  });
});

describe('zoom range parameters', () => {
  it('reads from/to and names the bad parameter', () => {
    expect(parseCurveRange(new URLSearchParams(''))).toBeNull();
    expect(parseCurveRange(new URLSearchParams('from=10&to=20'))).toEqual({ from: 10, to: 20 });
    expect(() => parseCurveRange(new URLSearchParams('from=x&to=20'))).toThrowError(
      CurveRangeError,
    );
    expect(() => parseCurveRange(new URLSearchParams('from=5'))).toThrowError(/to must be/);
    expect(() => parseCurveRange(new URLSearchParams('from=9&to=3'))).toThrowError(
      /greater than from/,
    );
  });
});

describe('axis ticks', () => {
  it('gives every label the same precision', () => {
    const t = niceTicks(0.8712, 1.0423, 5);
    const labels = t.ticks.map((v) => formatTick(v, t.decimals));
    expect(labels).toEqual(['0.85', '0.90', '0.95', '1.00', '1.05']);
    expect(t.domain).toEqual([0.85, 1.05]);
    expect(axisWidth(labels)).toBeGreaterThanOrEqual(4 * 7);
  });
  it('puts log ticks at 1, 2, 5 × 10^n', () => {
    const t = logTicks(0.03, 2.4);
    expect(t.ticks).toEqual([0.05, 0.1, 0.2, 0.5, 1, 2]);
    expect(t.decimals).toBe(2);
  });
});

describe('scores and challenge windows in words', async () => {
  const { formatScore, scoreName, parseEvalMetric, flattenConfig } =
    await import('../app/lib/score.js');
  const { challengeWindowState } = await import('../app/lib/countdown.js');
  it('shows R² as a number and accuracy as a percentage', () => {
    expect(formatScore(-1_321_300n, 'r2')).toBe('−1.3213');
    expect(formatScore(912_000n, 'accuracy')).toBe('91.20%');
    expect(formatScore(912_000n, null)).toBe('0.9120');
    expect(scoreName('r2')).toBe('R²');
    expect(parseEvalMetric({ evaluation: { metric: 'r2' } })).toBe('r2');
    expect(parseEvalMetric({ metric: 'accuracy' })).toBe('accuracy');
    expect(parseEvalMetric('nope')).toBeNull();
  });
  it('says a claimed round has no challenge window yet', () => {
    expect(challengeWindowState('Claimed')).toBe('not-open');
    expect(challengeWindowState('Submitted')).toBe('open');
    expect(challengeWindowState('Finalized')).toBe('closed');
  });
  it('flattens a run spec into config rows', () => {
    expect(
      flattenConfig({ model: { layers: [4, 8, 3] }, optimizer: { lr: 0.1 }, seed: 7 }),
    ).toEqual([
      ['model.layers', '[4,8,3]'],
      ['optimizer.lr', '0.1'],
      ['seed', '7'],
    ]);
  });
});
