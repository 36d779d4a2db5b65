import * as tf from '@tensorflow/tfjs';
import { canonicalJson } from '@um/protocol';
import { bytesToString, stringToBytes, type Hex } from 'viem';
import { keccak256PartsHex } from './keccak.js';
import { EngineError } from './errors.js';
import { ENGINE_VERSION } from './profile.js';
import {
  bytesToTensors,
  StateHashMismatchError,
  StateShapeError,
  stateHash,
  tensorsToBytes,
  validateState,
  type StateLayout,
  type TensorSpec,
  type TrainingState,
} from './state.js';

/**
 * A checkpoint is a directory of three files:
 *   model.json    a TF.js LayersModel artifact (modelTopology + weightsManifest pointing at
 *                 weights.bin), written as canonical JSON, with userDefinedMetadata.um describing
 *                 the step, stateHash and optimizer slots
 *   weights.bin   the weights' canonical bytes (float32 LE in manifest order)
 *   optimizer.bin the optimizer slots' canonical bytes (empty for sgd)
 * stateHash = keccak256(weights.bin ‖ optimizer.bin). `tf.loadLayersModel` loads model.json +
 * weights.bin as is (it ignores optimizer.bin).
 */
export interface CheckpointFiles {
  readonly 'model.json': Uint8Array;
  readonly 'weights.bin': Uint8Array;
  readonly 'optimizer.bin': Uint8Array;
}
export const checkpointFileNames = ['model.json', 'weights.bin', 'optimizer.bin'] as const;

export interface CheckpointMetadata {
  readonly version: 1;
  readonly engine: string;
  readonly step: number;
  readonly stateHash: Hex;
  readonly optimizer: string;
  readonly slots: { readonly path: 'optimizer.bin'; readonly tensors: readonly TensorSpec[] };
}

export class InvalidCheckpointError extends EngineError {
  override name = 'InvalidCheckpointError';
}

/** Writes a state as checkpoint files; the bytes are a pure function of (model topology, layout, state). */
export function encodeCheckpoint(args: {
  model: tf.LayersModel;
  layout: StateLayout;
  optimizer: string;
  state: TrainingState;
}): CheckpointFiles {
  const { model, layout, optimizer, state } = args;
  validateState(layout, state);
  const hash = stateHash(state);
  const metadata: CheckpointMetadata = {
    version: 1,
    engine: ENGINE_VERSION,
    step: state.step,
    stateHash: hash,
    optimizer,
    slots: { path: 'optimizer.bin', tensors: layout.slots },
  };
  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: `@um/engine ${ENGINE_VERSION}`,
    modelTopology: model.toJSON(null, false),
    weightsManifest: [
      {
        paths: ['weights.bin'],
        weights: layout.weights.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' })),
      },
    ],
    userDefinedMetadata: { um: metadata },
  };
  return {
    'model.json': stringToBytes(canonicalJson(modelJson)),
    'weights.bin': tensorsToBytes(state.weights),
    'optimizer.bin': tensorsToBytes(state.slots),
  };
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Reads checkpoint files into a state of the given layout, refusing anything that is not exactly
 * right: malformed model.json, tensor count or shape differences, wrong dtype, truncated or
 * oversized .bin files, NaN/Inf values, and a hash that differs from the metadata's or `expectedHash`.
 */
