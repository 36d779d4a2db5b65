import * as tf from '@tensorflow/tfjs';
import { merkleRoot, parseSpec, stepLeaf, type RunSpec, type RunSpecInput } from '@um/protocol';
import type { Hex } from 'viem';
import {
  assertDatasetRoot,
  loadDataset,
  type Dataset,
  type DatasetSources,
} from './datasets/index.js';
import {
  decodeCheckpoint,
  encodeCheckpoint,
  InvalidCheckpointError,
  type CheckpointFiles,
} from './checkpoint.js';
import { EngineError } from './errors.js';
import { buildModel, glorotUniformWeights, trainableSpecs, weightSpecs } from './model.js';
import { applyUpdate, slotSpecs } from './optimizer.js';
import { applyProfile } from './profile.js';
import { initKeccak } from './keccak.js';
import { assertKernelsIntact, assertOwnBackend, BackendUnavailableError } from './backend.js';
import { assertStep, BatchSchedule } from './schedule.js';
import {
  NonFiniteStateError,
  stateHash,
  validateState,
  type StateLayout,
  type TrainingState,
} from './state.js';

export class StepOrderError extends EngineError {
  override name = 'StepOrderError';
}
export class ModelDatasetMismatchError extends EngineError {
  override name = 'ModelDatasetMismatchError';
}
export class TrainingDivergedError extends EngineError {
  override name = 'TrainingDivergedError';
}

export interface StepResult {
  readonly state: TrainingState;
  /** Mean loss of the batch before the update (float32 value). */
  readonly loss: number;
  readonly stateHash: Hex;
  /** stepLeaf(t, stateHash): the leaf this step contributes to its round's Merkle tree. */
  readonly leaf: Hex;
}

export interface StepRecord {
  readonly step: number;
  readonly loss: number;
  readonly stateHash: Hex;
  readonly leaf: Hex;
}

export interface RunResult {
  readonly state: TrainingState;
  readonly steps: readonly StepRecord[];
  readonly leaves: readonly Hex[];
  /** merkleRoot(leaves): what a round commits on chain. */
  readonly root: Hex;
}

export interface EngineOptions {
  /** The dataset split, if already built (it is still checked against the spec's root). */
  readonly dataset?: Dataset;
  /** Raw sources for datasets that need them (MNIST). */
  readonly sources?: DatasetSources;
}

/**
 * A run spec made executable: its model, dataset split, batch schedule and optimizer on the
 * profile's backend. `step` and `runSteps` are pure in the state they are given (the engine keeps
 * nothing between calls that affects results).
 */
export class Engine {
  readonly layout: StateLayout;
  readonly schedule: BatchSchedule;
  private readonly weightVars: tf.Variable[];
  private readonly trainableVars: tf.Variable[];
  private readonly slotVars: tf.Variable[];
  /** The state object whose values the variables hold right now (skips re-uploading in runSteps). */
  private loaded: TrainingState | undefined;

  private constructor(
    readonly spec: RunSpec,
    readonly dataset: Dataset,
    readonly model: tf.LayersModel,
  ) {
    const trainable = trainableSpecs(model);
    this.layout = { weights: weightSpecs(model), slots: slotSpecs(spec.optimizer, trainable) };
    this.schedule = new BatchSchedule(dataset.size, spec.schedule.seed, spec.batchSize);
    this.weightVars = model.weights.map((w) => w.read() as tf.Variable);
    this.trainableVars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.slotVars = this.layout.slots.map((s) => tf.variable(tf.zeros([...s.shape]), false));
  }

  /** Validates the spec, activates its compute profile, builds the model and checks the dataset root. */
  static async create(input: RunSpec | RunSpecInput, options: EngineOptions = {}): Promise<Engine> {
    const spec = parseSpec(input);
    await Promise.all([applyProfile(spec.computeProfile), initKeccak()]);
    let dataset: Dataset;
    if (options.dataset) {
      dataset = options.dataset;
      if (dataset.split !== spec.dataset.split) {
        throw new ModelDatasetMismatchError(
          `the dataset given is split "${dataset.split}", the spec trains on "${spec.dataset.split}"`,
        );
      }
      assertDatasetRoot(dataset, spec.dataset);
    } else dataset = loadDataset(spec.dataset, options.sources);
    const model = await buildModel(spec.model.topology);
    const inputShape = (model.inputs[0]!.shape as (number | null)[]).slice(1);
    const outputShape = (model.outputs[0]!.shape as (number | null)[]).slice(1);
    if (
      inputShape.join() !== dataset.inputShape.join() ||
      outputShape.join() !== String(dataset.targetSize)
    ) {
      model.dispose();
      throw new ModelDatasetMismatchError(
        `the model maps [${inputShape.join(', ')}] → [${outputShape.join(', ')}], the dataset has inputs [${dataset.inputShape.join(', ')}] and targets [${dataset.targetSize}]`,
      );
    }
    return new Engine(spec, dataset, model);
  }

