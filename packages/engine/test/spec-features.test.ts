import * as tf from '@tensorflow/tfjs';
import { parseSpec } from '@um/protocol';
import { describe, expect, it } from 'vitest';
import {
  Engine,
  irisExampleSpec,
  learningRateAt,
  powInt,
  stateHash,
  StateHashMismatchError,
  StepOrderError,
  useBackend,
} from '../src/index.js';

describe('spec features', () => {
  it('trains a functional (non-Sequential) LayersModel topology deterministically', async () => {
    await useBackend('wasm');
    const input = tf.input({ shape: [4], name: 'features' });
    const a = tf.layers
      .dense({ units: 6, activation: 'relu', name: 'branch_a' })
      .apply(input) as tf.SymbolicTensor;
    const b = tf.layers
      .dense({ units: 6, activation: 'tanh', name: 'branch_b' })
      .apply(input) as tf.SymbolicTensor;
    const merged = tf.layers.concatenate({ name: 'merge' }).apply([a, b]) as tf.SymbolicTensor;
    const output = tf.layers
      .dense({ units: 3, activation: 'softmax', name: 'probs' })
      .apply(merged) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output, name: 'iris_functional' });
    const topology = model.toJSON(null, false) as unknown as Record<string, unknown>;
    model.dispose();
    const spec = {
      ...irisExampleSpec(),
      model: { format: 'layers-model' as const, topology },
    } as ReturnType<typeof irisExampleSpec>;
    expect(parseSpec(spec).model.topology.class_name).toMatch(/Model|Functional/);
    const engine = await Engine.create(spec);
    expect(engine.layout.weights.map((w) => w.shape)).toEqual([
      [4, 6],
      [6],
      [4, 6],
      [6],
      [12, 3],
      [3],
    ]);
    const first = await engine.runSteps(engine.initialState(), 1, 5);
    const second = await engine.runSteps(engine.initialState(), 1, 5);
    expect(second.root).toBe(first.root);
    engine.dispose();
  });

  it('starts from a checkpoint named by CID and hash, refusing one with another hash', async () => {
    const source = await Engine.create(irisExampleSpec());
    const start = source.initialState();
    const files = source.checkpoint(start);
    source.dispose();
    const spec = irisExampleSpec();
    spec.initialState = {
      kind: 'checkpoint',
      cid: 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi',
      stateHash: stateHash(start),
    };
    const engine = await Engine.create(spec);
    expect(() => engine.initialState()).toThrowError(StepOrderError);
    expect(stateHash(engine.loadCheckpoint(files))).toBe(stateHash(start));
    spec.initialState = { ...spec.initialState, stateHash: `0x${'12'.repeat(32)}` };
    const wrong = await Engine.create(spec);
    expect(() => wrong.loadCheckpoint(files)).toThrowError(StateHashMismatchError);
    engine.dispose();
    wrong.dispose();
  });

  it('computes learning-rate schedules exactly as documented', () => {
    const base = { kind: 'sgd', learningRate: 0.1 } as const;
    expect(learningRateAt({ ...base, schedule: { kind: 'constant' } }, 1000)).toBe(0.1);
    const step = { ...base, schedule: { kind: 'step', every: 10, factor: 0.5 } } as const;
    expect([1, 10, 11, 21, 31].map((t) => learningRateAt(step, t))).toEqual([
      0.1, 0.1, 0.05, 0.025, 0.0125,
    ]);
    const linear = { ...base, schedule: { kind: 'linear', decaySteps: 4, final: 0.02 } } as const;
    expect([1, 3, 5, 100].map((t) => learningRateAt(linear, t))).toEqual([
      0.1,
      0.1 + ((0.02 - 0.1) * 2) / 4,
      0.1 + ((0.02 - 0.1) * 4) / 4,
      0.1 + ((0.02 - 0.1) * 4) / 4,
    ]);
    expect(powInt(0.999, 1000)).toBeCloseTo(Math.pow(0.999, 1000), 12);
    expect(powInt(3, 5)).toBe(243);
  });
});
