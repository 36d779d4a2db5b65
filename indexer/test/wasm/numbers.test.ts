import { describe, expect, it } from 'vitest';
import {
  bigDecimalDividedBy,
  bigDecimalToString,
  bigIntFromSignedLe,
  bigIntToSignedLe,
  checkBigDecimal,
  normalizeBigDecimal,
  parseBigDecimal,
  parseBigInt,
} from '../../src/wasm/numbers.js';

const dec = (s: string) => parseBigDecimal(s);
const str = (v: ReturnType<typeof parseBigDecimal>) => bigDecimalToString(v);

describe('numbers as graph-node encodes them', () => {
  it('BigInt is minimal little-endian two’s complement', () => {
    const cases: [bigint, number[]][] = [
      [0n, [0]],
      [127n, [0x7f]],
      [128n, [0x80, 0]],
      [255n, [0xff, 0]],
      [-1n, [0xff]],
      [-128n, [0x80]],
      [-129n, [0x7f, 0xff]],
    ];
    for (const [value, bytes] of cases) {
      expect([...bigIntToSignedLe(value)]).toEqual(bytes);
      expect(bigIntFromSignedLe(Uint8Array.from(bytes))).toBe(value);
    }
    expect(bigIntFromSignedLe(new Uint8Array())).toBe(0n);
    expect(parseBigInt('+1_000')).toBe(1000n);
    expect(() => parseBigInt('1e3')).toThrow(/is not a BigInt/);
  });

  it('BigDecimal: 34 significant digits, graph-node integration-test values', () => {
    expect(str(bigDecimalDividedBy(dec('1'), dec('10')))).toBe('0.1');
    expect(str(dec('9'.repeat(35)))).toBe('1' + '0'.repeat(35));
    expect(str(dec('88888888888888888888888888888888888'))).toBe(
      '88888888888888888888888888888888890',
    );
    // negative values truncate (bigdecimal 0.1.2 with_prec quirk)
    expect(str(dec('-88888888888888888888888888888888888'))).toBe(
      '-88888888888888888888888888888888880',
    );
    const tiny = checkBigDecimal({ digits: 99999999999999999999999999999999968n, exp: -6109 - 35 });
    expect(tiny).toEqual({ digits: 9999999999999999999999999999999997n, exp: -6143 });
    expect(() => checkBigDecimal({ digits: 1n, exp: 6145 })).toThrow(/outside the/);
    expect(str(dec('1e35'))).toBe('100000000000000000000000000000000000');
    expect(str(dec('1e-7'))).toBe('0.0000001');
    expect(str(dec('-0.000'))).toBe('0');
    expect(normalizeBigDecimal({ digits: 1200n, exp: -2 })).toEqual({ digits: 12n, exp: 0 });
    expect(() => dec('1.2.3')).toThrow(/is not a BigDecimal/);
    expect(() => bigDecimalDividedBy(dec('1'), dec('0'))).toThrow(/Division by zero/);
  });
});
