import { keccak256, stringToBytes, type Hex } from 'viem';
import { ProtocolError } from '../errors.js';

/** A value that cannot be written as canonical JSON (undefined, a function, NaN, Infinity, a bigint…). */
export class CanonicalJsonError extends ProtocolError {
  override name = 'CanonicalJsonError';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`cannot write canonical JSON at ${path || '(root)'}: ${reason}`);
  }
}

/**
 * Canonical JSON as in RFC 8785 (JCS): object keys sorted by UTF-16 code units, no whitespace,
 * numbers in ECMAScript's shortest round-trip form, strings escaped as JSON.stringify does.
 * Any two parties that agree on the value agree on the bytes, so keccak256 of them is an identity.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '');
}

function write(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value))
        throw new CanonicalJsonError(path, `${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value))
        return `[${value.map((item, i) => write(item, `${path}[${i}]`)).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${write(v, path ? `${path}.${k}` : k)}`).join(',')}}`;
    }
    default:
      throw new CanonicalJsonError(path, `a ${typeof value} is not JSON`);
  }
}

/** UTF-8 bytes of the canonical JSON of `value`. */
export const canonicalJsonBytes = (value: unknown): Uint8Array =>
  stringToBytes(canonicalJson(value));

/** keccak256 of the canonical JSON bytes: the identity of a document (a run spec's on-chain specHash). */
export const canonicalHash = (value: unknown): Hex => keccak256(canonicalJsonBytes(value));
