import * as tf from '@tensorflow/tfjs';
import { setWasmPaths, version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { sha256 } from 'hash-wasm';
import type * as NodeFs from 'node:fs/promises';
import type * as NodeModule from 'node:module';
import type * as NodeUrl from 'node:url';
import { EngineError } from './errors.js';
import { registerWasmTrainingKernels } from './kernels.js';

/**
 * The TF.js backends a compute profile may pin. Hashes are only comparable within one backend:
 * wasm and cpu give different bits for the same training, Node and browser give the same bits.
 */
export const backends = ['wasm', 'cpu', 'tensorflow'] as const;
export type BackendName = (typeof backends)[number];

export class BackendUnavailableError extends EngineError {
  override name = 'BackendUnavailableError';
  constructor(
    readonly backend: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`TF.js backend "${backend}" is unavailable: ${reason}`, options);
  }
}

/** The wasm binary read for the backend is not the one the wasm profile pins (wrong file, build or version). */
export class WasmBinaryMismatchError extends EngineError {
  override name = 'WasmBinaryMismatchError';
  constructor(
    readonly location: string,
    readonly expectedSha256: string,
    readonly actualSha256: string,
  ) {
    super(
      `the TF.js wasm binary at ${location} has sha256 ${actualSha256}, the wasm profile pins ${expectedSha256} (${PINNED_WASM.file} of @tensorflow/tfjs-backend-wasm@${PINNED_WASM.version}); serve that exact file`,
    );
  }
}

/** A TF.js backend instance exists that the engine did not create (its binary and flags are unknown). */
export class ForeignBackendError extends EngineError {
  override name = 'ForeignBackendError';
}

/** Kernels of the profile's backend were registered or replaced by code other than TF.js and the engine. */
export class ForeignKernelError extends EngineError {
  override name = 'ForeignKernelError';
  constructor(
    readonly backend: string,
    readonly kernels: readonly string[],
  ) {
    super(
      `kernels of TF.js backend "${backend}" were registered by someone other than TF.js and the engine: ${kernels.join(', ')}; the compute profile fixes every kernel, so the engine refuses to train on them`,
    );
  }
}

/**
 * The one wasm binary the wasm profile runs: tfjs-backend-wasm's SIMD, single-thread build. Softmax,
 * sigmoid and the matrix kernels give other bits without SIMD, so the file name is not enough.
 */
export const PINNED_WASM = {
  version: '4.22.0',
  file: 'tfjs-backend-wasm-simd.wasm',
  sha256: '77ebb28a6d34f371dbbf2086b7f2de8994acd8ea5a3cf1fa24d2c26c840cac7b',
} as const;
const WASM_FILE_NAMES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
] as const;

let wasmLocation: string | Record<string, string> | undefined;

/**
 * Where to read the wasm backend's binary. Browsers must call this (bundlers do not copy the file):
 * serve node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm and pass its
 * URL prefix (ending in "/") or a map from file name to URL, before the first Engine.create. Node
 * reads the file from node_modules by default (a prefix may also be a directory path there). The
 * engine fetches the bytes itself, checks their sha256 against PINNED_WASM and instantiates exactly
 * those bytes.
 */
export function configureWasm(prefixOrFileMap: string | Record<string, string>): void {
  wasmLocation = prefixOrFileMap;
}

interface NodeBuiltins {
  getBuiltinModule?: (id: string) => unknown;
}
/** Node's built-in modules without an import statement, so the browser bundle stays Node-free. */
const nodeBuiltin = <T>(id: string): T | undefined =>
  (globalThis as { process?: NodeBuiltins }).process?.getBuiltinModule?.(id) as T | undefined;

async function readWasmBinary(): Promise<{ bytes: Uint8Array<ArrayBuffer>; location: string }> {
  const name = PINNED_WASM.file;
  let location =
    typeof wasmLocation === 'string'
      ? wasmLocation + name
      : wasmLocation
        ? wasmLocation[name]
        : undefined;
  const fs = nodeBuiltin<typeof NodeFs>('fs/promises');
  try {
    if (
      fs &&
      !(location && /^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !location.startsWith('file:'))
    ) {
      // Node: a file path (default: the installed package's dist/ directory).
      if (!location) {
        const { createRequire } = nodeBuiltin<typeof NodeModule>('module')!;
        const pkg = createRequire(import.meta.url).resolve(
          '@tensorflow/tfjs-backend-wasm/package.json',
        );
        location = `${pkg.slice(0, -'package.json'.length)}dist/${name}`;
      }
      if (location.startsWith('file:')) {
        location = nodeBuiltin<typeof NodeUrl>('url')!.fileURLToPath(location);
      }
      return { bytes: new Uint8Array(await fs.readFile(location)), location };
    }
    if (!location) {
      throw new BackendUnavailableError(
        'wasm',
        `call configureWasm(prefix) first: serve ${name} from node_modules/@tensorflow/tfjs-backend-wasm/dist/ and pass its URL prefix`,
      );
    }
    const response = await fetch(location, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    return { bytes: new Uint8Array(await response.arrayBuffer()), location };
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new BackendUnavailableError('wasm', `could not read ${location ?? name}`, {
      cause: error,
    });
  }
}

/** The wasm backend instance the engine created; any other one is foreign. */
let ownWasmBackend: tf.KernelBackend | undefined;
let wasmInit: Promise<void> | undefined;

async function initialiseWasm(): Promise<void> {
  if (version_wasm !== PINNED_WASM.version) {
    throw new BackendUnavailableError(
      'wasm',
      `the engine pins the binary of @tensorflow/tfjs-backend-wasm@${PINNED_WASM.version}, ${version_wasm} is installed`,
    );
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))) {
    throw new BackendUnavailableError(
      'wasm',
      'WebAssembly SIMD is not supported here; the wasm profile needs it',
    );
  }
  const { bytes, location } = await readWasmBinary();
  const actual = await sha256(bytes);
  if (actual !== PINNED_WASM.sha256) {
    throw new WasmBinaryMismatchError(location, PINNED_WASM.sha256, actual);
  }
  // Instantiate exactly the bytes just hashed: TF.js fetches them back from an in-memory blob URL
  // (every file name maps to it, so no flag can make TF.js pick another binary).
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/wasm' }));
  try {
    setWasmPaths(Object.fromEntries(WASM_FILE_NAMES.map((n) => [n, url])), true);
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new BackendUnavailableError('wasm', 'initialisation failed');
  } finally {
    URL.revokeObjectURL(url);
  }
  ownWasmBackend = initialisedBackend('wasm');
}

