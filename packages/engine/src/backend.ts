import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
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
  ) {
    super(`TF.js backend "${backend}" is unavailable: ${reason}`);
  }
}

/**
 * Where the browser finds the wasm backend's binaries. Bundlers do not copy them: serve the files
 * tfjs-backend-wasm.wasm, tfjs-backend-wasm-simd.wasm and tfjs-backend-wasm-threaded-simd.wasm from
 * node_modules/@tensorflow/tfjs-backend-wasm/dist/ and call this with their URL prefix (ending in
 * "/") or a map from file name to URL, before the first useBackend('wasm'). Node needs no call.
 */
export function configureWasm(prefixOrFileMap: string | Record<string, string>): void {
  setWasmPaths(prefixOrFileMap as Parameters<typeof setWasmPaths>[0]);
}

/**
 * Activates a backend and waits until it is ready; throws a typed error instead of falling back.
 * The wasm profile is pinned to SIMD and a single thread (threads are refused even where
 * SharedArrayBuffer exists), which is what every browser without cross-origin isolation runs.
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
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    registerWasmTrainingKernels();
    if (!(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))) {
      throw new BackendUnavailableError(
        backend,
        'WebAssembly SIMD is not supported here; the wasm profile needs it',
      );
    }
  }
  const ok = await tf.setBackend(backend);
  if (!ok) throw new BackendUnavailableError(backend, 'initialisation failed');
  await tf.ready();
}
