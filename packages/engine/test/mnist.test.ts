import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, evaluate, mnistExampleSpec, stateHash } from '../src/index.js';
import { loadMnistDigits } from '../src/node/index.js';
import { MNIST_WASM } from './fixtures/golden.js';

describe('MNIST run on wasm', () => {
  const digits = loadMnistDigits();
  let engine: Engine;
  beforeAll(async () => {
    engine = await Engine.create(mnistExampleSpec(), { sources: { mnistDigits: digits } });
  }, 60_000);
  afterAll(() => engine.dispose());

  it('matches the committed golden hashes', async () => {
    const initial = engine.initialState();
    expect(stateHash(initial)).toBe(MNIST_WASM.initial);
    const run = await engine.runSteps(initial, 1, 20);
    expect(run.steps[0]!.stateHash).toBe(MNIST_WASM.step1);
    expect(run.steps[19]!.stateHash).toBe(MNIST_WASM.step20);
    expect(run.root).toBe(MNIST_WASM.root1to20);
    expect(run.steps[19]!.loss).toBeLessThan(run.steps[0]!.loss);
  }, 60_000);

  it('scores accuracy on a seed-drawn sample of the held-out split, deterministically', async () => {
    const { state } = await engine.runSteps(engine.initialState(), 1, 20);
    const before = evaluate(engine, engine.initialState(), 123, { mnistDigits: digits });
    const after = evaluate(engine, state, 123, { mnistDigits: digits });
    expect(before).toEqual({ metric: 'accuracy', value: 0.112, score: 112_000n, sampleSize: 500 });
    expect(after).toEqual({ metric: 'accuracy', value: 0.752, score: 752_000n, sampleSize: 500 });
    expect(evaluate(engine, state, 123, { mnistDigits: digits })).toEqual(after);
  }, 60_000);
});
