import { hexToBytes } from 'viem';
import type { EntityData, StoreValue } from '../store/types.js';
import type { ChainBlock, ChainLog, ChainReceipt, ChainTransaction } from './chain-types.js';
import { DeterministicError } from './errors.js';
import { type EthValue, EthValueKind } from './ethereum-value.js';
import { type AscHeap, MAX_DEPTH } from './heap.js';
import type { JsonValue } from './json.js';
import {
  type BigDecimalValue,
  bigDecimalToString,
  bigIntFromSignedLe,
  bigIntToSignedLe,
  checkBigDecimal,
  checkBigIntSize,
  parseBigDecimal,
} from './numbers.js';
import { TypeId } from './type-ids.js';

/** graph-ts store `ValueKind`. */
export const StoreValueKind = {
  String: 0,
  Int: 1,
  BigDecimal: 2,
  Bool: 3,
  Array: 4,
  Null: 5,
  Bytes: 6,
  BigInt: 7,
  Int8: 8,
  Timestamp: 9,
} as const;

function depthCheck(depth: number): void {
  if (depth > MAX_DEPTH) throw new DeterministicError('recursion limit reached');
}

// ---- numbers ------------------------------------------------------------------------------------

export function writeBigInt(heap: AscHeap, value: bigint): number {
  return heap.writeBytes(bigIntToSignedLe(value));
}

export function readBigInt(heap: AscHeap, ptr: number): bigint {
  return checkBigIntSize(bigIntFromSignedLe(heap.readBytes(ptr)));
}

export function writeBigDecimal(heap: AscHeap, value: BigDecimalValue): number {
  const digits = writeBigInt(heap, value.digits);
  const exp = writeBigInt(heap, BigInt(value.exp));
  return heap.writeStruct(TypeId.BigDecimal, [digits, exp]);
}

export function readBigDecimal(heap: AscHeap, ptr: number): BigDecimalValue {
  heap.rtSize(ptr, 'BigDecimal');
  const digits = readBigInt(heap, heap.u32(ptr));
  const exp = readBigInt(heap, heap.u32(ptr + 4));
  if (exp > 1_000_000_000n || exp < -1_000_000_000n) {
    throw new DeterministicError(
      `big decimal exponent \`${exp}\` is outside the \`-6143\` to \`6144\` range`,
    );
  }
  return checkBigDecimal({ digits, exp: Number(exp) });
}

// ---- store values and entities -----------------------------------------------------------------

export function writeStoreValue(heap: AscHeap, value: StoreValue): number {
  switch (value.kind) {
    case 'String':
      return heap.writeEnum(
        TypeId.StoreValue,
        StoreValueKind.String,
        heap.writeString(value.value),
      );
    case 'Int':
      return heap.writeEnum(TypeId.StoreValue, StoreValueKind.Int, BigInt(value.value));
    case 'BigDecimal':
      return heap.writeEnum(
        TypeId.StoreValue,
        StoreValueKind.BigDecimal,
        writeBigDecimal(heap, parseBigDecimal(value.value)),
      );
    case 'Bool':
      return heap.writeEnum(TypeId.StoreValue, StoreValueKind.Bool, value.value ? 1 : 0);
    case 'List': {
      const items = value.value.map((v) => writeStoreValue(heap, v));
      return heap.writeEnum(
        TypeId.StoreValue,
        StoreValueKind.Array,
        heap.writePtrArray(TypeId.ArrayStoreValue, items),
      );
    }
    case 'Null':
      return heap.writeEnum(TypeId.StoreValue, StoreValueKind.Null, 0);
    case 'Bytes':
      return heap.writeEnum(TypeId.StoreValue, StoreValueKind.Bytes, heap.writeBytes(value.value));
    case 'BigInt':
      return heap.writeEnum(
        TypeId.StoreValue,
        StoreValueKind.BigInt,
        writeBigInt(heap, value.value),
      );
    case 'Int8':
      return heap.writeEnum(TypeId.StoreValue, StoreValueKind.Int8, value.value);
    case 'Timestamp':
      return heap.writeEnum(TypeId.StoreValue, StoreValueKind.Timestamp, value.value);
  }
}

