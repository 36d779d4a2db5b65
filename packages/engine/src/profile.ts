import * as tf from '@tensorflow/tfjs';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import type { ComputeProfile } from '@um/protocol';
import { useBackend } from './backend.js';
import { EngineError } from './errors.js';

/** Version of the engine's deterministic rules (schedule, initializer, optimizers, layouts). */
export const ENGINE_VERSION = '0.1.0';

export class ComputeProfileMismatchError extends EngineError {
  override name = 'ComputeProfileMismatchError';
}

/** The library versions this engine runs with, as a compute profile lists them. */
export function runningLibraries(): Record<string, string> {
  const libraries: Record<string, string> = {
    '@tensorflow/tfjs': tf.version.tfjs,
    '@tensorflow/tfjs-backend-wasm': version_wasm,
    '@um/engine': ENGINE_VERSION,
  };
  const node = (tf.version as Record<string, string>)['tfjs-node'];
  if (node) libraries['@tensorflow/tfjs-node'] = node;
  return libraries;
}

/** A compute profile for the given backend with the running versions. */
export function currentProfile(backend: ComputeProfile['backend'] = 'wasm'): ComputeProfile {
  const all = runningLibraries();
  const libraries: Record<string, string> = {
    '@tensorflow/tfjs': all['@tensorflow/tfjs']!,
    '@um/engine': ENGINE_VERSION,
  };
  if (backend === 'wasm')
    libraries['@tensorflow/tfjs-backend-wasm'] = all['@tensorflow/tfjs-backend-wasm']!;
  if (backend === 'tensorflow' && all['@tensorflow/tfjs-node'])
    libraries['@tensorflow/tfjs-node'] = all['@tensorflow/tfjs-node'];
  return { backend, libraries };
}

/**
 * Activates the profile's backend and checks every listed library version against the running
 * one; hashes are only comparable within one profile, so a mismatch is an error, not a warning.
 */
export async function applyProfile(profile: ComputeProfile): Promise<void> {
  const running = runningLibraries();
  for (const [name, version] of Object.entries(profile.libraries)) {
    const actual = running[name];
    if (actual === undefined) {
      throw new ComputeProfileMismatchError(
        `compute profile pins ${name}@${version}, which this engine does not run (it runs ${Object.keys(running).join(', ')})`,
      );
    }
    if (actual !== version) {
      throw new ComputeProfileMismatchError(
        `compute profile pins ${name}@${version}, this engine runs ${name}@${actual}`,
      );
    }
  }
  await useBackend(profile.backend);
}
