import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BackendUnavailableError,
  checkpointIOHandler,
  ComputeProfileMismatchError,
  DatasetRootMismatchError,
  Engine,
  InvalidCheckpointError,
  irisExampleSpec,
  knownDatasetRoots,
  ModelDatasetMismatchError,
  NonFiniteStateError,
  OversizedStateError,
  replayStep,
  stateHash,
  StateHashMismatchError,
  StateShapeError,
  StepOrderError,
  TruncatedStateError,
  type CheckpointFiles,
} from '../src/index.js';
import { IRIS_WASM } from './fixtures/golden.js';

describe('iris run on wasm', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await Engine.create(irisExampleSpec());
  });
  afterAll(() => engine.dispose());

  it('matches the committed golden hashes and learns', async () => {
    const initial = engine.initialState();
    expect(stateHash(initial)).toBe(IRIS_WASM.initial);
    const run = await engine.runSteps(initial, 1, 100);
    expect(run.steps[0]!.stateHash).toBe(IRIS_WASM.step1);
    expect(run.steps[99]!.stateHash).toBe(IRIS_WASM.step100);
    expect(run.steps[99]!.loss).toBeLessThan(run.steps[0]!.loss / 2);
    const round1 = await engine.runSteps(initial, 1, 10);
    expect(round1.root).toBe(IRIS_WASM.round1Root);
  });

  it('gives the same hashes step by step as in one run, and the same state twice', async () => {
    const initial = engine.initialState();
    const run = await engine.runSteps(initial, 1, 5);
    let state = initial;
    for (let t = 1; t <= 5; t++) {
      const result = await engine.step(state, t);
      expect(result.stateHash).toBe(run.steps[t - 1]!.stateHash);
      state = result.state;
    }
    // Re-running step 3 from the state after step 2 (the engine holds no hidden state).
    const after2 = (await engine.runSteps(initial, 1, 2)).state;
    expect((await engine.step(after2, 3)).stateHash).toBe(run.steps[2]!.stateHash);
  });

  it('continues identically after a checkpoint save/load round trip', async () => {
    const first = await engine.runSteps(engine.initialState(), 1, 20);
    const middle = await engine.runSteps(engine.initialState(), 1, 10);
    const files = engine.checkpoint(middle.state);
    const fresh = await Engine.create(irisExampleSpec());
    try {
      const loaded = fresh.loadCheckpoint(files, { expectedHash: middle.steps[9]!.stateHash });
      expect(loaded.step).toBe(10);
      const rest = await fresh.runSteps(loaded, 11, 20);
      expect(rest.steps.map((s) => s.stateHash)).toEqual(
        first.steps.slice(10).map((s) => s.stateHash),
      );
    } finally {
      fresh.dispose();
    }
  });

  it('writes checkpoints that tf.loadLayersModel loads with the same predictions', async () => {
    const { state } = await engine.runSteps(engine.initialState(), 1, 10);
    const model = await tf.loadLayersModel(checkpointIOHandler(engine.checkpoint(state)));
    const x = engine.dataset.inputs.subarray(0, 40);
    const loadedOut = (model.predict(tf.tensor(x, [10, 4])) as tf.Tensor).dataSync();
    expect(Array.from(loadedOut)).toEqual(Array.from(engine.predict(state, x, 10)));
    model.dispose();
  });

  it('replays one step from a checkpoint (the browser verifier API)', async () => {
    const run = await engine.runSteps(engine.initialState(), 1, 7);
    const files = engine.checkpoint((await engine.runSteps(engine.initialState(), 1, 6)).state);
    const replay = await replayStep({
      spec: irisExampleSpec(),
      checkpoint: files,
      step: 7,
      expectedStateHash: run.steps[6]!.stateHash,
    });
    expect(replay).toMatchObject({
      matches: true,
      stateHash: run.steps[6]!.stateHash,
      leaf: run.steps[6]!.leaf,
      previousStateHash: run.steps[5]!.stateHash,
    });
    const wrong = await replayStep({
      spec: irisExampleSpec(),
      checkpoint: files,
      step: 7,
      expectedStateHash: run.steps[5]!.stateHash,
    });
    expect(wrong.matches).toBe(false);
    await expect(
      replayStep({ spec: irisExampleSpec(), checkpoint: files, step: 8 }),
    ).rejects.toThrowError(StepOrderError);
  });

  it('rejects bad checkpoints with typed errors that say what is wrong', async () => {
    const { state } = await engine.runSteps(engine.initialState(), 1, 3);
    const files = engine.checkpoint(state);
    const edit = (patch: Partial<CheckpointFiles>): CheckpointFiles => ({ ...files, ...patch });
    const json = JSON.parse(new TextDecoder().decode(files['model.json']));
    const withJson = (mutate: (j: typeof json) => void): CheckpointFiles => {
      const copy = structuredClone(json);
      mutate(copy);
      return edit({ 'model.json': new TextEncoder().encode(JSON.stringify(copy)) });
    };
    expect(() =>
      engine.loadCheckpoint(edit({ 'weights.bin': files['weights.bin'].subarray(0, 100) })),
    ).toThrowError(TruncatedStateError);
    expect(() =>
      engine.loadCheckpoint(
        edit({ 'optimizer.bin': new Uint8Array([...files['optimizer.bin'], 1, 2, 3, 4]) }),
      ),
    ).toThrowError(OversizedStateError);
    const nan = files['weights.bin'].slice();
    new DataView(nan.buffer).setFloat32(12, Number.NaN, true);
    expect(() => engine.loadCheckpoint(edit({ 'weights.bin': nan }))).toThrowError(
      NonFiniteStateError,
    );
    const flipped = files['weights.bin'].slice();
    flipped[0] = flipped[0]! ^ 1;
    expect(() => engine.loadCheckpoint(edit({ 'weights.bin': flipped }))).toThrowError(
      StateHashMismatchError,
    );
    expect(() =>
      engine.loadCheckpoint(files, { expectedHash: `0x${'11'.repeat(32)}` }),
    ).toThrowError(StateHashMismatchError);
    expect(() =>
      engine.loadCheckpoint(withJson((j) => (j.weightsManifest[0].weights[0].shape = [4, 9]))),
    ).toThrowError(StateShapeError);
    expect(() =>
      engine.loadCheckpoint(withJson((j) => j.weightsManifest[0].weights.pop())),
    ).toThrowError(/checkpoint has 3 weight tensors, the model needs 4/);
    expect(() => engine.loadCheckpoint(withJson((j) => delete j.userDefinedMetadata))).toThrowError(
      InvalidCheckpointError,
    );
    expect(() =>
      engine.loadCheckpoint(edit({ 'model.json': files['model.json'].subarray(0, 50) })),
    ).toThrowError(/model.json is not JSON/);
  });

  it('leaves no tensors behind: memory stays flat over many steps', async () => {
    const initial = engine.initialState();
    await engine.runSteps(initial, 1, 2);
    const before = tf.memory().numTensors;
    await engine.runSteps(initial, 1, 30);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses steps out of order', async () => {
    await expect(engine.step(engine.initialState(), 2)).rejects.toThrowError(StepOrderError);
    await expect(engine.step(engine.initialState(), 0)).rejects.toThrowError(/steps count from 1/);
  });
});

