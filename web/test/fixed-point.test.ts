import { describe, expect, it } from 'vitest';
import {
  FixedPointError,
  formatFixed,
  formatLoss,
  formatScorePercent,
} from '../app/lib/fixed-point.js';

describe('fixed-point formatting', () => {
  it('formats chain losses (1e9) with rounding', () => {
    expect(formatLoss(1_234_567_890n)).toBe('1.2346');
    expect(formatLoss(999_950_000n)).toBe('1.0000');
    expect(formatLoss(12n, 9)).toBe('0.000000012');
  });

  it('keeps the sign and never prints negative zero', () => {
    expect(formatLoss(-1_500_000_000n, 1)).toBe('-1.5');
    expect(formatLoss(-10n, 2)).toBe('0.00');
  });

  it('formats accuracy scores (1e6) as percentages', () => {
    expect(formatScorePercent(987_654n)).toBe('98.77%');
    expect(formatScorePercent(1_000_000n, 0)).toBe('100%');
  });

  it('is exact beyond float precision', () => {
    expect(formatFixed(9_007_199_254_740_993_000n, 1000n, 3)).toBe('9007199254740993.000');
  });

  it('rejects nonsense scales and precisions', () => {
    expect(() => formatFixed(1n, 0n, 2)).toThrowError(FixedPointError);
    expect(() => formatFixed(1n, 10n, -1)).toThrowError(/decimals/);
  });
});
