/**
 * Fixed-point numbers as the protocol stores them: losses scaled by 1e9 (int64 on chain) and
 * accuracy scores scaled by 1e6. The portal formats them without going through floating point
 * first, so a value never displays more precision than the chain holds.
 */
export const LOSS_SCALE = 1_000_000_000n;
export const SCORE_SCALE = 1_000_000n;

export class FixedPointError extends Error {
  override name = 'FixedPointError';
}

/** Formats `value / scale` with exactly `decimals` digits after the point, rounding half away from zero. */
export function formatFixed(value: bigint, scale: bigint, decimals: number): string {
  if (scale <= 0n) throw new FixedPointError(`scale must be positive, got ${scale}`);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 18) {
    throw new FixedPointError(`decimals must be an integer in 0..18, got ${decimals}`);
  }
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const factor = 10n ** BigInt(decimals);
  const scaled = (magnitude * factor * 2n + scale) / (scale * 2n); // round half up on the magnitude
  const whole = scaled / factor;
  const fraction = (scaled % factor).toString().padStart(decimals, '0');
  const sign = negative && scaled !== 0n ? '-' : '';
  return decimals === 0 ? `${sign}${whole}` : `${sign}${whole}.${fraction}`;
}

/** A training loss as the chain emits it (int64, 1e9 = 1.0). */
export const formatLoss = (raw: bigint, decimals = 4): string =>
  formatFixed(raw, LOSS_SCALE, decimals);

/** An accuracy score as attested (1e6 = 1.0), shown as a percentage. */
export const formatScorePercent = (raw: bigint, decimals = 2): string =>
  `${formatFixed(raw * 100n, SCORE_SCALE, decimals)}%`;
