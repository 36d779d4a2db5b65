import type { DatasetRef } from '@um/protocol';
import { assertDatasetRoot, InvalidDatasetError, type Dataset } from './dataset.js';
import { irisDataset } from './iris.js';
import { mnistFromDigits } from './mnist.js';
import { syntheticDataset } from './synthetic.js';

export * from './dataset.js';
export { irisDataset } from './iris.js';
export { MNIST_PIXELS, mnistFromDigits } from './mnist.js';
export { deterministicSin, drawInputs, syntheticDataset, syntheticFunctions } from './synthetic.js';

export interface DatasetSources {
  /** The ten MNIST digit arrays (see mnistFromDigits); needed only for MNIST specs. */
  readonly mnistDigits?: readonly (readonly number[])[];
}

/** Builds the split a spec names and checks it against the spec's root (DatasetRootMismatchError). */
export function loadDataset(ref: DatasetRef, sources: DatasetSources = {}): Dataset {
  let dataset: Dataset;
  switch (ref.name) {
    case 'iris':
      dataset = irisDataset(ref.split);
      break;
    case 'mnist':
      if (!sources.mnistDigits) {
        throw new InvalidDatasetError(
          'an MNIST spec needs the digit arrays: pass { mnistDigits } (loadMnistDigits() from @um/engine/node in Node)',
        );
      }
      dataset = mnistFromDigits(sources.mnistDigits, ref.split);
      break;
    case 'synthetic':
      dataset = syntheticDataset(ref);
      break;
  }
  assertDatasetRoot(dataset, ref);
  return dataset;
}
export {
  clearDatasetMemo,
  type DatasetCache,
  DatasetCacheError,
  datasetCacheKey,
  decodeDataset,
  encodeDataset,
  IndexedDbDatasetCache,
  loadDatasetCached,
  type DatasetOrigin,
} from './cache.js';
