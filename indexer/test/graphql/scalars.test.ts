import { describe, expect, it } from 'vitest';
import {
  BigIntScalar,
  BytesScalar,
  Int8Scalar,
  TimestampScalar,
  normaliseDecimal,
} from '../../src/graphql/index.js';

describe('graph-node scalars', () => {
  it('prints BigDecimal in plain, normalised notation', () => {
    expect(normaliseDecimal('1.500')).toBe('1.5');
    expect(normaliseDecimal('1e3')).toBe('1000');
    expect(normaliseDecimal('1.2e-3')).toBe('0.0012');
    expect(normaliseDecimal('-0.00')).toBe('0');
    expect(normaliseDecimal('-12.340')).toBe('-12.34');
    expect(normaliseDecimal('1e35')).toBe('100000000000000000000000000000000000');
    expect(() => normaliseDecimal('1.2.3')).toThrowError(/BigDecimal/);
  });

  it('writes big integers as decimal strings and bytes as lowercase 0x hex', () => {
    expect(BigIntScalar.serialize(-(2n ** 200n))).toBe((-(2n ** 200n)).toString());
    expect(Int8Scalar.serialize(-9_223_372_036_854_775_808n)).toBe('-9223372036854775808');
    expect(TimestampScalar.serialize(1_710_837_304_040_956n)).toBe('1710837304040956');
    expect(BytesScalar.serialize(new Uint8Array([0xab, 0x01]))).toBe('0xab01');
  });

  it('accepts graph-node inputs and rejects malformed ones', () => {
    expect(BigIntScalar.parseValue('-42')).toBe(-42n);
    expect(BigIntScalar.parseValue(7)).toBe(7n);
    expect(() => BigIntScalar.parseValue('4.2')).toThrowError(/BigInt/);
    expect(BytesScalar.parseValue('AB01')).toEqual(new Uint8Array([0xab, 0x01]));
    expect(() => BytesScalar.parseValue('0xabc')).toThrowError(/Bytes/);
    expect(() => BytesScalar.parseValue('0xzz')).toThrowError(/Bytes/);
  });
});
