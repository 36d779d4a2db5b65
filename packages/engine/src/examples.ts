import type { Hex } from 'viem';
import type { RunSpecInput } from '@um/protocol';
import type { BackendName } from './backend.js';
import { datasetRoot } from './datasets/dataset.js';
import { syntheticDataset } from './datasets/synthetic.js';
import { currentProfile } from './profile.js';

/**
 * Dataset roots of the packaged datasets (computed by datasetRoot and checked by the tests), so a
 * spec can be written without loading the data.
 */
export const knownDatasetRoots = {
  iris: {
    train: '0x18fc26b3fe3aaafbd8c1d48f9ffe100d7b17716a6ba4a0ece2140c71c6ae6e31',
    test: '0xb6b3882b1054afa8d460564c673211410487eccfafa17be97d10b0b4eb237fff',
    all: '0x348de3551ce9743d391fcf735259aeaecab92bda57f771b0f43d9cda34059f2f',
  },
  mnist: {
    train: '0xb38b8ed3f3e2526049183b7bb706833e90afe1f5f5ff79f75acab98f37abd4d0',
    test: '0x0f03d0ee86d5e02fda1ce8e6ad3c1b321c0f69ac43e0f3342169a9acd686675b',
    all: '0x66d02d9d77afcfaec029a768bb3290753b9d7ab1e571b3e31b256441b4723ddc',
  },
} as const satisfies Record<string, Record<'train' | 'test' | 'all', Hex>>;

type Layer = { class_name: string; config: Record<string, unknown> };

const dense = (name: string, units: number, activation: string, inputDim?: number): Layer => ({
  class_name: 'Dense',
  config: { name, units, activation, ...(inputDim ? { batch_input_shape: [null, inputDim] } : {}) },
});

const sequential = (name: string, layers: Layer[]) => ({
  class_name: 'Sequential' as const,
  config: { name, layers },
});

interface ExampleOptions {
  readonly backend?: BackendName;
  readonly initSeed?: number;
  readonly scheduleSeed?: number;
  readonly batchSize?: number;
  readonly stepsPerRound?: number;
}

/** Iris MLP 4-8-3 (relu, softmax), Adam 0.01, batch 16: the reference classification run. */
export function irisExampleSpec(options: ExampleOptions = {}): RunSpecInput {
  return {
    version: 1,
    model: {
      format: 'layers-model',
      topology: sequential('iris_mlp', [
        dense('hidden', 8, 'relu', 4),
        dense('output', 3, 'softmax'),
      ]),
    },
    initialState: {
      kind: 'initializer',
      initializer: 'glorot-uniform',
      seed: options.initSeed ?? 1,
    },
    dataset: { name: 'iris', root: knownDatasetRoots.iris.train, split: 'train' },
    batchSize: options.batchSize ?? 16,
    schedule: { seed: options.scheduleSeed ?? 42 },
    optimizer: { kind: 'adam', learningRate: 0.01 },
    loss: 'categoricalCrossentropy',
    stepsPerRound: options.stepsPerRound ?? 10,
    evaluation: { metric: 'accuracy', split: 'test', sampleSize: 30 },
    computeProfile: currentProfile(options.backend ?? 'wasm'),
  };
}

/** MNIST MLP 784-128-64-10, SGD with momentum: the reference image run. */
export function mnistExampleSpec(options: ExampleOptions = {}): RunSpecInput {
  return {
    version: 1,
    model: {
      format: 'layers-model',
      topology: sequential('mnist_mlp', [
        dense('hidden1', 128, 'relu', 784),
        dense('hidden2', 64, 'relu'),
        dense('output', 10, 'softmax'),
      ]),
    },
    initialState: {
      kind: 'initializer',
      initializer: 'glorot-uniform',
      seed: options.initSeed ?? 1,
    },
    dataset: { name: 'mnist', root: knownDatasetRoots.mnist.train, split: 'train' },
    batchSize: options.batchSize ?? 64,
    schedule: { seed: options.scheduleSeed ?? 42 },
    optimizer: { kind: 'momentum', learningRate: 0.05, momentum: 0.9 },
    loss: 'categoricalCrossentropy',
    stepsPerRound: options.stepsPerRound ?? 10,
    evaluation: { metric: 'accuracy', split: 'test', sampleSize: 500 },
    computeProfile: currentProfile(options.backend ?? 'wasm'),
  };
}

/** A small CNN on MNIST (reshape 28×28×1, conv 8@3×3, max-pool 2, dense 10). */
export function mnistCnnExampleSpec(options: ExampleOptions = {}): RunSpecInput {
  const spec = mnistExampleSpec(options);
  return {
    ...spec,
    model: {
      format: 'layers-model',
      topology: sequential('mnist_cnn', [
        {
          class_name: 'Reshape',
          config: { name: 'image', targetShape: [28, 28, 1], batch_input_shape: [null, 784] },
        },
        {
          class_name: 'Conv2D',
          config: { name: 'conv', filters: 8, kernelSize: [3, 3], activation: 'relu' },
        },
        { class_name: 'MaxPooling2D', config: { name: 'pool', poolSize: [2, 2] } },
        { class_name: 'Flatten', config: { name: 'flatten' } },
        dense('output', 10, 'softmax'),
      ]),
    },
  };
}

/** Regression of sin on [−π, π] with a 1-16-16-1 tanh MLP, Adam; evaluated by R². */
export function sinExampleSpec(options: ExampleOptions = {}): RunSpecInput {
  const data = {
    function: 'sin' as const,
    domain: [-Math.PI, Math.PI] as [number, number],
    size: 500,
    seed: 3,
    split: 'train' as const,
  };
  return {
    version: 1,
    model: {
      format: 'layers-model',
      topology: sequential('sin_mlp', [
        dense('hidden1', 16, 'tanh', 1),
        dense('hidden2', 16, 'tanh'),
        dense('output', 1, 'linear'),
      ]),
    },
    initialState: {
      kind: 'initializer',
      initializer: 'glorot-uniform',
      seed: options.initSeed ?? 1,
    },
    dataset: { name: 'synthetic', ...data, root: datasetRoot(syntheticDataset(data)) },
    batchSize: options.batchSize ?? 32,
    schedule: { seed: options.scheduleSeed ?? 42 },
    optimizer: { kind: 'adam', learningRate: 0.01 },
    loss: 'meanSquaredError',
    stepsPerRound: options.stepsPerRound ?? 10,
    evaluation: { metric: 'r2', function: 'sin', domain: [-Math.PI, Math.PI], sampleSize: 256 },
    computeProfile: currentProfile(options.backend ?? 'wasm'),
  };
}
