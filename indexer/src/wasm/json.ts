import { DeterministicError } from './errors.js';

/**
 * A JSON value as graph-node's serde_json (with `arbitrary_precision`) sees it: numbers keep their
 * exact text, and object keys come out sorted (serde_json's default BTreeMap), last duplicate wins.
 */
export type JsonValue =
  | { readonly kind: 'null' }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'array'; readonly value: readonly JsonValue[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, JsonValue])[] };

/** graph-node rejects JSON documents larger than this. */
export const MAX_JSON_SIZE = 10_000_000;

export class JsonParseError extends DeterministicError {
  override name = 'JsonParseError';
}

export function parseJson(text: string): JsonValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new JsonParseError(`${what} at position ${i}`);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const value = (depth: number): JsonValue => {
    if (depth > 128) fail('recursion limit exceeded');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const map = new Map<string, JsonValue>();
      ws();
      if (text[i] === '}') {
        i++;
      } else {
        for (;;) {
          ws();
          if (text[i] !== '"') fail('key must be a string');
          const key = str();
          ws();
          if (text[i++] !== ':') fail('expected `:`');
          map.set(key, value(depth + 1));
          ws();
          const d = text[i++];
          if (d === '}') break;
          if (d !== ',') fail('expected `,` or `}`');
        }
      }
      const entries = [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return { kind: 'object', entries };
    }
    if (c === '[') {
      i++;
      const items: JsonValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
      } else {
        for (;;) {
          items.push(value(depth + 1));
          ws();
          const d = text[i++];
          if (d === ']') break;
          if (d !== ',') fail('expected `,` or `]`');
        }
      }
      return { kind: 'array', value: items };
    }
    if (c === '"') return { kind: 'string', value: str() };
    if (text.startsWith('true', i)) {
      i += 4;
      return { kind: 'bool', value: true };
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return { kind: 'bool', value: false };
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return { kind: 'null' };
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 10_000));
    if (!m) return fail('expected value');
    i += m[0].length;
    return { kind: 'number', text: m[0] };
  };
  const str = (): string => {
    const start = i;
    i++;
    let out = '';
    for (;;) {
      const c = text[i++];
      if (c === undefined) return fail('EOF while parsing a string');
      if (c === '"') return out;
      if (c === '\\') {
        const e = text[i++];
        const map: Record<string, string> = {
          '"': '"',
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        };
        if (e === 'u') {
          const hex = text.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid escape');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
        } else if (e !== undefined && map[e] !== undefined) {
          out += map[e];
        } else {
          fail('invalid escape');
        }
      } else if (c < ' ') {
        fail(`control character in string starting at ${start}`);
      } else {
        out += c;
      }
    }
  };
  const result = value(0);
  ws();
  if (i !== text.length) fail('trailing characters');
  return result;
}

/** Decodes bytes as UTF-8 (strictly) and parses them. */
export function parseJsonBytes(bytes: Uint8Array): JsonValue {
  if (bytes.length > MAX_JSON_SIZE) {
    throw new JsonParseError(`JSON size exceeds max size of ${MAX_JSON_SIZE}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new JsonParseError('invalid UTF-8');
  }
  return parseJson(text);
}
