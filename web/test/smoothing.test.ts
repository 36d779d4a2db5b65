import { describe, expect, it } from 'vitest';
import { debiasedEma, movingAverage, SmoothingError } from '../app/lib/smoothing.js';

describe('debiased EMA', () => {
  it('is the identity at weight 0', () => {
    expect(Array.from(debiasedEma([3, 1, 4], 0))).toEqual([3, 1, 4]);
  });

  it('starts at the first value instead of dragging from zero (the debiasing)', () => {
    const out = debiasedEma([10, 10, 10, 10], 0.9);
    for (const v of out) expect(v).toBeCloseTo(10, 12);
  });

  it('matches the hand-computed recurrence', () => {
    // last1 = 0.5*0 + 0.5*2 = 1 -> /0.5 = 2; last2 = 0.5*1 + 0.5*4 = 2.5 -> /0.75 = 3.333...
    const out = debiasedEma([2, 4], 0.5);
    expect(out[0]).toBeCloseTo(2, 12);
    expect(out[1]).toBeCloseTo(10 / 3, 12);
  });

  it('smooths noise: the smoothed series varies less than the raw one', () => {
    const raw = Array.from({ length: 1000 }, (_, i) => 1 + (i % 2 === 0 ? 0.5 : -0.5));
    const s = debiasedEma(raw, 0.9);
    const spread = (a: ArrayLike<number>) =>
      Math.max(...Array.from(a).slice(100)) - Math.min(...Array.from(a).slice(100));
    expect(spread(s)).toBeLessThan(spread(raw) / 5);
  });

  it('passes gaps through without disturbing the average', () => {
    const out = debiasedEma([1, Number.NaN, 1], 0.8);
    expect(Number.isNaN(out[1])).toBe(true);
    expect(out[2]).toBeCloseTo(1, 12);
  });

  it('rejects weights outside [0, 1)', () => {
    expect(() => debiasedEma([1], 1)).toThrowError(SmoothingError);
    expect(() => debiasedEma([1], -0.1)).toThrowError(/weight/);
  });
});

describe('moving average', () => {
  it('averages a trailing window', () => {
    expect(Array.from(movingAverage([1, 2, 3, 4], 2))).toEqual([1, 1.5, 2.5, 3.5]);
  });
  it('rejects a zero window', () => {
    expect(() => movingAverage([1], 0)).toThrowError(SmoothingError);
  });
});
