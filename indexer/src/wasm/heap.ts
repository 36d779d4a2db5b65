import { DeterministicError } from './errors.js';
import { TypeId, type TypeIdIndex } from './type-ids.js';

/** The exports graph-cli's build (asc --exportRuntime --runtime stub + graph-ts global.ts) provides. */
export interface MappingExports {
  readonly memory: WebAssembly.Memory;
  readonly __new: (size: number, rtId: number) => number;
  readonly id_of_type: (index: number) => number;
  readonly _start?: () => void;
  readonly [name: string]: unknown;
}

const HAS_SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** graph-node refuses to follow pointers deeper than this (`recursion limit reached`). */
const MAX_DEPTH = 128;

/**
 * The AssemblyScript (>= 0.19) memory ABI of one instance: objects are allocated with the module's
 * own `__new` (which writes the 20-byte header: mmInfo, gcInfo, gcInfo2, rtId, rtSize) using class
 * ids from `id_of_type`, and read back through the `rtSize` header field, as graph-node does.
 */
export class AscHeap {
  private view: DataView;
  private bytes: Uint8Array;

  constructor(
    private readonly exports: MappingExports,
    /** Runtime class ids by TypeId index, cached per compiled module. */
    private readonly classIds: Map<number, number>,
  ) {
    this.view = new DataView(exports.memory.buffer);
    this.bytes = new Uint8Array(exports.memory.buffer);
  }

  /** Views detach when memory grows (any call into WASM may grow it). */
  private refresh(): void {
    // Growing memory detaches the old buffer (its views become empty). Memory only grows while
    // WASM runs, so checking for a detached view is enough between host-side reads.
    if (this.bytes.length === 0) this.reattach();
  }

  private reattach(): void {
    this.view = new DataView(this.exports.memory.buffer);
    this.bytes = new Uint8Array(this.exports.memory.buffer);
  }

  classId(index: TypeIdIndex): number {
    let id = this.classIds.get(index);
    if (id === undefined) {
      id = this.exports.id_of_type(index);
      this.classIds.set(index, id);
    }
    return id;
  }

  /** Allocates an object with an exact payload size and returns its (16-aligned) pointer. */
  alloc(index: TypeIdIndex, size: number): number {
    const ptr = this.exports.__new(size, this.classId(index));
    if (this.bytes.buffer !== this.exports.memory.buffer || this.bytes.length === 0)
      this.reattach();
    return ptr;
  }

  // ---- raw access -------------------------------------------------------------------------------

  u32(ptr: number): number {
    this.refresh();
    this.checkRange(ptr, 4);
    return this.view.getUint32(ptr, true);
  }

  i64(ptr: number): bigint {
    this.refresh();
    this.checkRange(ptr, 8);
    return this.view.getBigInt64(ptr, true);
  }

  u8(ptr: number): number {
    this.refresh();
    this.checkRange(ptr, 1);
    return this.bytes[ptr]!;
  }

  setU32(ptr: number, value: number): void {
    this.refresh();
    this.view.setUint32(ptr, value >>> 0, true);
  }

  setI64(ptr: number, value: bigint): void {
    this.refresh();
    this.view.setBigInt64(ptr, value, true);
  }

  setU8(ptr: number, value: number): void {
    this.refresh();
    this.bytes[ptr] = value;
  }

  private checkRange(ptr: number, len: number): void {
    if (ptr < 0 || ptr + len > this.bytes.length) {
      throw new DeterministicError(
        `Heap access out of bounds. Offset: ${ptr}, Size: ${len}, memory size: ${this.bytes.length}`,
      );
    }
  }

  /** Payload length from the header's rtSize, failing like graph-node on null. */
  rtSize(ptr: number, what: string): number {
    if (ptr === 0) {
      throw new DeterministicError(
        `Tried to read AssemblyScript value that is 'null'. Suggestion: look into the function that the error happened and add 'log' calls till you find where a 'null' value is being used as non-nullable. It's likely that you're calling a 'graph-ts' function (or operator) with a 'null' value when it doesn't support it. (reading ${what})`,
      );
    }
    return this.u32(ptr - 4);
  }

  copyOut(ptr: number, len: number): Uint8Array {
    this.refresh();
    this.checkRange(ptr, len);
    return this.bytes.slice(ptr, ptr + len);
  }

  copyIn(ptr: number, data: Uint8Array): void {
    this.refresh();
    this.bytes.set(data, ptr);
  }

  // ---- strings ----------------------------------------------------------------------------------

  writeString(value: string): number {
    const ptr = this.alloc(TypeId.String, value.length * 2);
    this.refresh();
    for (let i = 0; i < value.length; i++)
      this.view.setUint16(ptr + 2 * i, value.charCodeAt(i), true);
    return ptr;
  }

