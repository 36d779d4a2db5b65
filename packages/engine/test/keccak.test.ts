import { keccak256 } from 'viem';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  initKeccak,
  keccak256Bytes,
  keccak256Hex,
  keccak256PartsHex,
  keccakIsFast,
} from '../src/index.js';

const pseudoRandom = (n: number, seed: number): Uint8Array => {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) out[i] = (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) >>> 24;
  return out;
};

describe('keccak256 for state bytes (WebAssembly)', () => {
  beforeAll(async () => {
    await initKeccak();
    expect(keccakIsFast()).toBe(true);
  });

  it('equals viem keccak256 on the empty input and the standard vector', () => {
    expect(keccak256Hex(new Uint8Array())).toBe(
      '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
    );
    expect(keccak256Hex(new TextEncoder().encode('abc'))).toBe(
      keccak256(new TextEncoder().encode('abc')),
    );
  });

  it('equals viem keccak256 for every length around the 136-byte rate boundaries', () => {
    for (let n = 0; n <= 700; n++) {
      const data = pseudoRandom(n, n);
      expect(keccak256Hex(data)).toBe(keccak256(data));
    }
  });

  it('handles unaligned views and large inputs', () => {
    const big = pseudoRandom(1_000_003, 7);
    expect(keccak256Hex(big)).toBe(keccak256(big));
    const unaligned = big.subarray(1, 500_001);
    expect(keccak256Hex(unaligned)).toBe(keccak256(unaligned));
  });

  it('hashes a list of parts exactly like their concatenation', () => {
    const big = pseudoRandom(300_001, 9);
    const parts = [
      big.subarray(0, 7),
      big.subarray(7, 7),
      big.subarray(7, 136 * 900 + 3),
      big.subarray(136 * 900 + 3),
    ];
    expect(keccak256PartsHex(parts)).toBe(keccak256(big));
    expect(keccak256PartsHex([])).toBe(keccak256(new Uint8Array()));
    expect(keccak256Bytes(big)).toEqual(keccak256(big, 'bytes'));
  });
});