describe('compute profiles', () => {
  it('wasm and cpu give different hashes, so profiles never mix', async () => {
    const wasm = await Engine.create(irisExampleSpec({ backend: 'wasm' }));
    const a = await wasm.runSteps(wasm.initialState(), 1, 3);
    const cpu = await Engine.create(irisExampleSpec({ backend: 'cpu' }));
    const b = await cpu.runSteps(cpu.initialState(), 1, 3);
    cpu.dispose();
    expect(tf.getBackend()).toBe('cpu');
    expect(stateHash(a.state)).not.toBe(stateHash(b.state));
    // An engine whose backend was switched away refuses to step instead of mixing profiles.
    await expect(wasm.step(wasm.initialState(), 1)).rejects.toThrowError(BackendUnavailableError);
    wasm.dispose();
    await Engine.create(irisExampleSpec()).then((e) => e.dispose()); // back to wasm
  });

  it('refuses a profile pinning other library versions', async () => {
    const spec = irisExampleSpec();
    spec.computeProfile = { backend: 'wasm', libraries: { '@tensorflow/tfjs': '4.21.0' } };
    await expect(Engine.create(spec)).rejects.toThrowError(ComputeProfileMismatchError);
    await expect(Engine.create(spec)).rejects.toThrowError(
      /pins @tensorflow\/tfjs@4.21.0, this engine runs @tensorflow\/tfjs@4.22.0/,
    );
  });

  it('refuses a dataset root or a model that does not fit the data', async () => {
    const spec = irisExampleSpec();
    spec.dataset = { name: 'iris', split: 'train', root: knownDatasetRoots.iris.all };
    await expect(Engine.create(spec)).rejects.toThrowError(DatasetRootMismatchError);
    const wide = irisExampleSpec();
    (
      wide.model.topology.config.layers[0] as { config: Record<string, unknown> }
    ).config.batch_input_shape = [null, 5];
    await expect(Engine.create(wide)).rejects.toThrowError(ModelDatasetMismatchError);
  });
});
