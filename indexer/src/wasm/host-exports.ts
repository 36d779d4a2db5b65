import { bytesToHex, hexToBytes, keccak256 } from 'viem';
import type { DynamicDataSource } from '../store/types.js';
import type { TriggerContext } from './context.js';
import { AsyncDataNeeded, DeterministicError } from './errors.js';
import { decodeEthValue, encodeEthValue, encodeCallData, toEthValue } from './ethereum-value.js';
import type { AscHeap } from './heap.js';
import { parseJsonBytes } from './json.js';
import {
  readBigDecimal,
  readBigInt,
  readEntity,
  readEthValue,
  writeBigDecimal,
  writeBigInt,
  writeEntity,
  writeEthValue,
  writeEthValueArray,
  writeJson,
} from './marshal.js';
import {
  bigDecimalDividedBy,
  bigDecimalEquals,
  bigDecimalFromBigInt,
  bigDecimalMinus,
  bigDecimalPlus,
  bigDecimalTimes,
  bigDecimalToString,
  bigIntDiv,
  bigIntMod,
  checkBigIntSize,
  parseBigDecimal,
  parseBigInt,
} from './numbers.js';
import { TypeId } from './type-ids.js';
import { canonicalType } from '../manifest/load.js';
import type { AbiFunction } from 'viem';
import { decodeFunctionResult } from 'viem';

/** The handler call currently running in an instance of the module. */
export interface Current {
  readonly heap: AscHeap;
  readonly ctx: TriggerContext;
}

type HostFn = (...args: never[]) => unknown;

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export function base58(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = n * 256n + BigInt(b);
  let out = '';
  while (n > 0n) {
    out = BASE58[Number(n % 58n)]! + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = '1' + out;
  }
  return out;
}

const REVERT_MARKERS = [
  'revert',
  'invalid jump destination',
  'invalid opcode',
  'stack limit reached 1024',
  'out of gas',
  'stack underflow',
  'vm execution error',
  'invalidjump',
  'notactivated',
  'invalidfeopcode',
  'stackunderflow',
  'stackoverflow',
  'opcodenotfound',
];

/** Whether an eth_call error message means "the call reverted" to graph-node. */
export function isRevertMessage(message: string): boolean {
  const lower = message.toLowerCase();
  return REVERT_MARKERS.some((m) => lower.includes(m));
}

function functionSignature(fn: AbiFunction): string {
  const inputs = fn.inputs.map(canonicalType).join(',');
  const outputs = fn.outputs.map(canonicalType).join(',');
  return outputs ? `${fn.name}(${inputs}):(${outputs})` : `${fn.name}(${inputs})`;
}

/**
 * graph-node's host functions for Ethereum subgraphs, by import name (graph-node links by name and
 * ignores the module, so does this). `current()` is the running call's heap and context.
 */
