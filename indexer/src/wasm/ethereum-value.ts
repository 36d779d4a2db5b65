import {
  type AbiFunction,
  type AbiParameter,
  type Hex,
  bytesToHex,
  concatHex,
  toFunctionSelector,
  decodeAbiParameters,
  encodeAbiParameters,
  hexToBytes,
  parseAbiParameter,
} from 'viem';
import { DeterministicError } from './errors.js';

/** graph-node's ethereum.Value kinds (graph-ts `ethereum.ValueKind`, plus FUNCTION). */
export const EthValueKind = {
  Address: 0,
  FixedBytes: 1,
  Bytes: 2,
  Int: 3,
  Uint: 4,
  Bool: 5,
  String: 6,
  FixedArray: 7,
  Array: 8,
  Tuple: 9,
  Function: 10,
} as const;

export type EthValue =
  | { readonly kind: 'address'; readonly value: Uint8Array }
  | { readonly kind: 'fixedBytes'; readonly value: Uint8Array }
  | { readonly kind: 'bytes'; readonly value: Uint8Array }
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'uint'; readonly value: bigint }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'fixedArray'; readonly value: readonly EthValue[] }
  | { readonly kind: 'array'; readonly value: readonly EthValue[] }
  | { readonly kind: 'tuple'; readonly value: readonly EthValue[] }
  | { readonly kind: 'function'; readonly value: Uint8Array };

/** Parses `uint256[2][]` into the element type and the outer array dimension. */
function splitArrayType(type: string): { inner: string; size: number | null } | null {
  const match = /^(.*)\[(\d*)\]$/.exec(type);
  if (!match) return null;
  return { inner: match[1]!, size: match[2] === '' ? null : Number(match[2]) };
}

function isDynamic(param: AbiParameter): boolean {
  const arr = splitArrayType(param.type);
  if (arr) return arr.size === null || isDynamic({ ...param, type: arr.inner });
  if (param.type === 'string' || param.type === 'bytes') return true;
  if (param.type === 'tuple') {
    return ((param as { components?: readonly AbiParameter[] }).components ?? []).some(isDynamic);
  }
  return false;
}

/** Converts a value decoded by viem into graph-node's ethereum.Value, driven by the ABI type. */
export function toEthValue(param: AbiParameter, value: unknown): EthValue {
  const arr = splitArrayType(param.type);
  if (arr) {
    const inner = { ...param, type: arr.inner } as AbiParameter;
    const items = (value as readonly unknown[]).map((v) => toEthValue(inner, v));
    return { kind: arr.size === null ? 'array' : 'fixedArray', value: items };
  }
  const type = param.type;
  if (type === 'address') return { kind: 'address', value: hexToBytes(value as `0x${string}`) };
  if (type === 'bool') return { kind: 'bool', value: value as boolean };
  if (type === 'string') return { kind: 'string', value: value as string };
  if (type === 'bytes') return { kind: 'bytes', value: hexToBytes(value as `0x${string}`) };
  if (type === 'function') return { kind: 'function', value: hexToBytes(value as `0x${string}`) };
  if (type.startsWith('bytes'))
    return { kind: 'fixedBytes', value: hexToBytes(value as `0x${string}`) };
  if (type.startsWith('uint')) return { kind: 'uint', value: BigInt(value as bigint | number) };
  if (type.startsWith('int')) return { kind: 'int', value: BigInt(value as bigint | number) };
  if (type === 'tuple') {
    const components = (param as { components: readonly AbiParameter[] }).components;
    const items = components.map((c, i) => {
      const v = Array.isArray(value)
        ? value[i]
        : (value as Record<string, unknown>)[c.name ?? String(i)];
      return toEthValue(c, v);
    });
    return { kind: 'tuple', value: items };
  }
  throw new DeterministicError(`unsupported ABI type ${type}`);
}

/** Converts graph-node's ethereum.Value into a viem input value for `param`, type-checking it. */
export function fromEthValue(param: AbiParameter, value: EthValue): unknown {
  const fail = (): never => {
    throw new TypeMismatchError(`expected a value of type ${param.type}, got ${value.kind}`);
  };
  const arr = splitArrayType(param.type);
  if (arr) {
    if (value.kind !== 'array' && value.kind !== 'fixedArray') fail();
    const items = value.value as readonly EthValue[];
    if (arr.size !== null && items.length !== arr.size) fail();
    const inner = { ...param, type: arr.inner } as AbiParameter;
    return items.map((v) => fromEthValue(inner, v));
  }
  const type = param.type;
  switch (value.kind) {
    case 'address':
      if (type !== 'address') fail();
      return bytesToHex(value.value);
    case 'bool':
      if (type !== 'bool') fail();
      return value.value;
    case 'string':
      if (type !== 'string') fail();
      return value.value;
    case 'bytes':
      if (type !== 'bytes') fail();
      return bytesToHex(value.value);
    case 'function':
      if (type !== 'function') fail();
      return bytesToHex(value.value);
    case 'fixedBytes': {
      // ethabi (graph-node) accepts up to N bytes for a bytesN and right-pads them with zeros,
      // e.g. a 2-byte value for a bytes32 argument.
      const size = /^bytes(\d+)$/.exec(type)?.[1];
      if (!size || value.value.length > Number(size)) fail();
      const padded = new Uint8Array(Number(size));
      padded.set(value.value);
      return bytesToHex(padded);
    }
    case 'uint':
      if (!type.startsWith('uint')) fail();
      return value.value;
    case 'int':
      if (!type.startsWith('int')) fail();
      return value.value;
    case 'tuple': {
      if (type !== 'tuple') fail();
      const components = (param as { components: readonly AbiParameter[] }).components;
      if (components.length !== value.value.length) fail();
      return components.map((c, i) => fromEthValue(c, value.value[i]!));
    }
    default:
      return fail();
  }
}