  /** The state before step 1 when the spec uses an initializer (checkpoint specs load one instead). */
  initialState(): TrainingState {
    const init = this.spec.initialState;
    if (init.kind !== 'initializer') {
      throw new StepOrderError(
        `the spec starts from checkpoint ${init.cid}: load it with decodeCheckpoint/loadCheckpoint`,
      );
    }
    return {
      step: 0,
      weights: glorotUniformWeights(this.layout.weights, init.seed),
      slots: this.layout.slots.map((s) => new Float32Array(s.shape.reduce((a, b) => a * b, 1))),
    };
  }

  /** Applies step t to a state that has taken t−1 steps. */
  async step(state: TrainingState, t: number): Promise<StepResult> {
    assertStep(t);
    if (state.step !== t - 1)
      throw new StepOrderError(
        `step ${t} needs the state after step ${t - 1}, got the state after step ${state.step}`,
      );
    this.load(state);
    const loss = this.train(t);
    const next = this.read(t);
    const hash = stateHash(next);
    this.loaded = next;
    return { state: next, loss, stateHash: hash, leaf: stepLeaf(t, hash) };
  }

  /** Steps from..to inclusive from the state after step from−1, with per-step hashes and the Merkle root of their leaves. */
  async runSteps(
    state: TrainingState,
    from: number,
    to: number,
    options: { onStep?: (record: StepRecord) => void } = {},
  ): Promise<RunResult> {
    assertStep(from);
    if (!Number.isSafeInteger(to) || to < from)
      throw new StepOrderError(`runSteps needs from ≤ to, got ${from}..${to}`);
    const steps: StepRecord[] = [];
    let current = state;
    for (let t = from; t <= to; t++) {
      const result = await this.step(current, t);
      const record = { step: t, loss: result.loss, stateHash: result.stateHash, leaf: result.leaf };
      steps.push(record);
      options.onStep?.(record);
      current = result.state;
    }
    const leaves = steps.map((s) => s.leaf);
    return { state: current, steps, leaves, root: merkleRoot(leaves) };
  }

  /** The steps of round r (r ≥ 1): (r−1)·stepsPerRound+1 … r·stepsPerRound. */
  roundSteps(round: number): { from: number; to: number } {
    assertStep(round);
    const n = this.spec.stepsPerRound;
    return { from: (round - 1) * n + 1, to: round * n };
  }

  /** The checkpoint files of a state (model.json, weights.bin, optimizer.bin). */
  checkpoint(state: TrainingState): CheckpointFiles {
    return encodeCheckpoint({
      model: this.model,
      layout: this.layout,
      optimizer: this.spec.optimizer.kind,
      state,
    });
  }

  /**
   * Reads a checkpoint of this spec's model. With no expectedHash and a spec that starts from a
   * checkpoint at step 0, the spec's initialState.stateHash is demanded.
   */
  loadCheckpoint(files: CheckpointFiles, options: { expectedHash?: Hex } = {}): TrainingState {
    const { state, metadata } = decodeCheckpoint(files, this.layout, options);
    if (metadata.optimizer !== this.spec.optimizer.kind) {
      throw new InvalidCheckpointError(
        `checkpoint holds ${metadata.optimizer} slots, the spec uses ${this.spec.optimizer.kind}`,
      );
    }
    const init = this.spec.initialState;
    if (state.step === 0 && init.kind === 'checkpoint' && !options.expectedHash) {
      decodeCheckpoint(files, this.layout, { expectedHash: init.stateHash as Hex });
    }
    return state;
  }

