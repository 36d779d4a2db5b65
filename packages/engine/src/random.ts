import { stringToBytes } from 'viem';
import { keccak256Bytes } from './keccak.js';

/**
 * The engine's only source of randomness: keccak256 over a domain tag and 32-byte big-endian
 * words. Everything random (batch order, initial weights, synthetic data, evaluation samples) is a
 * pure function of a seed through these, so another implementation reproduces it exactly:
 *
 *   draw(tag, w0, w1, …) = keccak256(ascii(tag) ‖ uint256be(w0) ‖ uint256be(w1) ‖ …)
 */

export type Seed = bigint | number | `0x${string}`;

/** Domain tags (ASCII, no terminator) that keep the streams independent. */
export const tags = {
  schedule: 'um/schedule/v1',
  init: 'um/init/v1',
  synthetic: 'um/synthetic/v1',
  evaluationInputs: 'um/evaluation-inputs/v1',
  evaluationSample: 'um/evaluation-sample/v1',
} as const;

const UINT256_MAX = (1n << 256n) - 1n;

export class SeedError extends RangeError {
  override name = 'SeedError';
}

/** A seed as a uint256: a non-negative integer (number ≤ 2^53-1, or bigint) or 0x hex of ≤ 32 bytes. */
export function seedToBigInt(seed: Seed): bigint {
  let value: bigint;
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new SeedError(`seed ${seed} is not a non-negative safe integer`);
    value = BigInt(seed);
  } else if (typeof seed === 'string') {
    if (!/^0x[0-9a-fA-F]{1,64}$/.test(seed))
      throw new SeedError(`seed ${seed} is not 0x hex of at most 32 bytes`);
    value = BigInt(seed);
  } else value = seed;
  if (value < 0n || value > UINT256_MAX) throw new SeedError(`seed ${value} is outside uint256`);
  return value;
}

const tagBytes = new Map<string, Uint8Array>();

/** keccak256(ascii(tag) ‖ uint256be(words…)) as 32 bytes. */
export function draw(tag: string, ...words: readonly (bigint | number)[]): Uint8Array {
  let prefix = tagBytes.get(tag);
  if (!prefix) tagBytes.set(tag, (prefix = stringToBytes(tag)));
  const input = new Uint8Array(prefix.length + 32 * words.length);
  input.set(prefix);
  words.forEach((word, i) => writeUint256(input, prefix.length + 32 * i, word));
  return keccak256Bytes(input);
}

function writeUint256(target: Uint8Array, offset: number, word: bigint | number): void {
  if (typeof word === 'number' && Number.isSafeInteger(word) && word >= 0) {
    // Fast path: a safe integer fits in the last 7 bytes.
    let rest = word;
    for (let i = 31; i >= 25; i--) {
      target[offset + i] = rest % 256;
      rest = Math.floor(rest / 256);
    }
    return;
  }
  let rest = BigInt(word);
  for (let i = 31; i >= 0; i--) {
    target[offset + i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}

/** The 32 bytes as a uint256. */
export function toUint256(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/** uint256(bytes) mod m for 1 ≤ m ≤ 2^32, without bigints (Horner over the bytes). */
export function modUint256(bytes: Uint8Array, m: number): number {
  let r = 0;
  for (const byte of bytes) r = (r * 256 + byte) % m;
  return r;
}

/**
 * Uniform double in [0, 1) from 64-bit word `k` (0..3) of a 32-byte draw: the word's top 53 bits
 * (big-endian bytes 8k..8k+7, shifted right by 11) divided by 2^53. Exact in IEEE double.
 */
export function uniformFromWord(bytes: Uint8Array, k: number): number {
  const o = 8 * k;
  const high =
    ((bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!) >>> 0;
  const low =
    ((bytes[o + 4]! << 24) | (bytes[o + 5]! << 16) | (bytes[o + 6]! << 8) | bytes[o + 7]!) >>> 0;
  // top 53 bits = high (32 bits) then the top 21 bits of low
  return (high * 2 ** 21 + (low >>> 11)) / 2 ** 53;
}

/**
 * A keccak Fisher–Yates permutation of 0..n-1:
 *   perm = [0, 1, …, n-1]
 *   for i = n-1 down to 1: j = uint256(draw(tag, seed, round, i)) mod (i+1); swap(perm[i], perm[j])
 */
export function permutation(tag: string, seed: bigint, round: number, n: number): Uint32Array {
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i >= 1; i--) {
    const j = modUint256(draw(tag, seed, round, i), i + 1);
    const tmp = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = tmp;
  }
  return perm;
}
