import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, useBackend } from '../src/index.js';

describe('useBackend', () => {
  it('runs the wasm backend from node_modules with no network', async () => {
    await useBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const product = tf.matMul(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      tf.tensor2d([[5], [6]]),
    );
    expect(Array.from(await product.data())).toEqual([17, 39]);
  });

  it('refuses tfjs-node when it is not installed instead of silently falling back', async () => {
    await expect(useBackend('tensorflow')).rejects.toThrowError(BackendUnavailableError);
  });

  it('rejects an unknown backend with a typed error', async () => {
    await expect(useBackend('webgpu' as 'wasm')).rejects.toThrowError(/expected one of wasm, cpu/);
  });
});
