import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, evaluate, mnistExampleSpec, stateHash } from '../src/index.js';
import { loadMnistDigits } from '../src/node/index.js';

// Golden hashes of the MNIST reference run (mnistExampleSpec(): MLP 784-128-64-10, momentum SGD,
// batch 64, wasm profile). A change here is a protocol change.
const MNIST_WASM = {
  initial: '0xb36caeee1d88bd69c7eb0e961c2a02069fa1ca891b530a65f469a1f4eb04b00d',
  step1: '0x4369eb6e68a8dd5662ed919b4b9cfb7f96ed3a241251bb9a5b5f37b112f20d6a',
  step20: '0x982d095f5cac267db8db9e0e447af1852f71ed494067afe13c69092dbda2ad0b',
  root1to20: '0xa5c286a86adce29ded95b77529324be8c170501ef54d8a1901ac33eed70fa320',
};

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