export function readStoreValue(heap: AscHeap, ptr: number, depth = 0): StoreValue {
  depthCheck(depth);
  const { kind, payload, ptr: p } = heap.readEnum(ptr, 'Value');
  switch (kind) {
    case StoreValueKind.String:
      return { kind: 'String', value: heap.readString(p) };
    case StoreValueKind.Int:
      return { kind: 'Int', value: Number(BigInt.asIntN(32, payload)) };
    case StoreValueKind.BigDecimal:
      return { kind: 'BigDecimal', value: bigDecimalToString(readBigDecimal(heap, p)) };
    case StoreValueKind.Bool:
      return { kind: 'Bool', value: payload !== 0n };
    case StoreValueKind.Array:
      return {
        kind: 'List',
        value: heap.readPtrArray(p).map((item) => readStoreValue(heap, item, depth + 2)),
      };
    case StoreValueKind.Null:
      return { kind: 'Null' };
    case StoreValueKind.Bytes:
      return { kind: 'Bytes', value: heap.readBytes(p) };
    case StoreValueKind.BigInt:
      return { kind: 'BigInt', value: readBigInt(heap, p) };
    case StoreValueKind.Int8:
      return { kind: 'Int8', value: payload };
    case StoreValueKind.Timestamp:
      return { kind: 'Timestamp', value: payload };
    default:
      throw new DeterministicError(`value ${kind} is out of range for StoreValueKind`);
  }
}

/** An entity as graph-node returns it: entries sorted by field name, no NULL values. */
export function writeEntity(heap: AscHeap, entity: EntityData): number {
  const keys = Object.keys(entity)
    .filter((k) => entity[k]!.kind !== 'Null')
    .sort(compareBytewise);
  const entries = keys.map((key) =>
    heap.writeStruct(TypeId.TypedMapEntryStringStoreValue, [
      heap.writeString(key),
      writeStoreValue(heap, entity[key]!),
    ]),
  );
  const array = heap.writePtrArray(TypeId.ArrayTypedMapEntryStringStoreValue, entries);
  return heap.writeStruct(TypeId.TypedMapStringStoreValue, [array]);
}

export function readEntity(heap: AscHeap, ptr: number): Record<string, StoreValue> {
  heap.rtSize(ptr, 'Entity');
  const out: Record<string, StoreValue> = {};
  for (const entry of heap.readPtrArray(heap.u32(ptr))) {
    heap.rtSize(entry, 'TypedMapEntry');
    out[heap.readString(heap.u32(entry))] = readStoreValue(heap, heap.u32(entry + 4), 1);
  }
  return out;
}

