import { decodeFunctionData, parseAbiItem, type AbiFunction } from 'viem';
import { describe, expect, it } from 'vitest';
import { TypeMismatchError, encodeCallData } from '../../src/wasm/ethereum-value.js';

// graph-node's overloaded-functions integration test passes a 2-byte value to a bytes32 argument.
const overloaded = parseAbiItem(
  'function exampleFunction(bytes32 b) view returns (string)',
) as AbiFunction;

describe('ethereum.call argument encoding (ethabi rules)', () => {
  it('right-pads a shorter fixed-bytes value to the declared size', () => {
    const data = encodeCallData(overloaded, [
      { kind: 'fixedBytes', value: Uint8Array.of(0x12, 0x34) },
    ]);
    const { args } = decodeFunctionData({ abi: [overloaded], data });
    expect(args[0]).toBe(`0x1234${'0'.repeat(60)}`);
  });

  it('encodes integers of any declared width as full words, as ethabi does', () => {
    const narrow = parseAbiItem('function f(uint8 a, int16 b)') as AbiFunction;
    const data = encodeCallData(narrow, [
      { kind: 'uint', value: 300n },
      { kind: 'int', value: -2n },
    ]);
    expect(data.slice(10)).toBe(`${(300).toString(16).padStart(64, '0')}${'f'.repeat(63)}e`);
  });

  it('refuses what ethabi refuses: longer fixed bytes, wrong kinds, wrong argument count', () => {
    const tooLong = { kind: 'fixedBytes', value: new Uint8Array(33) } as const;
    expect(() => encodeCallData(overloaded, [tooLong])).toThrowError(TypeMismatchError);
    expect(() => encodeCallData(overloaded, [{ kind: 'uint', value: 1n }])).toThrowError(
      TypeMismatchError,
    );
    expect(() => encodeCallData(overloaded, [])).toThrowError(/expected 1 arguments, got 0/);
  });
});
