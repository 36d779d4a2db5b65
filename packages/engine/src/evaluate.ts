import type { EvaluationSpec } from '@um/protocol';
import { irisDataset } from './datasets/iris.js';
import { mnistFromDigits } from './datasets/mnist.js';
import { drawInputs, syntheticFunctions } from './datasets/synthetic.js';
import { InvalidDatasetError, type Dataset } from './datasets/dataset.js';
import type { Engine } from './engine.js';
import { EngineError } from './errors.js';
import { permutation, seedToBigInt, tags, type Seed } from './random.js';
import type { TrainingState } from './state.js';

export class EvaluationError extends EngineError {
  override name = 'EvaluationError';
}

export const SCORE_SCALE = 1_000_000n;

export interface EvaluationResult {
  readonly metric: EvaluationSpec['metric'];
  /** The metric in double precision. */
  readonly value: number;
  /** Fixed-point score: the metric × 1e6 as an integer (see docs/engine.md for the rounding). */
  readonly score: bigint;
  readonly sampleSize: number;
}

/** Index of the largest value of row r (first one on ties). */
function argmax(values: Float32Array, r: number, width: number): number {
  let best = 0;
  for (let k = 1; k < width; k++) if (values[r * width + k]! > values[r * width + best]!) best = k;
  return best;
}

/**
 * Deterministic evaluation of a state with a seed no one knew in advance.
 *
 * accuracy: the sample is the first sampleSize entries of the keccak Fisher–Yates permutation of
 *   the evaluation split (tag "um/evaluation-sample/v1", words (seed, 0, i)); a prediction is right
 *   when argmax(output) = argmax(one-hot target) (first index on ties);
 *   score = floor(correct · 1e6 / sampleSize).
 * r2 / mse: inputs x_i = float32(low + (high − low)·u_i) from the "um/evaluation-inputs/v1" stream,
 *   targets float32(f(x_i)); with predictions p_i (float32) and all sums in double, left to right:
 *   mse = Σ(p_i − y_i)² / n;  r2 = 1 − Σ(p_i − y_i)² / Σ(y_i − ȳ)²  (ȳ = Σy_i / n);
 *   score = round(value · 1e6) with ties away from zero, as an integer.
 */
export function evaluate(
  engine: Engine,
  state: TrainingState,
  seed: Seed,
  options: {
    evaluation?: EvaluationSpec;
    mnistDigits?: readonly (readonly number[])[];
    split?: Dataset;
  } = {},
): EvaluationResult {
  const evaluation = options.evaluation ?? engine.spec.evaluation;
  const s = seedToBigInt(seed);
  if (evaluation.metric === 'accuracy') {
    const split = options.split ?? heldOutSplit(engine, evaluation.split, options.mnistDigits);
    if (evaluation.sampleSize > split.size) {
      throw new EvaluationError(
        `sampleSize ${evaluation.sampleSize} exceeds the ${split.size} examples of split ${evaluation.split}`,
      );
    }
    const sample = permutation(tags.evaluationSample, s, 0, split.size).subarray(
      0,
      evaluation.sampleSize,
    );
    const inputs = new Float32Array(sample.length * split.inputSize);
    sample.forEach((example, row) =>
      inputs.set(
        split.inputs.subarray(example * split.inputSize, (example + 1) * split.inputSize),
        row * split.inputSize,
      ),
    );
    const outputs = engine.predict(state, inputs, sample.length);
    let correct = 0;
    sample.forEach((example, row) => {
      if (
        argmax(outputs, row, split.targetSize) === argmax(split.targets, example, split.targetSize)
      )
        correct++;
    });
    return {
      metric: 'accuracy',
      value: correct / sample.length,
      score: (BigInt(correct) * SCORE_SCALE) / BigInt(sample.length),
      sampleSize: sample.length,
    };
  }
  if (engine.dataset.task !== 'regression' || engine.dataset.targetSize !== 1) {
    throw new EvaluationError(
      `metric ${evaluation.metric} needs a model with one regression output`,
    );
  }
  const n = evaluation.sampleSize;
  const xs = drawInputs(tags.evaluationInputs, s, evaluation.domain, n);
  const f = syntheticFunctions[evaluation.function];
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) ys[i] = f(xs[i]!);
  const ps = engine.predict(state, xs, n);
  let sse = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sse += (ps[i]! - ys[i]!) * (ps[i]! - ys[i]!);
    sum += ys[i]!;
  }
  const mean = sum / n;
  let sst = 0;
  for (let i = 0; i < n; i++) sst += (ys[i]! - mean) * (ys[i]! - mean);
  const value = evaluation.metric === 'mse' ? sse / n : 1 - sse / sst;
  if (!Number.isFinite(value))
    throw new EvaluationError(
      `${evaluation.metric} is ${value} (constant targets or diverged model)`,
    );
  return { metric: evaluation.metric, value, score: roundHalfAway(value * 1e6), sampleSize: n };
}

function roundHalfAway(x: number): bigint {
  const r = Math.floor(Math.abs(x) + 0.5);
  return BigInt(x < 0 ? -r : r);
}

function heldOutSplit(
  engine: Engine,
  split: Dataset['split'],
  mnistDigits?: readonly (readonly number[])[],
): Dataset {
  const name = engine.dataset.name;
  if (name === 'iris') return irisDataset(split);
  if (name === 'mnist') {
    if (!mnistDigits)
      throw new InvalidDatasetError('evaluating an MNIST run needs { mnistDigits }');
    return mnistFromDigits(mnistDigits, split);
  }
  throw new EvaluationError(`accuracy needs a classification dataset, the run trains on ${name}`);
}