export function compareBytewise(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- ethereum.Value ---------------------------------------------------------------------------

export function writeEthValue(heap: AscHeap, value: EthValue): number {
  const e = (kind: number, payload: number | bigint): number =>
    heap.writeEnum(TypeId.EthereumValue, kind, payload);
  switch (value.kind) {
    case 'address':
      return e(EthValueKind.Address, heap.writeBytes(value.value));
    case 'fixedBytes':
      return e(EthValueKind.FixedBytes, heap.writeBytes(value.value));
    case 'bytes':
      return e(EthValueKind.Bytes, heap.writeBytes(value.value));
    case 'int':
      return e(EthValueKind.Int, writeBigInt(heap, value.value));
    case 'uint':
      return e(EthValueKind.Uint, writeBigInt(heap, value.value));
    case 'bool':
      return e(EthValueKind.Bool, value.value ? 1 : 0);
    case 'string':
      return e(EthValueKind.String, heap.writeString(value.value));
    case 'fixedArray':
      return e(EthValueKind.FixedArray, writeEthValueArray(heap, value.value));
    case 'array':
      return e(EthValueKind.Array, writeEthValueArray(heap, value.value));
    case 'tuple':
      return e(EthValueKind.Tuple, writeEthValueArray(heap, value.value));
    case 'function':
      return e(EthValueKind.Function, heap.writeBytes(value.value));
  }
}

export function writeEthValueArray(heap: AscHeap, values: readonly EthValue[]): number {
  return heap.writePtrArray(
    TypeId.ArrayEthereumValue,
    values.map((v) => writeEthValue(heap, v)),
  );
}

const INT256_MAX = (1n << 255n) - 1n;
const INT256_MIN = -(1n << 255n);
const UINT256_MAX = (1n << 256n) - 1n;

export function readEthValue(heap: AscHeap, ptr: number, depth = 0): EthValue {
  depthCheck(depth);
  const { kind, payload, ptr: p } = heap.readEnum(ptr, 'ethereum.Value');
  switch (kind) {
    case EthValueKind.Address: {
      const bytes = heap.readBytes(p);
      if (bytes.length !== 20)
        throw new DeterministicError(`expected array of length 20, found length ${bytes.length}`);
      return { kind: 'address', value: bytes };
    }
    case EthValueKind.FixedBytes:
      return { kind: 'fixedBytes', value: heap.readBytes(p) };
    case EthValueKind.Bytes:
      return { kind: 'bytes', value: heap.readBytes(p) };
    case EthValueKind.Int: {
      const v = readBigInt(heap, p);
      if (v > INT256_MAX || v < INT256_MIN)
        throw new DeterministicError('value does not fit in int256');
      return { kind: 'int', value: v };
    }
    case EthValueKind.Uint: {
      const v = readBigInt(heap, p);
      if (v < 0n || v > UINT256_MAX) throw new DeterministicError('value does not fit in uint256');
      return { kind: 'uint', value: v };
    }
    case EthValueKind.Bool:
      return { kind: 'bool', value: payload !== 0n };
    case EthValueKind.String:
      return { kind: 'string', value: heap.readString(p) };
    case EthValueKind.FixedArray:
    case EthValueKind.Array:
    case EthValueKind.Tuple: {
      const items = heap.readPtrArray(p).map((item) => readEthValue(heap, item, depth + 2));
      const k =
        kind === EthValueKind.FixedArray
          ? 'fixedArray'
          : kind === EthValueKind.Array
            ? 'array'
            : 'tuple';
      return { kind: k, value: items };
    }
    case EthValueKind.Function:
      return { kind: 'function', value: heap.readBytes(p) };
    default:
      throw new DeterministicError(`value ${kind} is out of range for EthereumValueKind`);
  }
}

// ---- Ethereum trigger objects (field order measured on graph-ts 0.38 / asc 0.19) -----------------

const b = (heap: AscHeap, hex: `0x${string}`): number => heap.writeBytes(hexToBytes(hex));
const n = (heap: AscHeap, value: bigint): number => writeBigInt(heap, value);

export function writeBlock(heap: AscHeap, block: ChainBlock): number {
  return heap.writeStruct(TypeId.EthereumBlock, [
    b(heap, block.hash),
    b(heap, block.parentHash),
    b(heap, block.unclesHash),
    b(heap, block.author),
    b(heap, block.stateRoot),
    b(heap, block.transactionsRoot),
    b(heap, block.receiptsRoot),
    n(heap, block.number),
    n(heap, block.gasUsed),
    n(heap, block.gasLimit),
    n(heap, block.timestamp),
    n(heap, block.difficulty),
    n(heap, block.totalDifficulty),
    block.size === null ? 0 : n(heap, block.size),
    block.baseFeePerGas === null ? 0 : n(heap, block.baseFeePerGas),
  ]);
}

export function writeTransaction(heap: AscHeap, tx: ChainTransaction): number {
  return heap.writeStruct(TypeId.EthereumTransaction, [
    b(heap, tx.hash),
    n(heap, tx.index),
    b(heap, tx.from),
    tx.to === null ? 0 : b(heap, tx.to),
    n(heap, tx.value),
    n(heap, tx.gasLimit),
    n(heap, tx.gasPrice),
    b(heap, tx.input),
    n(heap, tx.nonce),
  ]);
}

export function writeLog(heap: AscHeap, log: ChainLog): number {
  const topics = heap.writePtrArray(
    TypeId.ArrayB256,
    log.topics.map((t) => b(heap, t)),
  );
  return heap.writeStruct(TypeId.Log, [
    b(heap, log.address),
    topics,
    b(heap, log.data),
    b(heap, log.blockHash),
    n(heap, log.blockNumber),
    b(heap, log.transactionHash),
    n(heap, log.transactionIndex),
    n(heap, log.logIndex),
    0, // transactionLogIndex: always null in graph-node
    0, // logType: always null
    heap.writeWrappedBool(log.removed),
  ]);
}

export function writeReceipt(heap: AscHeap, receipt: ChainReceipt): number {
  const logs = heap.writePtrArray(
    TypeId.ArrayLog,
    receipt.logs.map((l) => writeLog(heap, l)),
  );
  return heap.writeStruct(TypeId.TransactionReceipt, [
    b(heap, receipt.transactionHash),
    n(heap, receipt.transactionIndex),
    b(heap, receipt.blockHash),
    n(heap, receipt.blockNumber),
    n(heap, receipt.cumulativeGasUsed),
    n(heap, receipt.gasUsed),
    receipt.contractAddress === null ? 0 : b(heap, receipt.contractAddress),
    logs,
    receipt.status === null ? 0 : n(heap, receipt.status),
    receipt.root === null ? 0 : b(heap, receipt.root),
    b(heap, receipt.logsBloom),
  ]);
}

export interface EventTrigger {
  readonly log: ChainLog;
  readonly block: ChainBlock;
  readonly transaction: ChainTransaction;
  readonly params: readonly { readonly name: string; readonly value: EthValue }[];
  readonly receipt: ChainReceipt | null;
}

export function writeEvent(heap: AscHeap, event: EventTrigger): number {
  const logIndex = n(heap, event.log.logIndex);
  const params = heap.writePtrArray(
    TypeId.ArrayEventParam,
    event.params.map((p) =>
      heap.writeStruct(TypeId.EventParam, [heap.writeString(p.name), writeEthValue(heap, p.value)]),
    ),
  );
  return heap.writeStruct(TypeId.EthereumEvent, [
    b(heap, event.log.address),
    logIndex,
    logIndex, // transactionLogIndex: graph-node passes the block log index here
    0, // logType: null
    writeBlock(heap, event.block),
    writeTransaction(heap, event.transaction),
    params,
    event.receipt === null ? 0 : writeReceipt(heap, event.receipt),
  ]);
}

// ---- JSON ---------------------------------------------------------------------------------------

export const JsonKind = { Null: 0, Bool: 1, Number: 2, String: 3, Array: 4, Object: 5 } as const;

export function writeJson(heap: AscHeap, value: JsonValue): number {
  const e = (kind: number, payload: number): number =>
    heap.writeEnum(TypeId.JsonValue, kind, payload);
  switch (value.kind) {
    case 'null':
      return e(JsonKind.Null, 0);
    case 'bool':
      return e(JsonKind.Bool, value.value ? 1 : 0);
    case 'number':
      return e(JsonKind.Number, heap.writeString(value.text));
    case 'string':
      return e(JsonKind.String, heap.writeString(value.value));
    case 'array':
      return e(
        JsonKind.Array,
        heap.writePtrArray(
          TypeId.ArrayJsonValue,
          value.value.map((v) => writeJson(heap, v)),
        ),
      );
    case 'object': {
      const entries = value.entries.map(([k, v]) =>
        heap.writeStruct(TypeId.TypedMapEntryStringJsonValue, [
          heap.writeString(k),
          writeJson(heap, v),
        ]),
      );
      const map = heap.writeStruct(TypeId.TypedMapStringJsonValue, [
        heap.writePtrArray(TypeId.ArrayTypedMapEntryStringJsonValue, entries),
      ]);
      return e(JsonKind.Object, map);
    }
  }
}
