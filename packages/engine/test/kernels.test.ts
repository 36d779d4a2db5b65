import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Engine, mnistCnnExampleSpec, useBackend } from '../src/index.js';
import { loadMnistDigits } from '../src/node/index.js';

const filterGrad = async (
  backend: 'wasm' | 'cpu',
  pad: 'same' | 'valid',
  strides: [number, number],
): Promise<Float32Array> => {
  await useBackend(backend);
  const x = tf.tensor4d(
    Array.from({ length: 2 * 7 * 6 * 3 }, (_, i) => Math.sin(i * 0.37)),
    [2, 7, 6, 3],
  );
  const dy = tf.conv2d(x, tf.ones([3, 3, 3, 4]), strides, pad);
  const dyValues = tf.tensor4d(
    Array.from({ length: dy.size }, (_, i) => Math.cos(i * 0.11)),
    dy.shape as [number, number, number, number],
  );
  const filter = tf.tensor4d(
    Array.from({ length: 3 * 3 * 3 * 4 }, (_, i) => (i % 7) - 3),
    [3, 3, 3, 4],
  );
  // d/dfilter of sum(conv2d(x, filter) · dy) is conv2DBackpropFilter(x, dy).
  const dw = tf.grad((f) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, strides, pad), dyValues)))(
    filter,
  );
  const values = (await dw.data()) as Float32Array;
  tf.dispose([x, dy, dyValues, filter, dw]);
  return values;
};

describe('Conv2DBackpropFilter on wasm (registered by the engine)', () => {
  it.each([
    ['same', [1, 1]],
    ['valid', [2, 2]],
    ['same', [2, 1]],
  ] as const)(
    'matches the cpu kernel to float32 precision (pad %s, strides %j)',
    async (pad, strides) => {
      const wasm = await filterGrad('wasm', pad, [...strides]);
      const cpu = await filterGrad('cpu', pad, [...strides]);
      expect(wasm.length).toBe(cpu.length);
      wasm.forEach((v, i) => expect(v).toBeCloseTo(cpu[i]!, 4));
      await useBackend('wasm');
    },
  );

  it('lets the small CNN train on the wasm profile, deterministically', async () => {
    const digits = loadMnistDigits();
    const engine = await Engine.create(mnistCnnExampleSpec({ batchSize: 32 }), {
      sources: { mnistDigits: digits },
    });
    const a = await engine.runSteps(engine.initialState(), 1, 5);
    const b = await engine.runSteps(engine.initialState(), 1, 5);
    engine.dispose();
    expect(b.root).toBe(a.root);
    expect(a.steps[4]!.loss).toBeLessThan(a.steps[0]!.loss);
  }, 60_000);
});