  /** Releases the model and slot tensors. */
  dispose(): void {
    this.model.dispose();
    this.slotVars.forEach((v) => v.dispose());
    this.loaded = undefined;
  }

  /** Runs the model on inputs (shape [n, ...inputShape]) and returns the float32 outputs. */
  predict(state: TrainingState, inputs: Float32Array, count: number): Float32Array {
    this.load(state);
    return tf
      .tidy(() => {
        const x = tf.tensor(inputs, [count, ...this.dataset.inputShape]);
        return (this.model.apply(x) as tf.Tensor).dataSync() as Float32Array;
      })
      .slice();
  }

  private load(state: TrainingState): void {
    const active = tf.getBackend();
    if (active !== this.spec.computeProfile.backend) {
      throw new BackendUnavailableError(
        this.spec.computeProfile.backend,
        `the active TF.js backend is now ${active} (another engine switched it); use one compute profile per process at a time`,
      );
    }
    // The runtime must still be the pinned one: no foreign backend or kernel since Engine.create.
    assertOwnBackend(active);
    assertKernelsIntact(active);
    if (this.loaded === state) return;
    validateState(this.layout, state);
    tf.tidy(() => {
      this.weightVars.forEach((v, i) => v.assign(tf.tensor(state.weights[i]!, v.shape)));
      this.slotVars.forEach((v, i) => v.assign(tf.tensor(state.slots[i]!, v.shape)));
    });
    this.loaded = state;
  }

  private batch(t: number): { x: tf.Tensor; y: tf.Tensor } {
    const indices = this.schedule.batch(t);
    const { inputSize, targetSize, inputs, targets } = this.dataset;
    const xs = new Float32Array(indices.length * inputSize);
    const ys = new Float32Array(indices.length * targetSize);
    indices.forEach((example, row) => {
      xs.set(inputs.subarray(example * inputSize, (example + 1) * inputSize), row * inputSize);
      ys.set(targets.subarray(example * targetSize, (example + 1) * targetSize), row * targetSize);
    });
    return {
      x: tf.tensor(xs, [indices.length, ...this.dataset.inputShape]),
      y: tf.tensor(ys, [indices.length, targetSize]),
    };
  }

  private train(t: number): number {
    const { x, y } = this.batch(t);
    try {
      const { value, grads } = tf.variableGrads(
        () => lossOf(this.spec.loss, this.model.apply(x) as tf.Tensor, y),
        this.trainableVars,
      );
      const loss = value.dataSync()[0]!;
      const ordered = this.trainableVars.map((v) => grads[v.name]!);
      applyUpdate({
        optimizer: this.spec.optimizer,
        t,
        weights: this.trainableVars,
        grads: ordered,
        slots: this.slotVars,
      });
      value.dispose();
      ordered.forEach((g) => g.dispose());
      if (!Number.isFinite(loss)) throw new TrainingDivergedError(`step ${t}: the loss is ${loss}`);
      return loss;
    } finally {
      x.dispose();
      y.dispose();
    }
  }

  private read(t: number): TrainingState {
    const weights = this.weightVars.map((v) => (v.dataSync() as Float32Array).slice());
    const slots = this.slotVars.map((v) => (v.dataSync() as Float32Array).slice());
    const state = { step: t, weights, slots };
    try {
      validateState(this.layout, state);
    } catch (error) {
      if (error instanceof NonFiniteStateError)
        throw new TrainingDivergedError(`step ${t}: ${error.message}`);
      throw error;
    }
    return state;
  }
}

/**
 * The losses, as float32 TF.js ops on predictions p and targets y of shape [batch, k]:
 *   meanSquaredError:        mean(square(p − y))                       (over all elements)
 *   categoricalCrossentropy: −mean(sum(y · log(clip(p, 1e-7, 1 − 1e-7)), axis −1))  (p are probabilities)
 */
export function lossOf(loss: RunSpec['loss'], p: tf.Tensor, y: tf.Tensor): tf.Scalar {
  switch (loss) {
    case 'meanSquaredError':
      return tf.mean(tf.square(tf.sub(p, y))) as tf.Scalar;
    case 'categoricalCrossentropy':
      return tf.neg(
        tf.mean(tf.sum(tf.mul(y, tf.log(tf.clipByValue(p, 1e-7, 1 - 1e-7))), -1)),
      ) as tf.Scalar;
  }
}
