import { merkleRoot, type DatasetRef, type Split } from '@um/protocol';
import type { Hex } from 'viem';
import { keccak256Hex as keccak256 } from '../keccak.js';
import { EngineError } from '../errors.js';
import { assertLittleEndian } from '../endian.js';

/**
 * A dataset split held as flat float32 arrays. Example i is inputs[i·inputSize … (i+1)·inputSize)
 * and targets[i·targetSize … (i+1)·targetSize). Classification targets are one-hot.
 */
export interface Dataset {
  readonly name: string;
  readonly split: Split;
  readonly task: 'classification' | 'regression';
  /** Shape of one example's input, e.g. [4] for iris, [784] for MNIST. */
  readonly inputShape: readonly number[];
  readonly inputSize: number;
  readonly targetSize: number;
  readonly size: number;
  readonly inputs: Float32Array;
  readonly targets: Float32Array;
}

export class DatasetRootMismatchError extends EngineError {
  override name = 'DatasetRootMismatchError';
  constructor(
    readonly dataset: string,
    readonly expected: Hex,
    readonly actual: Hex,
  ) {
    super(
      `dataset ${dataset} does not match its root: the spec says ${expected}, the examples give ${actual}`,
    );
  }
}

export class InvalidDatasetError extends EngineError {
  override name = 'InvalidDatasetError';
}

/**
 * Example bytes: the input's float32 values then the target's float32 values, little-endian.
 * Example hash: keccak256(example bytes).
 */
export function exampleBytes(dataset: Dataset, index: number): Uint8Array {
  assertLittleEndian();
  const bytes = new Uint8Array(4 * (dataset.inputSize + dataset.targetSize));
  bytes.set(
    new Uint8Array(
      dataset.inputs.buffer,
      dataset.inputs.byteOffset + 4 * index * dataset.inputSize,
      4 * dataset.inputSize,
    ),
  );
  bytes.set(
    new Uint8Array(
      dataset.targets.buffer,
      dataset.targets.byteOffset + 4 * index * dataset.targetSize,
      4 * dataset.targetSize,
    ),
    4 * dataset.inputSize,
  );
  return bytes;
}

export const exampleHash = (dataset: Dataset, index: number): Hex =>
  keccak256(exampleBytes(dataset, index));

export const exampleHashes = (dataset: Dataset): Hex[] =>
  Array.from({ length: dataset.size }, (_, i) => exampleHash(dataset, i));

const roots = new WeakMap<Dataset, Hex>();

/** Positional Merkle root (packages/protocol merkle.ts) of the example hashes in split order. */
export function datasetRoot(dataset: Dataset): Hex {
  let root = roots.get(dataset);
  if (!root) roots.set(dataset, (root = merkleRoot(exampleHashes(dataset))));
  return root;
}

/** Throws DatasetRootMismatchError unless the dataset's root is the one the spec commits to. */
export function assertDatasetRoot(dataset: Dataset, ref: Pick<DatasetRef, 'root'>): void {
  const actual = datasetRoot(dataset);
  if (actual !== ref.root.toLowerCase())
    throw new DatasetRootMismatchError(dataset.name, ref.root as Hex, actual);
}

/** The split rule for every dataset: example i of the full ordered list is "test" iff i mod 5 = 4. */
export const inSplit = (index: number, split: Split): boolean =>
  split === 'all' || (split === 'test') === (index % 5 === 4);

/** Builds a split from the full ordered example list, validating sizes and finiteness. */
export function makeDataset(args: {
  name: string;
  split: Split;
  task: Dataset['task'];
  inputShape: readonly number[];
  targetSize: number;
  count: number;
  input: (i: number, out: Float32Array) => void;
  target: (i: number, out: Float32Array) => void;
}): Dataset {
  const inputSize = args.inputShape.reduce((a, b) => a * b, 1);
  const chosen: number[] = [];
  for (let i = 0; i < args.count; i++) if (inSplit(i, args.split)) chosen.push(i);
  const inputs = new Float32Array(chosen.length * inputSize);
  const targets = new Float32Array(chosen.length * args.targetSize);
  chosen.forEach((source, row) => {
    args.input(source, inputs.subarray(row * inputSize, (row + 1) * inputSize));
    args.target(source, targets.subarray(row * args.targetSize, (row + 1) * args.targetSize));
  });
  for (const [what, values] of [
    ['input', inputs],
    ['target', targets],
  ] as const) {
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0)
      throw new InvalidDatasetError(`dataset ${args.name}: ${what} value ${bad} is not finite`);
  }
  return {
    name: args.name,
    split: args.split,
    task: args.task,
    inputShape: [...args.inputShape],
    inputSize,
    targetSize: args.targetSize,
    size: chosen.length,
    inputs,
    targets,
  };
}
