import type { Hex } from 'viem';
import { keccak256Hex as keccak256, keccak256PartsHex } from './keccak.js';
import { assertLittleEndian } from './endian.js';
import { EngineError } from './errors.js';

/** Name and shape of one float32 tensor of the state, in canonical order. */
export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/**
 * The canonical order of a state: the model's weights in TF.js weights-manifest order
 * (model.weights: trainable then non-trainable, layer by layer), then the optimizer slots
 * (see optimizer.ts for their order).
 */
export interface StateLayout {
  readonly weights: readonly TensorSpec[];
  readonly slots: readonly TensorSpec[];
}

/** Training state after `step` steps (0 = the initial state). */
export interface TrainingState {
  readonly step: number;
  readonly weights: readonly Float32Array[];
  readonly slots: readonly Float32Array[];
}

export class StateShapeError extends EngineError {
  override name = 'StateShapeError';
}
export class TruncatedStateError extends EngineError {
  override name = 'TruncatedStateError';
}
export class OversizedStateError extends EngineError {
  override name = 'OversizedStateError';
}
export class NonFiniteStateError extends EngineError {
  override name = 'NonFiniteStateError';
  constructor(
    readonly tensor: string,
    readonly index: number,
    readonly value: number,
  ) {
    super(`state tensor ${tensor} holds a non-finite value (${value}) at element ${index}`);
  }
}
export class StateHashMismatchError extends EngineError {
  override name = 'StateHashMismatchError';
  constructor(
    readonly expected: Hex,
    readonly actual: Hex,
  ) {
    super(`state hash mismatch: expected ${expected}, the bytes hash to ${actual}`);
  }
}

export const tensorSize = (spec: TensorSpec): number => spec.shape.reduce((a, b) => a * b, 1);

/** Number of float32 values in a state of this layout. */
export const layoutLength = (layout: StateLayout): number =>
  [...layout.weights, ...layout.slots].reduce((n, spec) => n + tensorSize(spec), 0);

/** Checks every tensor's length against the layout and that every value is finite. */
export function validateState(
  layout: StateLayout,
  state: Pick<TrainingState, 'weights' | 'slots'>,
): void {
  for (const [kind, specs, tensors] of [
    ['weights', layout.weights, state.weights],
    ['slots', layout.slots, state.slots],
  ] as const) {
    if (specs.length !== tensors.length) {
      throw new StateShapeError(
        `state has ${tensors.length} ${kind} tensors, the model needs ${specs.length}`,
      );
    }
    specs.forEach((spec, i) => {
      const values = tensors[i]!;
      if (values.length !== tensorSize(spec)) {
        throw new StateShapeError(
          `state tensor ${spec.name} has ${values.length} values, shape [${spec.shape.join(', ')}] needs ${tensorSize(spec)}`,
        );
      }
      for (let k = 0; k < values.length; k++) {
        if (!Number.isFinite(values[k]!)) throw new NonFiniteStateError(spec.name, k, values[k]!);
      }
    });
  }
}

/** Canonical bytes of a list of tensors: their float32 values, little-endian, concatenated. */
export function tensorsToBytes(tensors: readonly Float32Array[]): Uint8Array {
  assertLittleEndian();
  const total = tensors.reduce((n, t) => n + t.length, 0);
  const bytes = new Uint8Array(4 * total);
  let offset = 0;
  for (const t of tensors) {
    bytes.set(new Uint8Array(t.buffer, t.byteOffset, 4 * t.length), offset);
    offset += 4 * t.length;
  }
  return bytes;
}

/** Canonical state bytes: weights then slots, float32 little-endian. */
export const stateBytes = (state: Pick<TrainingState, 'weights' | 'slots'>): Uint8Array =>
  tensorsToBytes([...state.weights, ...state.slots]);

/**
 * stateHash = keccak256(canonical state bytes). Hashes the tensors' own bytes in place (on a
 * little-endian host a Float32Array's memory is its canonical encoding), so no state-sized copy.
 */
export function stateHash(state: Pick<TrainingState, 'weights' | 'slots'>): Hex {
  assertLittleEndian();
  return keccak256PartsHex(
    [...state.weights, ...state.slots].map(
      (t) => new Uint8Array(t.buffer, t.byteOffset, 4 * t.length),
    ),
  );
}

/** Splits bytes into tensors of the given specs; exact length required. */
export function bytesToTensors(
  specs: readonly TensorSpec[],
  bytes: Uint8Array,
  what: string,
): Float32Array[] {
  assertLittleEndian();
  const expected = 4 * specs.reduce((n, spec) => n + tensorSize(spec), 0);
  if (bytes.length < expected)
    throw new TruncatedStateError(
      `${what} has ${bytes.length} bytes, the layout needs ${expected}`,
    );
  if (bytes.length > expected)
    throw new OversizedStateError(
      `${what} has ${bytes.length} bytes, the layout needs only ${expected}`,
    );
  const copy = bytes.slice(); // aligned copy
  let offset = 0;
  return specs.map((spec) => {
    const n = tensorSize(spec);
    const tensor = new Float32Array(copy.buffer, offset, n);
    offset += 4 * n;
    return tensor;
  });
}

/**
 * Parses canonical state bytes (weights then slots) into a validated state; with `expectedHash`,
 * demands keccak256(bytes) to match first.
 */
export function stateFromBytes(
  layout: StateLayout,
  bytes: Uint8Array,
  options: { step: number; expectedHash?: Hex },
): TrainingState {
  if (options.expectedHash) {
    const actual = keccak256(bytes);
    if (actual !== options.expectedHash.toLowerCase())
      throw new StateHashMismatchError(options.expectedHash, actual);
  }
  const all = bytesToTensors([...layout.weights, ...layout.slots], bytes, 'state bytes');
  const state = {
    step: options.step,
    weights: all.slice(0, layout.weights.length),
    slots: all.slice(layout.weights.length),
  };
  validateState(layout, state);
  return state;
}
