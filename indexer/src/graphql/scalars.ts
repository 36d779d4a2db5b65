import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/**
 * graph-node's custom scalars and how it writes them to JSON: BigInt, Int8 and Timestamp
 * (microseconds) as decimal strings, BigDecimal as plain normalised decimal text, Bytes as
 * `0x` + lowercase hex. Inputs accept what graph-node accepts (strings for big numbers, hex
 * with or without `0x`).
 */

function literalText(ast: ValueNode, allowed: readonly Kind[], scalar: string): string {
  if ((allowed as readonly string[]).includes(ast.kind) && 'value' in ast) return String(ast.value);
  throw new GraphQLError(`Failed to decode \`${scalar}\` value: \`${ast.kind}\``);
}

function parseBigInt(value: unknown, scalar: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim())) return BigInt(value.trim());
  throw new GraphQLError(`Failed to decode \`${scalar}\` value: \`${String(value)}\``);
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Normalises decimal text the way graph-node prints a BigDecimal (no exponent, no trailing zeros). */
export function normaliseDecimal(text: string): string {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new GraphQLError(`Failed to decode \`BigDecimal\` value: \`${text}\``);
  const [rawMantissa = '0', exponentText] = text.trim().toLowerCase().split('e');
  let mantissa = rawMantissa;
  const negative = mantissa.startsWith('-');
  mantissa = mantissa.replace(/^[+-]/, '');
  const [intPart = '', fracPart = ''] = mantissa.split('.');
  let digits = (intPart + fracPart).replace(/^0+/, '');
  let exponent = Number(exponentText ?? 0) - fracPart.length;
  if (digits === '') return '0';
  while (digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    exponent += 1;
  }
  let result: string;
  if (exponent >= 0) result = digits + '0'.repeat(exponent);
  else if (-exponent >= digits.length)
    result = `0.${'0'.repeat(-exponent - digits.length)}${digits}`;
  else
    result = `${digits.slice(0, digits.length + exponent)}.${digits.slice(digits.length + exponent)}`;
  return negative ? `-${result}` : result;
}

export function parseBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') {
    const hex = value.startsWith('0x') || value.startsWith('0X') ? value.slice(2) : value;
    if (hex.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(hex))
      return new Uint8Array(Buffer.from(hex, 'hex'));
  }
  throw new GraphQLError(`Failed to decode \`Bytes\` value: \`${String(value)}\``);
}

export function bytesToHex(value: Uint8Array): string {
  return `0x${Buffer.from(value).toString('hex')}`;
}

export const BigIntScalar = new GraphQLScalarType<bigint, string>({
  name: 'BigInt',
  serialize: (value) => parseBigInt(value, 'BigInt').toString(),
  parseValue: (value) => parseBigInt(value, 'BigInt'),
  parseLiteral: (ast) => parseBigInt(literalText(ast, [Kind.STRING, Kind.INT], 'BigInt'), 'BigInt'),
});

export const Int8Scalar = new GraphQLScalarType<bigint, string>({
  name: 'Int8',
  description: '8 bytes signed integer',
  serialize: (value) => parseBigInt(value, 'Int8').toString(),
  parseValue: (value) => parseBigInt(value, 'Int8'),
  parseLiteral: (ast) => parseBigInt(literalText(ast, [Kind.STRING, Kind.INT], 'Int8'), 'Int8'),
});

export const TimestampScalar = new GraphQLScalarType<bigint, string>({
  name: 'Timestamp',
  description: 'A string representation of microseconds UNIX timestamp (16 digits)',
  serialize: (value) => parseBigInt(value, 'Timestamp').toString(),
  parseValue: (value) => parseBigInt(value, 'Timestamp'),
  parseLiteral: (ast) =>
    parseBigInt(literalText(ast, [Kind.STRING, Kind.INT], 'Timestamp'), 'Timestamp'),
});

export const BigDecimalScalar = new GraphQLScalarType<string, string>({
  name: 'BigDecimal',
  serialize: (value) => normaliseDecimal(String(value)),
  parseValue: (value) => normaliseDecimal(String(value)),
  parseLiteral: (ast) =>
    normaliseDecimal(literalText(ast, [Kind.STRING, Kind.INT, Kind.FLOAT], 'BigDecimal')),
});

export const BytesScalar = new GraphQLScalarType<Uint8Array, string>({
  name: 'Bytes',
  serialize: (value) =>
    value instanceof Uint8Array ? bytesToHex(value) : bytesToHex(parseBytes(value)),
  parseValue: (value) => parseBytes(value),
  parseLiteral: (ast) => parseBytes(literalText(ast, [Kind.STRING], 'Bytes')),
});
