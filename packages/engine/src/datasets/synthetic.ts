import type { Split, SyntheticFunction } from '@um/protocol';
import { draw, seedToBigInt, tags, uniformFromWord, type Seed } from '../random.js';
import { makeDataset, type Dataset } from './dataset.js';

const TWO_PI = 6.283185307179586; // the double nearest 2π

/**
 * sin from IEEE double +, −, ×, ÷ and round only, so any language reproduces it bit for bit:
 * r = x − 2π·round(x / 2π) (round half away from zero), then the Taylor series
 * term₀ = r; termₖ = termₖ₋₁ · (−r²) / ((2k)(2k+1)); sum = term₀ + term₁ + … + term₁₁ (left to right).
 */
export function deterministicSin(x: number): number {
  const q = x / TWO_PI;
  const n = q < 0 ? -Math.floor(-q + 0.5) : Math.floor(q + 0.5);
  const r = x - TWO_PI * n;
  const minusR2 = -(r * r);
  let term = r;
  let sum = r;
  for (let k = 1; k <= 11; k++) {
    term = (term * minusR2) / (2 * k * (2 * k + 1));
    sum += term;
  }
  return sum;
}

/** The synthetic target functions, evaluated in double on the float32 input, then rounded to float32. */
export const syntheticFunctions: Record<SyntheticFunction, (x: number) => number> = {
  linear: (x) => 2 * x + 1,
  square: (x) => x * x,
  cube: (x) => x * x * x,
  sin: deterministicSin,
};

/**
 * Input number i drawn over [low, high]: x = float32(low + (high − low) · u), u = uniform word 0 of
 * draw(tag, seed, i).
 */
export function drawInputs(
  tag: string,
  seed: Seed,
  domain: readonly [number, number],
  count: number,
): Float32Array {
  const s = seedToBigInt(seed);
  const [low, high] = domain;
  const xs = new Float32Array(count);
  for (let i = 0; i < count; i++) xs[i] = low + (high - low) * uniformFromWord(draw(tag, s, i), 0);
  return xs;
}

/** `size` examples x ↦ f(x) with inputs from the "um/synthetic/v1" stream; inputs shape [1], targets [1]. */
export function syntheticDataset(args: {
  function: SyntheticFunction;
  domain: readonly [number, number];
  size: number;
  seed: Seed;
  split: Split;
}): Dataset {
  const xs = drawInputs(tags.synthetic, args.seed, args.domain, args.size);
  const f = syntheticFunctions[args.function];
  return makeDataset({
    name: `synthetic:${args.function}`,
    split: args.split,
    task: 'regression',
    inputShape: [1],
    targetSize: 1,
    count: args.size,
    input: (i, out) => {
      out[0] = xs[i]!;
    },
    target: (i, out) => {
      out[0] = f(xs[i]!);
    },
  });
}