export function hostFunctions(current: () => Current): Record<string, HostFn> {
  const heap = (): AscHeap => current().heap;
  const ctx = (): TriggerContext => current().ctx;
  const bigInt2 = (f: (a: bigint, b: bigint) => bigint) => (x: number, y: number) =>
    writeBigInt(heap(), checkBigIntSize(f(readBigInt(heap(), x), readBigInt(heap(), y))));
  const bigDec2 = (f: typeof bigDecimalPlus) => (x: number, y: number) =>
    writeBigDecimal(heap(), f(readBigDecimal(heap(), x), readBigDecimal(heap(), y)));

  const asyncValue = <T>(key: string, what: string, load: () => Promise<T>): T => {
    const results = ctx().asyncResults;
    if (results.has(key)) return results.get(key) as T;
    throw new AsyncDataNeeded(what, async () => {
      results.set(key, await load());
    });
  };

  const createDataSource = (
    namePtr: number,
    paramsPtr: number,
    contextPtr: number | null,
  ): void => {
    const name = heap().readString(namePtr);
    const params = heap().readStringArray(paramsPtr);
    const context = contextPtr === null ? null : readEntity(heap(), contextPtr);
    const { dataSource, services, block, created } = ctx();
    if (!services.templates.has(name)) {
      throw new DeterministicError(
        `Failed to create data source from name \`${name}\`: No template with this name in parent data source \`${dataSource.name}\`. Available names: ${[...services.templates.keys()].join(', ')}.`,
      );
    }
    const raw = (params[0] ?? '').toLowerCase();
    const address = raw.startsWith('0x') ? raw : `0x${raw}`;
    if (!/^0x[0-9a-f]{40}$/.test(address)) {
      throw new DeterministicError(
        `Failed to create data source from name \`${name}\`: invalid address \`${params[0] ?? ''}\``,
      );
    }
    const ds: DynamicDataSource = {
      template: name,
      address: address as `0x${string}`,
      context,
      createdAtBlock: Number(block.number),
    };
    created.push(ds);
  };

  return {
    abort: (msg: number, file: number, line: number, col: number): never => {
      const h = heap();
      const message = msg === 0 ? 'no message' : h.readString(msg);
      const where = file === 0 ? 'unknown' : h.readString(file);
      const pos = line === 0 ? '' : col === 0 ? `, line ${line}` : `, line ${line}, column ${col}`;
      throw new DeterministicError(`Mapping aborted at ${where}${pos}, with message: ${message}`);
    },

    // ---- store ------------------------------------------------------------------------------
    'store.get': (type: number, id: number) => {
      const e = ctx().cache.get(heap().readString(type), heap().readString(id));
      return e === null ? 0 : writeEntity(heap(), e);
    },
    'store.get_in_block': (type: number, id: number) => {
      const e = ctx().cache.getInBlock(heap().readString(type), heap().readString(id));
      return e === null ? 0 : writeEntity(heap(), e);
    },
    'store.set': (type: number, id: number, data: number) => {
      ctx().cache.set(heap().readString(type), heap().readString(id), readEntity(heap(), data));
    },
    'store.remove': (type: number, id: number) => {
      ctx().cache.remove(heap().readString(type), heap().readString(id));
    },
    'store.loadRelated': (type: number, id: number, field: number) => {
      const h = heap();
      const entities = ctx().cache.loadRelated(
        h.readString(type),
        h.readString(id),
        h.readString(field),
      );
      return h.writePtrArray(
        TypeId.ArrayTypedMapStringStoreValue,
        entities.map((e) => writeEntity(h, e)),
      );
    },

    // ---- typeConversion ---------------------------------------------------------------------
    'typeConversion.bytesToString': (p: number) => {
      const text = new TextDecoder('utf-8').decode(heap().readBytes(p));
      let end = text.length;
      while (end > 0 && text.charCodeAt(end - 1) === 0) end--; // trim_end_matches('\0')
      return heap().writeString(text.slice(0, end));
    },
    'typeConversion.bytesToHex': (p: number) => heap().writeString(bytesToHex(heap().readBytes(p))),
    'typeConversion.bigIntToString': (p: number) =>
      heap().writeString(readBigInt(heap(), p).toString()),
    'typeConversion.bigIntToHex': (p: number) => {
      const v = readBigInt(heap(), p);
      return heap().writeString(`0x${(v < 0n ? -v : v).toString(16)}`);
    },
    'typeConversion.stringToH160': (p: number) => {
      const s = heap().readString(p);
      const hex = s.startsWith('0x') ? s.slice(2) : s;
      if (!/^[0-9a-fA-F]{40}$/.test(hex))
        throw new DeterministicError(`Failed to convert string to Address/H160: '${s}'`);
      return heap().writeBytes(hexToBytes(`0x${hex}`));
    },
    'typeConversion.bytesToBase58': (p: number) => heap().writeString(base58(heap().readBytes(p))),

    // ---- bigInt -----------------------------------------------------------------------------
    'bigInt.plus': bigInt2((a, b) => a + b),
    'bigInt.minus': bigInt2((a, b) => a - b),
    'bigInt.times': bigInt2((a, b) => a * b),
    'bigInt.dividedBy': bigInt2(bigIntDiv),
    'bigInt.mod': bigInt2(bigIntMod),
    'bigInt.bitOr': bigInt2((a, b) => a | b),
    'bigInt.bitAnd': bigInt2((a, b) => a & b),
    'bigInt.pow': (x: number, exp: number) => {
      const base = readBigInt(heap(), x);
      const e = BigInt(exp & 0xff);
      const bits = BigInt(base < 0n ? (-base).toString(2).length : base.toString(2).length);
      if (bits * e > 435_412n)
        throw new DeterministicError(`BigInt is too big, total bits ${bits * e} (max 435412)`);
      return writeBigInt(heap(), checkBigIntSize(base ** e));
    },
    'bigInt.leftShift': (x: number, bits: number) =>
      writeBigInt(heap(), checkBigIntSize(readBigInt(heap(), x) << BigInt(bits & 0xff))),
    'bigInt.rightShift': (x: number, bits: number) =>
      writeBigInt(heap(), readBigInt(heap(), x) >> BigInt(bits & 0xff)),
    'bigInt.fromString': (p: number) =>
      writeBigInt(heap(), checkBigIntSize(parseBigInt(heap().readString(p)))),
    'bigInt.dividedByDecimal': (x: number, y: number) =>
      writeBigDecimal(
        heap(),
        bigDecimalDividedBy(bigDecimalFromBigInt(readBigInt(heap(), x)), readBigDecimal(heap(), y)),
      ),

    // ---- bigDecimal -------------------------------------------------------------------------
    'bigDecimal.toString': (p: number) =>
      heap().writeString(bigDecimalToString(readBigDecimal(heap(), p))),
    'bigDecimal.fromString': (p: number) =>
      writeBigDecimal(heap(), parseBigDecimal(heap().readString(p))),
    'bigDecimal.plus': bigDec2(bigDecimalPlus),
    'bigDecimal.minus': bigDec2(bigDecimalMinus),
    'bigDecimal.times': bigDec2(bigDecimalTimes),
    'bigDecimal.dividedBy': bigDec2(bigDecimalDividedBy),
    'bigDecimal.equals': (x: number, y: number) =>
      bigDecimalEquals(readBigDecimal(heap(), x), readBigDecimal(heap(), y)) ? 1 : 0,

    // ---- json -------------------------------------------------------------------------------
    'json.fromBytes': (p: number) => writeJson(heap(), parseJsonBytes(heap().readBytes(p))),
    'json.try_fromBytes': (p: number) => {
      const h = heap();
      let value;
      try {
        value = parseJsonBytes(h.readBytes(p));
      } catch (error) {
        if (!(error instanceof DeterministicError)) throw error;
        return h.writeStruct(TypeId.ResultJsonValueBool, [0, h.writeWrappedBool(true)]);
      }
      const wrapped = h.writeStruct(TypeId.WrappedJsonValue, [writeJson(h, value)]);
      return h.writeStruct(TypeId.ResultJsonValueBool, [wrapped, 0]);
    },
    'json.toI64': (p: number) => {
      const s = heap().readString(p);
      if (!/^[+-]?\d+$/.test(s))
        throw new DeterministicError(`JSON \`${s}\` cannot be parsed as i64`);
      const v = BigInt(s);
      if (v !== BigInt.asIntN(64, v))
        throw new DeterministicError(`JSON \`${s}\` cannot be parsed as i64`);
      return v;
    },
    'json.toU64': (p: number) => {
      const s = heap().readString(p);
      if (!/^\+?\d+$/.test(s))
        throw new DeterministicError(`JSON \`${s}\` cannot be parsed as u64`);
      const v = BigInt(s);
      if (v !== BigInt.asUintN(64, v))
        throw new DeterministicError(`JSON \`${s}\` cannot be parsed as u64`);
      return BigInt.asIntN(64, v);
    },
    'json.toF64': (p: number) => {
      const s = heap().readString(p);
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$/i.test(s)) {
        throw new DeterministicError(`JSON \`${s}\` cannot be parsed as f64`);
      }
      return Number(s);
    },
    'json.toBigInt': (p: number) => {
      const s = heap().readString(p);
      if (!/^[+-]?\d+$/.test(s))
        throw new DeterministicError(`JSON \`${s}\` is not a decimal string`);
      return writeBigInt(heap(), checkBigIntSize(BigInt(s)));
    },

    // ---- crypto, log, ens ---------------------------------------------------------------------
    'crypto.keccak256': (p: number) =>
      heap().writeBytes(hexToBytes(keccak256(heap().readBytes(p)))),
    'log.log': (level: number, msg: number) => {
      const message = heap().readString(msg);
      const { logger } = ctx().services;
      const fields = { dataSource: ctx().dataSource.name, block: Number(ctx().block.number) };
      if (level === 0) {
        logger.error(fields, message);
        throw new DeterministicError(
          `Critical error logged in mapping with log message: ${message}`,
        );
      }
      if (level === 1) logger.error(fields, message);
      else if (level === 2) logger.warn(fields, message);
      else if (level === 3) logger.info(fields, message);
      else logger.debug(fields, message);
    },
    'ens.nameByHash': () => 0,

    // ---- dataSource ---------------------------------------------------------------------------
    'dataSource.create': (name: number, params: number) => createDataSource(name, params, null),
    'dataSource.createWithContext': (name: number, params: number, context: number) =>
      createDataSource(name, params, context),
    'dataSource.address': () => {
      const address = ctx().dataSource.address;
      return heap().writeBytes(address ? hexToBytes(address) : new Uint8Array());
    },
    'dataSource.network': () => heap().writeString(ctx().dataSource.network),
    'dataSource.context': () => writeEntity(heap(), ctx().dataSource.context ?? {}),

    // ---- ethereum -----------------------------------------------------------------------------
    'ethereum.call': (callPtr: number) => {
      const h = heap();
      const { dataSource, block, services } = ctx();
      h.rtSize(callPtr, 'SmartContractCall');
      const contractName = h.readString(h.u32(callPtr));
      const address = h.readBytes(h.u32(callPtr + 4));
      const functionName = h.readString(h.u32(callPtr + 8));
      const signature = h.readNullableString(h.u32(callPtr + 12));
      const args = h.readPtrArray(h.u32(callPtr + 16)).map((p) => readEthValue(h, p));
      const abi = dataSource.mapping.abis.get(contractName);
      if (!abi) {
        throw new DeterministicError(
          `Could not find ABI for contract "${contractName}", try adding it to the 'abis' section of the subgraph manifest`,
        );
      }
      const candidates = abi.filter(
        (i): i is AbiFunction => i.type === 'function' && i.name === functionName,
      );
      const fn =
        (signature ? candidates.find((c) => functionSignature(c) === signature) : undefined) ??
        (candidates.length === 1 || !signature ? candidates[0] : undefined);
      if (!fn) {
        throw new DeterministicError(
          `Unknown function "${contractName}::${functionName}" with signature \`${signature ?? ''}\` called from WASM runtime`,
        );
      }
      if (address.length !== 20)
        throw new DeterministicError(`expected array of length 20, found length ${address.length}`);
      let data: `0x${string}`;
      try {
        data = encodeCallData(fn, args);
      } catch (error) {
        // The same mapping passes the same values on every run, so retrying cannot help: fail
        // the subgraph at this block (graph-node reports this as an unknown error and retries
        // forever, which is a silent stall).
        throw new DeterministicError(
          `Failed to call function "${functionName}" of contract "${contractName}": ${(error as Error).message}`,
          { cause: error },
        );
      }
      const to = bytesToHex(address);
      const result = asyncValue(
        `call:${to}:${data}:${block.hash}`,
        `eth_call ${contractName}.${functionName}`,
        () => services.ethCall(to, data, block.hash),
      );
      if (!result.ok || result.data === '0x') return 0;
      let decoded: unknown;
      try {
        decoded = decodeFunctionResult({ abi: [fn], functionName: fn.name, data: result.data });
      } catch {
        return 0;
      }
      const values = fn.outputs.length === 1 ? [decoded] : (decoded as unknown[]);
      return writeEthValueArray(
        h,
        fn.outputs.map((p, i) => toEthValue(p, values[i])),
      );
    },
    'ethereum.getBalance': (p: number) => {
      const address = heap().readBytes(p);
      if (address.length !== 20)
        throw new DeterministicError(`expected array of length 20, found length ${address.length}`);
      const { block, services } = ctx();
      const hex = bytesToHex(address);
      const balance = asyncValue(`balance:${hex}:${block.hash}`, `eth_getBalance ${hex}`, () =>
        services.getBalance(hex, block.hash),
      );
      return writeBigInt(heap(), balance);
    },
    'ethereum.hasCode': (p: number) => {
      const address = heap().readBytes(p);
      if (address.length !== 20)
        throw new DeterministicError(`expected array of length 20, found length ${address.length}`);
      const { block, services } = ctx();
      const hex = bytesToHex(address);
      const code = asyncValue(`code:${hex}:${block.hash}`, `eth_getCode ${hex}`, () =>
        services.getCode(hex, block.hash),
      );
      return heap().writeWrappedBool(code !== '0x' && code.length > 2);
    },
    'ethereum.encode': (p: number) => {
      const value = readEthValue(heap(), p);
      try {
        return heap().writeBytes(encodeEthValue(value));
      } catch {
        return 0;
      }
    },
    'ethereum.decode': (typesPtr: number, dataPtr: number) => {
      const types = heap().readString(typesPtr);
      const data = heap().readBytes(dataPtr);
      try {
        return writeEthValue(heap(), decodeEthValue(types, data));
      } catch {
        return 0;
      }
    },

    // ---- ipfs ---------------------------------------------------------------------------------
    'ipfs.cat': (p: number) => {
      const cid = heap().readString(p);
      const { services } = ctx();
      if (!services.ipfsCat) {
        throw new DeterministicError(
          '`ipfs.cat` is deprecated. Improved support for IPFS will be added in the future (no IPFS client is configured for this indexer)',
        );
      }
      const fetch = services.ipfsCat;
      const bytes = asyncValue<Uint8Array | null>(`ipfs:${cid}`, `ipfs.cat ${cid}`, async () => {
        try {
          return await fetch(cid);
        } catch {
          return null;
        }
      });
      return bytes === null ? 0 : heap().writeBytes(bytes);
    },
  };
}

export const SUPPORTED_HOST_FUNCTIONS: readonly string[] = Object.keys(
  hostFunctions(() => {
    throw new Error('not running');
  }),
);