  /** Strict UTF-16 (lone surrogates fail deterministically); `\u0000` removed, as graph-node does. */
  readString(ptr: number): string {
    const size = this.rtSize(ptr, 'string');
    this.refresh();
    this.checkRange(ptr, size);
    // objects are 16-byte aligned, so a Uint16Array view over the payload is valid (little-endian host)
    const units = new Uint16Array(this.bytes.buffer, ptr, size >>> 1);
    let out = '';
    for (let i = 0; i < units.length; i += 4096) {
      out += String.fromCharCode.apply(null, units.subarray(i, i + 4096) as unknown as number[]);
    }
    if (HAS_SURROGATE.test(out) && LONE_SURROGATE.test(out)) {
      throw new DeterministicError('Decoding error: string is not valid UTF-16');
    }
    return out.includes('\u0000') ? out.replaceAll('\u0000', '') : out;
  }

  readNullableString(ptr: number): string | null {
    return ptr === 0 ? null : this.readString(ptr);
  }

  // ---- buffers and typed arrays -------------------------------------------------------------------

  writeArrayBuffer(data: Uint8Array): number {
    const ptr = this.alloc(TypeId.ArrayBuffer, data.length);
    this.copyIn(ptr, data);
    return ptr;
  }

  /** A Uint8Array (also Bytes, Address, BigInt): buffer, dataStart, byteLength. */
  writeBytes(data: Uint8Array): number {
    const buffer = this.writeArrayBuffer(data);
    const ptr = this.alloc(TypeId.Uint8Array, 12);
    this.setU32(ptr, buffer);
    this.setU32(ptr + 4, buffer);
    this.setU32(ptr + 8, data.length);
    return ptr;
  }

  writeNullableBytes(data: Uint8Array | null | undefined): number {
    return data == null ? 0 : this.writeBytes(data);
  }

  readBytes(ptr: number): Uint8Array {
    this.rtSize(ptr, 'Uint8Array');
    const dataStart = this.u32(ptr + 4);
    const byteLength = this.u32(ptr + 8);
    return this.copyOut(dataStart, byteLength);
  }

  // ---- Array<T> -----------------------------------------------------------------------------------

  /** An Array of pointers (or any 4-byte elements). */
  writePtrArray(index: TypeIdIndex, elements: readonly number[]): number {
    const buffer = this.alloc(TypeId.ArrayBuffer, elements.length * 4);
    for (let i = 0; i < elements.length; i++) this.setU32(buffer + 4 * i, elements[i]!);
    return this.writeArrayHeader(index, buffer, elements.length * 4, elements.length);
  }

  writeBoolArray(values: readonly boolean[]): number {
    const buffer = this.alloc(TypeId.ArrayBuffer, values.length);
    for (let i = 0; i < values.length; i++) this.setU8(buffer + i, values[i] ? 1 : 0);
    return this.writeArrayHeader(TypeId.ArrayBool, buffer, values.length, values.length);
  }

  private writeArrayHeader(
    index: TypeIdIndex,
    buffer: number,
    byteLength: number,
    length: number,
  ): number {
    const ptr = this.alloc(index, 16);
    this.setU32(ptr, buffer);
    this.setU32(ptr + 4, buffer);
    this.setU32(ptr + 8, byteLength);
    this.setU32(ptr + 12, length);
    return ptr;
  }

  readPtrArray(ptr: number): number[] {
    this.rtSize(ptr, 'Array');
    const dataStart = this.u32(ptr + 4);
    const length = this.u32(ptr + 12);
    const out: number[] = new Array<number>(length);
    for (let i = 0; i < length; i++) out[i] = this.u32(dataStart + 4 * i);
    return out;
  }

  readStringArray(ptr: number): string[] {
    return this.readPtrArray(ptr).map((p) => this.readString(p));
  }

  // ---- tagged unions (Enum-with-payload: kind u32 @0, payload u64 @8) -----------------------------

  writeEnum(index: TypeIdIndex, kind: number, payload: bigint | number): number {
    const ptr = this.alloc(index, 16);
    this.setU32(ptr, kind);
    this.setU32(ptr + 4, 0);
    this.setI64(ptr + 8, typeof payload === 'bigint' ? payload : BigInt(payload));
    return ptr;
  }

  readEnum(ptr: number, what: string): { kind: number; payload: bigint; ptr: number } {
    this.rtSize(ptr, what);
    const kind = this.u32(ptr);
    const payload = this.i64(ptr + 8);
    return { kind, payload, ptr: Number(payload & 0xffff_ffffn) };
  }

  // ---- objects with pointer fields --------------------------------------------------------------

  writeStruct(index: TypeIdIndex, fields: readonly number[]): number {
    const ptr = this.alloc(index, fields.length * 4);
    for (let i = 0; i < fields.length; i++) this.setU32(ptr + 4 * i, fields[i]!);
    return ptr;
  }

  /** Wrapped<bool> (1-byte payload). */
  writeWrappedBool(value: boolean): number {
    const ptr = this.alloc(TypeId.WrappedBool, 1);
    this.setU8(ptr, value ? 1 : 0);
    return ptr;
  }
}

export { MAX_DEPTH };
