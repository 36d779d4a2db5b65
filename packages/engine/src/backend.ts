import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { EngineError } from './errors.js';

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

/** Activates a backend and waits until it is ready; throws a typed error instead of falling back. */
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
  const ok = await tf.setBackend(backend);
  if (!ok) throw new BackendUnavailableError(backend, 'initialisation failed');
  await tf.ready();
}
