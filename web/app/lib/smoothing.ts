/**
 * Smoothing of metric series as Weights & Biases and TensorBoard do it. The default is the
 * debiased exponential moving average: a plain EMA starts at 0 (or at the first value) and drags
 * the beginning of the curve; dividing by (1 - weight^n) removes that start-up bias.
 */
export class SmoothingError extends Error {
  override name = 'SmoothingError';
}

/**
 * Debiased EMA. `weight` in [0, 1): 0 returns the input, 0.99 is very smooth. Non-finite values
 * (gaps) are passed through as NaN and do not disturb the running average.
 */
export function debiasedEma(values: ArrayLike<number>, weight: number): Float64Array {
  if (!(weight >= 0 && weight < 1)) {
    throw new SmoothingError(`weight must be in [0, 1), got ${weight}`);
  }
  const out = new Float64Array(values.length);
  let last = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      out[i] = Number.NaN;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    count++;
    const debias = weight === 0 ? 1 : 1 - Math.pow(weight, count);
    out[i] = last / debias;
  }
  return out;
}

/** Trailing moving average over `window` finite values. */
export function movingAverage(values: ArrayLike<number>, window: number): Float64Array {
  if (!Number.isInteger(window) || window < 1) {
    throw new SmoothingError(`window must be a positive integer, got ${window}`);
  }
  const out = new Float64Array(values.length);
  const ring: number[] = [];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      out[i] = Number.NaN;
      continue;
    }
    ring.push(v);
    sum += v;
    if (ring.length > window) sum -= ring.shift()!;
    out[i] = sum / ring.length;
  }
  return out;
}
