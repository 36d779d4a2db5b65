import { createKeccak, type IHasher } from 'hash-wasm';
import { hexToBytes, keccak256 as keccak256Generic, type Hex } from 'viem';
import { EngineError } from './errors.js';

/*
 * Keccak-256 (Ethereum's: original Keccak padding 0x01…0x80, not NIST SHA3) for everything the
 * engine hashes: canonical state bytes (hundreds of KB per step), example bytes and random draws.
 *
 * The fast path is hash-wasm's WebAssembly Keccak (its binary ships inside the package's JS, so
 * browsers need no extra file). WebAssembly can only be compiled asynchronously on a browser's main
 * thread, so the hasher is loaded in the background as soon as this module is imported and
 * `Engine.create` awaits `initKeccak()`. Until it is ready (only code that hashes synchronously in
 * the very first tick after import), viem's keccak256 — the same function, ~15× slower — is used,
 * so the result never depends on timing, only the speed does. Checked against viem on every length
 * 0…700 and on 1 MB inputs in test/keccak.test.ts.
 */

export class KeccakUnavailableError extends EngineError {
  override name = 'KeccakUnavailableError';
}

let hasher: IHasher | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads the WebAssembly Keccak (idempotent). Await it once before hashing large inputs outside an
 * engine (e.g. `decodeCheckpoint` or `datasetRoot` before any `Engine.create`).
 */
export function initKeccak(): Promise<void> {
  loading ??= createKeccak(256).then(
    (h) => void (hasher = h),
    (error: unknown) => {
      loading = undefined;
      throw new KeccakUnavailableError('could not instantiate the WebAssembly Keccak (hash-wasm)', {
        cause: error,
      });
    },
  );
  return loading;
}
// Start at import; a failure surfaces (typed) from the next initKeccak() call, e.g. in Engine.create.
initKeccak().catch(() => undefined);

/** Whether the WebAssembly Keccak is in use (false only before initKeccak() has resolved). */
export const keccakIsFast = (): boolean => hasher !== undefined;

/** keccak256 of the concatenation of `parts` as 0x hex, without concatenating them. */
export function keccak256PartsHex(parts: readonly Uint8Array[]): Hex {
  if (!hasher) {
    if (parts.length === 1) return keccak256Generic(parts[0]!);
    const total = parts.reduce((n, p) => n + p.length, 0);
    const joined = new Uint8Array(total);
    let offset = 0;
    for (const p of parts) {
      joined.set(p, offset);
      offset += p.length;
    }
    return keccak256Generic(joined);
  }
  hasher.init();
  for (const p of parts) hasher.update(p);
  return `0x${hasher.digest('hex')}`;
}

/** keccak256 of `data` as 0x hex. */
export const keccak256Hex = (data: Uint8Array): Hex => keccak256PartsHex([data]);

/** keccak256 of `data` as 32 bytes. */
export function keccak256Bytes(data: Uint8Array): Uint8Array {
  if (!hasher) return hexToBytes(keccak256Generic(data));
  return hasher.init().update(data).digest('binary');
}