/**
 * The backend instance TF.js has already created under this name, if any. (tf.findBackend would
 * create one with TF.js's default wasm paths, which is exactly what must not happen here.)
 */
const initialisedBackend = (name: string): tf.KernelBackend | undefined =>
  (tf.engine() as unknown as { registry: Record<string, tf.KernelBackend | undefined> }).registry[
    name
  ];

// Kernel registry as TF.js and the engine left it when this module was evaluated (TF.js registers
// its kernels when it is imported, i.e. before this module runs). Registered kernel configs are
// compared by identity, so any later registerKernel for these backends is detected.
const engineOwnedKernels = new Set<string>(['Conv2DBackpropFilter']);
const foreignAtLoad = new Map<string, string[]>();
for (const backend of ['wasm', 'cpu']) {
  const clash = tf
    .getKernelsForBackend(backend)
    .filter((k) => backend === 'wasm' && engineOwnedKernels.has(k.kernelName))
    .map((k) => k.kernelName);
  if (clash.length) foreignAtLoad.set(backend, clash);
}
if (!foreignAtLoad.has('wasm')) registerWasmTrainingKernels();
const expectedKernels = new Map(
  ['wasm', 'cpu'].map((backend) => [
    backend,
    new Map(tf.getKernelsForBackend(backend).map((k) => [k.kernelName, k])),
  ]),
);

/**
 * Throws ForeignKernelError if a kernel of the backend was registered, replaced or removed since
 * TF.js and the engine registered theirs. Cheap (a map walk); the engine checks before every step.
 */
export function assertKernelsIntact(backend: string): void {
  const expected = expectedKernels.get(backend);
  if (!expected) return;
  const foreign = [...(foreignAtLoad.get(backend) ?? [])];
  const current = tf.getKernelsForBackend(backend);
  for (const k of current) if (expected.get(k.kernelName) !== k) foreign.push(k.kernelName);
  if (current.length !== expected.size) {
    const present = new Set(current.map((k) => k.kernelName));
    for (const name of expected.keys()) if (!present.has(name)) foreign.push(`${name} (removed)`);
  }
  if (foreign.length) throw new ForeignKernelError(backend, [...new Set(foreign)]);
}

/**
 * Throws ForeignBackendError unless the wasm backend TF.js would run is the one the engine created
 * from the pinned binary (page code that set up TF.js's wasm backend first, with its own paths or
 * flags, is refused rather than trusted).
 */
export function assertOwnBackend(backend: string): void {
  if (backend !== 'wasm') return;
  const instance = initialisedBackend('wasm');
  if (instance && instance !== ownWasmBackend) {
    throw new ForeignBackendError(
      'the TF.js wasm backend was initialised before the engine, by other code (tf.setBackend/tf.ready with its own wasm paths and flags); let the engine initialise it (call configureWasm, not setWasmPaths, and create the engine before any other TF.js work on wasm)',
    );
  }
}

/**
 * Activates a backend and waits until it is ready; throws a typed error instead of falling back.
 * The wasm profile is pinned to the SIMD, single-thread binary whose sha256 is PINNED_WASM (threads
 * are refused even where SharedArrayBuffer exists), which every browser without cross-origin
 * isolation runs.
 */
export async function useBackend(backend: BackendName): Promise<void> {
  if (!backends.includes(backend)) {
    throw new BackendUnavailableError(backend, `expected one of ${backends.join(', ')}`);
  }
  if (backend === 'tensorflow' && !tf.findBackend('tensorflow')) {
    throw new BackendUnavailableError(
      backend,
      'install the optional dependency @tensorflow/tfjs-node and import it before the engine',
    );
  }
  if (backend === 'wasm') {
    assertOwnBackend('wasm');
    wasmInit ??= initialiseWasm().catch((error: unknown) => {
      wasmInit = undefined;
      throw error;
    });
    await wasmInit;
  }
  assertKernelsIntact(backend);
  const ok = await tf.setBackend(backend);
  if (!ok) throw new BackendUnavailableError(backend, 'initialisation failed');
  await tf.ready();
}
