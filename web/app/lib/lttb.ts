/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson, 2013). It keeps the points that carry
 * the visual shape of a series — spikes survive, unlike plain every-n-th sampling — so a loss curve
 * of 100k+ steps draws as ~1,500 SVG points without hiding divergences.
 */
export class DownsampleError extends Error {
  override name = 'DownsampleError';
}

/**
 * Returns the indices (ascending) of the points to keep. `xs` must be non-decreasing. The first
 * and last points are always kept; when `threshold >= n` every index is returned.
 */
export function lttbIndices(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  threshold: number,
): number[] {
  const n = xs.length;
  if (ys.length !== n) throw new DownsampleError(`xs has ${n} points but ys has ${ys.length}`);
  if (!Number.isInteger(threshold) || threshold < 3) {
    throw new DownsampleError(`threshold must be an integer >= 3, got ${threshold}`);
  }
  if (threshold >= n) return Array.from({ length: n }, (_, i) => i);

  const kept: number[] = [0];
  // The first and last points are fixed; the n-2 points between them fall into threshold-2 buckets.
  const bucketSize = (n - 2) / (threshold - 2);
  let a = 0;
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    // Average of the next bucket: the third vertex of every candidate triangle.
    const nextStart = Math.floor((bucket + 1) * bucketSize) + 1;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += xs[j]!;
      avgY += ys[j]!;
    }
    const count = nextEnd - nextStart;
    avgX /= count;
    avgY /= count;

    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;
    const ax = xs[a]!;
    const ay = ys[a]!;
    let maxArea = -1;
    let chosen = start;
    for (let j = start; j < end; j++) {
      const area = Math.abs((ax - avgX) * (ys[j]! - ay) - (ax - xs[j]!) * (avgY - ay));
      if (area > maxArea) {
        maxArea = area;
        chosen = j;
      }
    }
    kept.push(chosen);
    a = chosen;
  }
  kept.push(n - 1);
  return kept;
}

/** Downsamples objects by their `x`/`y` accessors, keeping the original objects. */
export function lttb<T>(
  points: readonly T[],
  threshold: number,
  x: (p: T) => number,
  y: (p: T) => number,
): T[] {
  const xs = new Float64Array(points.length);
  const ys = new Float64Array(points.length);
  for (let i = 0; i < points.length; i++) {
    xs[i] = x(points[i]!);
    ys[i] = y(points[i]!);
  }
  return lttbIndices(xs, ys, threshold).map((i) => points[i]!);
}
