import { EngineError } from './errors.js';
import { permutation, seedToBigInt, tags, type Seed } from './random.js';

export class ScheduleError extends EngineError {
  override name = 'ScheduleError';
}

/**
 * The batch schedule: the example indices (into the dataset split) that step t trains on. A pure
 * function of (split size n, schedule seed, batchSize, t):
 *
 *   batchesPerEpoch = floor(n / batchSize)          (the remainder of each epoch is dropped)
 *   b = t - 1;  epoch = floor(b / batchesPerEpoch);  k = b mod batchesPerEpoch
 *   batch(t) = perm_epoch[k·batchSize … (k+1)·batchSize - 1]
 *   perm_epoch = keccak Fisher–Yates of 0..n-1 with tag "um/schedule/v1", words (seed, epoch, i)
 */
export class BatchSchedule {
  readonly batchesPerEpoch: number;
  private readonly seed: bigint;
  private cache: { epoch: number; perm: Uint32Array } | undefined;

  constructor(
    readonly size: number,
    seed: Seed,
    readonly batchSize: number,
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new ScheduleError(`batchSize ${batchSize} must be a positive integer`);
    if (!Number.isInteger(size) || size < batchSize) {
      throw new ScheduleError(
        `the dataset split has ${size} examples, fewer than one batch of ${batchSize}`,
      );
    }
    this.seed = seedToBigInt(seed);
    this.batchesPerEpoch = Math.floor(size / batchSize);
  }

  epochOf(t: number): number {
    assertStep(t);
    return Math.floor((t - 1) / this.batchesPerEpoch);
  }

  /** The permutation of the split for one epoch (cached for the most recent epoch). */
  epochPermutation(epoch: number): Uint32Array {
    if (this.cache?.epoch !== epoch) {
      this.cache = { epoch, perm: permutation(tags.schedule, this.seed, epoch, this.size) };
    }
    return this.cache.perm;
  }

  /** Indices of the examples of step t (t ≥ 1), in the order they form the batch. */
  batch(t: number): Uint32Array {
    const epoch = this.epochOf(t);
    const k = (t - 1) % this.batchesPerEpoch;
    return this.epochPermutation(epoch).slice(k * this.batchSize, (k + 1) * this.batchSize);
  }
}

export function assertStep(t: number): void {
  if (!Number.isSafeInteger(t) || t < 1)
    throw new ScheduleError(`step ${t} must be an integer ≥ 1 (steps count from 1)`);
}
