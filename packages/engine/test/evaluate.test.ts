import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Engine,
  evaluate,
  EvaluationError,
  irisExampleSpec,
  permutation,
  seedToBigInt,
  sinExampleSpec,
  tags,
  type TrainingState,
} from '../src/index.js';

describe('regression evaluation (sin)', () => {
  let engine: Engine;
  let trained: TrainingState;
  beforeAll(async () => {
    engine = await Engine.create(sinExampleSpec());
    trained = (await engine.runSteps(engine.initialState(), 1, 200)).state;
  }, 60_000);
  afterAll(() => engine.dispose());

  it('scores R² and MSE as fixed-point 1e6 integers (golden), identically twice', () => {
    const r2 = evaluate(engine, trained, 5);
    expect(r2).toEqual({
      metric: 'r2',
      value: 0.9832180456724086,
      score: 983_218n,
      sampleSize: 256,
    });
    expect(evaluate(engine, trained, 5)).toEqual(r2);
    const mse = evaluate(engine, trained, 5, {
      evaluation: { metric: 'mse', function: 'sin', domain: [-Math.PI, Math.PI], sampleSize: 256 },
    });
    expect(mse.score).toBe(7_821n);
    expect(mse.score).toBe(BigInt(Math.round(mse.value * 1e6)));
  });

  it('gives an untrained model a negative R² and a trained one a high R²', () => {
    expect(evaluate(engine, engine.initialState(), 5).score).toBeLessThan(0n);
    expect(evaluate(engine, trained, 5).score).toBeGreaterThan(950_000n);
  });

  it('draws different inputs for a different evaluation seed', () => {
    expect(evaluate(engine, trained, 6).value).not.toBe(evaluate(engine, trained, 5).value);
    expect(evaluate(engine, trained, `0x${'ab'.repeat(32)}`).sampleSize).toBe(256);
  });
});

describe('classification evaluation (iris)', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await Engine.create(irisExampleSpec());
  });
  afterAll(() => engine.dispose());

  it('samples the held-out split with the keccak permutation of the evaluation seed', async () => {
    const { state } = await engine.runSteps(engine.initialState(), 1, 100);
    const evaluation = { metric: 'accuracy', split: 'test', sampleSize: 10 } as const;
    const a = evaluate(engine, state, 77, { evaluation });
    expect(a.sampleSize).toBe(10);
    expect(a.score).toBe(BigInt(Math.round(a.value * 10)) * 100_000n);
    const sample = permutation(tags.evaluationSample, seedToBigInt(77), 0, 30).subarray(0, 10);
    expect(new Set(sample).size).toBe(10);
    expect(evaluate(engine, state, 77, { evaluation })).toEqual(a);
  });

  it('refuses a sample larger than the split', () => {
    expect(() =>
      evaluate(engine, engine.initialState(), 1, {
        evaluation: { metric: 'accuracy', split: 'test', sampleSize: 31 },
      }),
    ).toThrowError(EvaluationError);
  });
});