export function decodeCheckpoint(
  files: CheckpointFiles,
  layout: StateLayout,
  options: { expectedHash?: Hex } = {},
): { state: TrainingState; stateHash: Hex; metadata: CheckpointMetadata } {
  for (const name of checkpointFileNames) {
    if (!(files[name] instanceof Uint8Array))
      throw new InvalidCheckpointError(`checkpoint is missing ${name}`);
  }
  let json: {
    weightsManifest?: {
      paths?: string[];
      weights?: { name: string; shape: number[]; dtype?: string }[];
    }[];
    userDefinedMetadata?: { um?: CheckpointMetadata };
  };
  try {
    json = JSON.parse(bytesToString(files['model.json']));
  } catch (error) {
    throw new InvalidCheckpointError(`model.json is not JSON: ${(error as Error).message}`);
  }
  const manifest = json.weightsManifest;
  if (
    !Array.isArray(manifest) ||
    manifest.length !== 1 ||
    manifest[0]?.paths?.join() !== 'weights.bin'
  ) {
    throw new InvalidCheckpointError(
      'model.json must have one weightsManifest group with paths ["weights.bin"]',
    );
  }
  const specs = manifest[0]!.weights ?? [];
  const metadata = json.userDefinedMetadata?.um;
  if (
    !metadata ||
    metadata.version !== 1 ||
    !Number.isSafeInteger(metadata.step) ||
    metadata.step < 0
  ) {
    throw new InvalidCheckpointError(
      'model.json lacks userDefinedMetadata.um {version: 1, step, stateHash, slots}',
    );
  }
  const slotSpecs = metadata.slots?.tensors ?? [];
  for (const [kind, found, expected] of [
    ['weight', specs, layout.weights],
    ['optimizer slot', slotSpecs, layout.slots],
  ] as const) {
    if (found.length !== expected.length) {
      throw new StateShapeError(
        `checkpoint has ${found.length} ${kind} tensors, the model needs ${expected.length}`,
      );
    }
    expected.forEach((spec, i) => {
      const got = found[i]!;
      if ('dtype' in got && got.dtype !== undefined && got.dtype !== 'float32') {
        throw new InvalidCheckpointError(
          `checkpoint ${kind} ${got.name} has dtype ${got.dtype}, expected float32`,
        );
      }
      if (!Array.isArray(got.shape) || !sameShape(got.shape, spec.shape)) {
        throw new StateShapeError(
          `checkpoint ${kind} ${i} (${got.name}) has shape [${got.shape}], the model's ${spec.name} has [${spec.shape.join(', ')}]`,
        );
      }
    });
  }
  const weights = bytesToTensors(layout.weights, files['weights.bin'], 'weights.bin');
  const slots = bytesToTensors(layout.slots, files['optimizer.bin'], 'optimizer.bin');
  const state: TrainingState = { step: metadata.step, weights, slots };
  validateState(layout, state);
  const actual = keccak256PartsHex([files['weights.bin'], files['optimizer.bin']]);
  if (actual !== String(metadata.stateHash).toLowerCase())
    throw new StateHashMismatchError(metadata.stateHash, actual);
  if (options.expectedHash && actual !== options.expectedHash.toLowerCase())
    throw new StateHashMismatchError(options.expectedHash, actual);
  return { state, stateHash: actual, metadata };
}

/** An IOHandler for tf.loadLayersModel over checkpoint files held in memory. */
export function checkpointIOHandler(files: CheckpointFiles): tf.io.IOHandler {
  const json = JSON.parse(bytesToString(files['model.json'])) as tf.io.ModelJSON;
  const weights = files['weights.bin'];
  return tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest[0]!.weights,
    weightData: weights.buffer.slice(
      weights.byteOffset,
      weights.byteOffset + weights.byteLength,
    ) as ArrayBuffer,
  });
}

/** Fetches a checkpoint directory through an HTTP gateway: `${gateway}/ipfs/${cid}/<file>`. */
export async function fetchCheckpoint(
  gateway: string,
  cid: string,
  fetchImpl: typeof fetch = fetch,
): Promise<CheckpointFiles> {
  const base = gateway.replace(/\/+$/, '');
  const entries = await Promise.all(
    checkpointFileNames.map(async (name) => {
      const response = await fetchImpl(`${base}/ipfs/${cid}/${name}`);
      if (!response.ok)
        throw new InvalidCheckpointError(`gateway answered ${response.status} for ${cid}/${name}`);
      return [name, new Uint8Array(await response.arrayBuffer())] as const;
    }),
  );
  return Object.fromEntries(entries) as unknown as CheckpointFiles;
}
