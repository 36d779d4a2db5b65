import { keccak256, stringToBytes, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import {
  BatchSchedule,
  draw,
  modUint256,
  permutation,
  ScheduleError,
  seedToBigInt,
  SeedError,
  uniformFromWord,
} from '../src/index.js';

describe('keccak draws', () => {
  it('hash the ASCII tag followed by 32-byte big-endian words', () => {
    const expected = keccak256(
      new Uint8Array([
        ...stringToBytes('um/schedule/v1'),
        ...Buffer.from(toHex(42n, { size: 32 }).slice(2), 'hex'),
        ...Buffer.from(toHex(3n, { size: 32 }).slice(2), 'hex'),
      ]),
    );
    expect(toHex(draw('um/schedule/v1', 42, 3n))).toBe(expected);
  });

  it('turn the top 53 bits of a 64-bit word into a double in [0, 1)', () => {
    const bytes = new Uint8Array(32).fill(0xff);
    expect(uniformFromWord(bytes, 0)).toBe(1 - 2 ** -53);
    bytes.fill(0, 8, 16);
    bytes[8] = 0x80;
    expect(uniformFromWord(bytes, 1)).toBe(0.5);
  });

  it('reduce a uint256 modulo small numbers like bigint arithmetic does', () => {
    const bytes = draw('x', 1);
    const big = BigInt(toHex(bytes));
    for (const m of [1, 2, 3, 7, 120, 8000, 2 ** 32])
      expect(modUint256(bytes, m)).toBe(Number(big % BigInt(m)));
  });

  it('accept integer and hex seeds and reject others with a typed error', () => {
    expect(seedToBigInt(`0x${'ff'.repeat(32)}`)).toBe(2n ** 256n - 1n);
    expect(() => seedToBigInt(-1)).toThrowError(SeedError);
    expect(() => seedToBigInt(0.5)).toThrowError(SeedError);
    expect(() => seedToBigInt(`0x${'ff'.repeat(33)}`)).toThrowError(SeedError);
  });
});

describe('batch schedule', () => {
  it('is a permutation per epoch: every example once, then a different order next epoch', () => {
    const schedule = new BatchSchedule(120, 42, 16);
    expect(schedule.batchesPerEpoch).toBe(7); // 112 of 120 per epoch, 8 dropped
    const epoch0 = Array.from({ length: 7 }, (_, k) => [...schedule.batch(k + 1)]).flat();
    expect(new Set(epoch0).size).toBe(112);
    const epoch1 = Array.from({ length: 7 }, (_, k) => [...schedule.batch(k + 8)]).flat();
    expect(epoch1).not.toEqual(epoch0);
    expect([...schedule.epochPermutation(0)].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 120 }, (_, i) => i),
    );
  });

  it('is a pure function of (size, seed, batchSize, t), independent of call order', () => {
    const a = new BatchSchedule(150, 7, 10);
    const b = new BatchSchedule(150, 7, 10);
    const late = [...a.batch(1000)];
    expect([...b.batch(1)]).toEqual([...a.batch(1)]);
    expect([...b.batch(1000)]).toEqual(late);
    expect([...new BatchSchedule(150, 8, 10).batch(1)]).not.toEqual([...a.batch(1)]);
  });

  it('matches the documented Fisher–Yates (golden first batch of the iris schedule)', () => {
    // Reference: perm = 0..n-1; for i = n-1..1: j = keccak256("um/schedule/v1" ‖ seed ‖ epoch ‖ i) mod (i+1); swap.
    const n = 10;
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i >= 1; i--) {
      const j = Number(
        BigInt(
          keccak256(
            new Uint8Array([
              ...stringToBytes('um/schedule/v1'),
              ...[5n, 2n, BigInt(i)].flatMap((w) => [
                ...Buffer.from(toHex(w, { size: 32 }).slice(2), 'hex'),
              ]),
            ]),
          ),
        ) % BigInt(i + 1),
      );
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    expect([...permutation('um/schedule/v1', 5n, 2, n)]).toEqual(perm);
    expect([...new BatchSchedule(120, 42, 16).batch(1)]).toMatchInlineSnapshot(`
      [
        76,
        12,
        81,
        97,
        13,
        22,
        24,
        30,
        10,
        31,
        103,
        1,
        35,
        32,
        11,
        61,
      ]
    `);
  });

  it('rejects impossible schedules with a typed error', () => {
    expect(() => new BatchSchedule(10, 1, 11)).toThrowError(ScheduleError);
    expect(() => new BatchSchedule(10, 1, 0)).toThrowError(ScheduleError);
    expect(() => new BatchSchedule(10, 1, 2).batch(0)).toThrowError(/steps count from 1/);
  });
});