export class TypeMismatchError extends Error {
  override name = 'TypeMismatchError';
}

/**
 * The parameter as ethabi encodes a graph-node token for it: integers of every width as full
 * 256-bit words (ethabi type-checks `Int`/`Uint` against any width and does not range-check), so
 * a value that viem would refuse for a `uint8` is encoded as graph-node encodes it.
 */
export function widenIntegers(param: AbiParameter): AbiParameter {
  const arr = splitArrayType(param.type);
  if (arr) {
    const inner = widenIntegers({ ...param, type: arr.inner } as AbiParameter);
    return { ...inner, type: `${inner.type}[${arr.size ?? ''}]` } as AbiParameter;
  }
  if (/^uint\d*$/.test(param.type)) return { ...param, type: 'uint256' };
  if (/^int\d*$/.test(param.type)) return { ...param, type: 'int256' };
  if (param.type === 'tuple') {
    const components = (param as { components: readonly AbiParameter[] }).components;
    return { ...param, components: components.map(widenIntegers) } as AbiParameter;
  }
  return param;
}

/**
 * Call data for `ethereum.call`: the function's selector and its arguments encoded the way
 * graph-node (ethabi) encodes them. Throws `TypeMismatchError` for a value ethabi's type check
 * refuses.
 */
export function encodeCallData(fn: AbiFunction, args: readonly EthValue[]): Hex {
  if (args.length !== fn.inputs.length)
    throw new TypeMismatchError(`expected ${fn.inputs.length} arguments, got ${args.length}`);
  const values = fn.inputs.map((p, i) => fromEthValue(p, args[i]!));
  const encoded = encodeAbiParameters(fn.inputs.map(widenIntegers), values);
  return concatHex([toFunctionSelector(fn), encoded]);
}

/** The Solidity type of a value (ints are 256-bit, as ethabi encodes them). */
export function ethValueParam(value: EthValue): AbiParameter {
  switch (value.kind) {
    case 'address':
    case 'bool':
    case 'string':
    case 'bytes':
    case 'function':
      return { type: value.kind };
    case 'fixedBytes':
      return { type: `bytes${value.value.length}` };
    case 'uint':
      return { type: 'uint256' };
    case 'int':
      return { type: 'int256' };
    case 'array':
    case 'fixedArray': {
      const inner: AbiParameter = value.value[0]
        ? ethValueParam(value.value[0])
        : { type: 'uint256' };
      const suffix = value.kind === 'array' ? '[]' : `[${value.value.length}]`;
      return { ...inner, type: inner.type + suffix } as AbiParameter;
    }
    case 'tuple':
      return { type: 'tuple', components: value.value.map(ethValueParam) } as AbiParameter;
  }
}

/** `ethereum.encode`: one value; a tuple is encoded as a parameter list (ethabi `encode(&[token])`). */
export function encodeEthValue(value: EthValue): Uint8Array {
  const param = ethValueParam(value);
  const hex = encodeAbiParameters([param], [fromEthValue(param, value)]);
  return hexToBytes(hex);
}

/** `ethereum.decode`: parses a Solidity type such as `(address,(uint256[2],bool))` and decodes. */
export function decodeEthValue(types: string, data: Uint8Array): EthValue {
  const param = parseTypeString(types);
  const [decoded] = decodeAbiParameters([param], bytesToHex(data));
  return toEthValue(param, decoded);
}

function parseTypeString(types: string): AbiParameter {
  const text = types.trim();
  if (text.startsWith('(')) {
    // abitype wants `(a,b)` tuple syntax with names optional; it accepts it as-is.
    return parseAbiParameter(text) as AbiParameter;
  }
  return parseAbiParameter(text) as AbiParameter;
}

/**
 * Decodes a log with its ABI event into parameters in ABI input order; indexed dynamic values
 * arrive as their 32-byte topic (FIXED_BYTES), as graph-node (alloy) reports them.
 */
export function decodeEventParams(
  inputs: readonly AbiParameter[],
  topics: readonly `0x${string}`[],
  data: `0x${string}`,
): { name: string; value: EthValue }[] {
  const indexed = inputs.filter((i) => (i as { indexed?: boolean }).indexed);
  const plain = inputs.filter((i) => !(i as { indexed?: boolean }).indexed);
  if (topics.length !== indexed.length + 1) throw new Error('topic count does not match the event');
  const decodedPlain = plain.length > 0 ? decodeAbiParameters(plain, data) : [];
  let t = 1;
  let d = 0;
  return inputs.map((input) => {
    const name = input.name ?? '';
    if ((input as { indexed?: boolean }).indexed) {
      const topic = topics[t++]!;
      if (isDynamic(input))
        return { name, value: { kind: 'fixedBytes', value: hexToBytes(topic) } };
      const [v] = decodeAbiParameters([input], topic);
      return { name, value: toEthValue(input, v) };
    }
    return { name, value: toEthValue(input, decodedPlain[d++]) };
  });
}
