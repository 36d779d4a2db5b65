import { describe, expect, it } from 'vitest';
import { DownsampleError, lttb, lttbIndices } from '../app/lib/lttb.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('LTTB downsampling', () => {
  it('returns every point when the series is already small enough', () => {
    expect(lttbIndices([0, 1, 2], [5, 6, 7], 10)).toEqual([0, 1, 2]);
  });

  it('keeps exactly `threshold` points, including the first and last', () => {
    const xs = range(100_000);
    const ys = xs.map((x) => Math.sin(x / 1000));
    const idx = lttbIndices(xs, ys, 1500);
    expect(idx).toHaveLength(1500);
    expect(idx[0]).toBe(0);
    expect(idx.at(-1)).toBe(99_999);
    for (let i = 1; i < idx.length; i++) expect(idx[i]!).toBeGreaterThan(idx[i - 1]!);
  });

  it('keeps a single spike that every-n-th sampling would drop', () => {
    const xs = range(10_000);
    const ys = xs.map(() => 1);
    ys[4321] = 50; // a loss divergence at one step
    const kept = lttbIndices(xs, ys, 100);
    expect(kept).toContain(4321);
    const naive = range(100).map((i) => Math.floor((i * 9999) / 99));
    expect(naive).not.toContain(4321);
  });

  it('picks the extreme of each bucket on a known small series', () => {
    // 3 buckets of 2 middle points each: the larger triangle wins in each.
    const xs = [0, 1, 2, 3, 4, 5, 6, 7];
    const ys = [0, 0, 9, 0, 0, -9, 0, 0];
    expect(lttbIndices(xs, ys, 5)).toEqual([0, 2, 3, 5, 7]);
  });

  it('downsamples objects and keeps them intact', () => {
    const pts = range(50).map((i) => ({ step: i, loss: i % 7 }));
    const out = lttb(
      pts,
      10,
      (p) => p.step,
      (p) => p.loss,
    );
    expect(out).toHaveLength(10);
    expect(out.every((p) => pts.includes(p))).toBe(true);
  });

  it('rejects bad input with a typed error', () => {
    expect(() => lttbIndices([1, 2], [1], 3)).toThrowError(DownsampleError);
    expect(() => lttbIndices([1, 2, 3], [1, 2, 3], 2)).toThrowError(/threshold/);
  });
});
