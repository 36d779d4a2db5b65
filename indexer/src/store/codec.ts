import type { EntityData, StoreValue } from './types.js';

/** JSON form of entity data (data source contexts), keeping every value's kind exactly. */
type JsonValue = { k: StoreValue['kind']; v?: unknown };

function encodeValue(value: StoreValue): JsonValue {
  switch (value.kind) {
    case 'Null':
      return { k: 'Null' };
    case 'Bytes':
      return { k: 'Bytes', v: Buffer.from(value.value).toString('hex') };
    case 'Int8':
    case 'BigInt':
    case 'Timestamp':
      return { k: value.kind, v: value.value.toString() };
    case 'List':
      return { k: 'List', v: value.value.map(encodeValue) };
    default:
      return { k: value.kind, v: value.value };
  }
}

function decodeValue(json: JsonValue): StoreValue {
  switch (json.k) {
    case 'Null':
      return { kind: 'Null' };
    case 'Bytes':
      return { kind: 'Bytes', value: new Uint8Array(Buffer.from(String(json.v), 'hex')) };
    case 'Int8':
    case 'BigInt':
    case 'Timestamp':
      return { kind: json.k, value: BigInt(String(json.v)) };
    case 'List':
      return { kind: 'List', value: (json.v as JsonValue[]).map(decodeValue) };
    case 'Int':
      return { kind: 'Int', value: Number(json.v) };
    case 'Bool':
      return { kind: 'Bool', value: Boolean(json.v) };
    default:
      return { kind: json.k, value: String(json.v) };
  }
}

export function encodeEntityJson(data: EntityData): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(data).map(([key, value]) => [key, encodeValue(value)])),
  );
}

export function decodeEntityJson(text: string): EntityData {
  const parsed = JSON.parse(text) as Record<string, JsonValue>;
  return Object.fromEntries(
    Object.entries(parsed).map(([key, value]) => [key, decodeValue(value)]),
  );
}
