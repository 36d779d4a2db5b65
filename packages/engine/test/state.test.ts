import { keccak256 } from 'viem';
import { describe, expect, it } from 'vitest';
import {
  NonFiniteStateError,
  OversizedStateError,
  stateBytes,
  stateFromBytes,
  stateHash,
  StateHashMismatchError,
  StateShapeError,
  TruncatedStateError,
  type StateLayout,
} from '../src/index.js';

const layout: StateLayout = {
  weights: [
    { name: 'd/kernel', shape: [2, 2] },
    { name: 'd/bias', shape: [2] },
  ],
  slots: [{ name: 'd/kernel/momentum', shape: [2, 2] }],
};
const state = {
  step: 3,
  weights: [new Float32Array([1, -2, 0.5, 3]), new Float32Array([0, 1])],
  slots: [new Float32Array([0.25, 0, 0, -1])],
};

describe('canonical state bytes', () => {
  it('are the float32 LE values of the weights then the slots', () => {
    const bytes = stateBytes(state);
    expect(bytes.length).toBe(40);
    const view = new DataView(bytes.buffer);
    expect(Array.from({ length: 10 }, (_, i) => view.getFloat32(4 * i, true))).toEqual([
      1, -2, 0.5, 3, 0, 1, 0.25, 0, 0, -1,
    ]);
    expect(Buffer.from(bytes.subarray(0, 8)).toString('hex')).toBe('0000803f000000c0'); // 1.0, -2.0
    expect(stateHash(state)).toBe(keccak256(bytes));
  });

  it('round-trip through stateFromBytes', () => {
    const back = stateFromBytes(layout, stateBytes(state), {
      step: 3,
      expectedHash: stateHash(state),
    });
    expect(stateHash(back)).toBe(stateHash(state));
    expect(back.weights.map((w) => [...w])).toEqual(state.weights.map((w) => [...w]));
  });

  it('reject truncated, oversized, non-finite and mismatching bytes with typed errors', () => {
    const bytes = stateBytes(state);
    expect(() => stateFromBytes(layout, bytes.subarray(0, 36), { step: 3 })).toThrowError(
      TruncatedStateError,
    );
    expect(() =>
      stateFromBytes(layout, new Uint8Array([...bytes, 0, 0, 0, 0]), { step: 3 }),
    ).toThrowError(OversizedStateError);
    const nan = bytes.slice();
    new DataView(nan.buffer).setFloat32(8, Number.NaN, true);
    expect(() => stateFromBytes(layout, nan, { step: 3 })).toThrowError(NonFiniteStateError);
    expect(() => stateFromBytes(layout, nan, { step: 3 })).toThrowError(/d\/kernel .* element 2/);
    const inf = bytes.slice();
    new DataView(inf.buffer).setFloat32(36, Number.POSITIVE_INFINITY, true);
    expect(() => stateFromBytes(layout, inf, { step: 3 })).toThrowError(/d\/kernel\/momentum/);
    expect(() =>
      stateFromBytes(layout, bytes, { step: 3, expectedHash: keccak256(nan) }),
    ).toThrowError(StateHashMismatchError);
    const twoWeightsOnly = stateBytes({ weights: state.weights, slots: [] });
    expect(() => stateFromBytes(layout, twoWeightsOnly, { step: 3 })).toThrowError(
      /24 bytes, the layout needs 40/,
    );
  });

  it('reject tensors of the wrong shape', async () => {
    const { validateState } = await import('../src/index.js');
    expect(() =>
      validateState(layout, {
        weights: [new Float32Array(3), new Float32Array(2)],
        slots: state.slots,
      }),
    ).toThrowError(StateShapeError);
  });
});
