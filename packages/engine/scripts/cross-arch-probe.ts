// What every platform computes for scripts/cross-arch.ts (Node x64, Node arm64 under qemu,
// Chromium, Firefox ESR): the golden-hash trainings and a fingerprint of each kernel they use, so a
// disagreement names the kernel, not just the step.
import * as tf from '@tensorflow/tfjs';
import {
  Engine,
  irisExampleSpec,
  keccak256PartsHex,
  mnistCnnExampleSpec,
  mnistExampleSpec,
  stateHash,
  useBackend,
} from '../src/index.js';

export interface ProbeResult {
  iris: { initial: string; step1: string; step100: string; round1Root: string };
  mnist: { initial: string; step1: string; step20: string; root1to20: string };
  cnn: { step5: string };
  /** keccak256 of each kernel's float32 output on fixed inputs. */
  kernels: Record<string, string>;
  seconds: number;
}

/** Deterministic float32 inputs in about [−1, 1] (exactly representable arithmetic on any platform). */
const fixed = (shape: number[], salt: number): tf.Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = (((i * 7919 + salt * 104729) % 2001) - 1000) / 1000;
  return tf.tensor(values, shape);
};

const digest = (t: tf.Tensor): string => {
  const values = t.dataSync() as Float32Array;
  return keccak256PartsHex([new Uint8Array(values.buffer, values.byteOffset, values.byteLength)]);
};

/** Every kernel the reference trainings run, each on its own, hashed. */
function kernelFingerprints(): Record<string, string> {
  const out: Record<string, string> = {};
  const run = (name: string, f: () => tf.Tensor): void => {
    out[name] = tf.tidy(() => digest(f()));
  };
  const x = fixed([64, 784], 1);
  const w = fixed([784, 128], 2);
  const h = fixed([64, 128], 3);
  const logits = tf.mul(fixed([64, 10], 4), 8);
  const img = fixed([8, 28, 28, 1], 5);
  const filt = fixed([3, 3, 1, 8], 6);
  run('MatMul 64×784·784×128', () => tf.matMul(x, w));
  run('MatMul transposeA (weight grad)', () => tf.matMul(x, h, true, false));
  run('MatMul transposeB (input grad)', () => tf.matMul(h, w, false, true));
  run('Softmax', () => tf.softmax(logits));
  run('Sigmoid', () => tf.sigmoid(logits));
  run('Tanh', () => tf.tanh(logits));
  run('Relu', () => tf.relu(h));
  run('Exp', () => tf.exp(logits));
  run('Log', () => tf.log(tf.add(tf.abs(logits), 1e-3)));
  run('Sqrt', () => tf.sqrt(tf.abs(h)));
  run('Sum axis -1', () => tf.sum(h, -1));
  run('Mean', () => tf.mean(h));
  run('BiasAdd (Add broadcast)', () => tf.add(h, fixed([128], 7)));
  run('Mul, Sub, Div', () => tf.div(tf.sub(tf.mul(h, 0.37), h), tf.add(tf.abs(h), 1)));
  run('ClipByValue', () => tf.clipByValue(logits, 1e-7, 1 - 1e-7));
  run('Conv2D 3×3', () => tf.conv2d(img as tf.Tensor4D, filt as tf.Tensor4D, 1, 'valid'));
  run('Conv2DBackpropInput', () =>
    tf.grad((i) => tf.sum(tf.conv2d(i as tf.Tensor4D, filt as tf.Tensor4D, 1, 'valid')))(img),
  );
  run('Conv2DBackpropFilter (engine kernel)', () =>
    tf.grad((f) => tf.sum(tf.conv2d(img as tf.Tensor4D, f as tf.Tensor4D, 1, 'valid')))(filt),
  );
  run('MaxPool 2×2', () => tf.maxPool(img as tf.Tensor4D, 2, 2, 'valid'));
  run('MaxPoolGrad', () =>
    tf.grad((i) => tf.sum(tf.maxPool(i as tf.Tensor4D, 2, 2, 'valid')))(img),
  );
  tf.dispose([x, w, h, logits, img, filt]);
  return out;
}

export async function probe(mnistDigits: readonly (readonly number[])[]): Promise<ProbeResult> {
  const begin = performance.now();
  const sources = { mnistDigits };
  const iris = await Engine.create(irisExampleSpec());
  const irisRun = await iris.runSteps(iris.initialState(), 1, 100);
  const irisRound = await iris.runSteps(iris.initialState(), 1, 10);
  const irisResult = {
    initial: stateHash(iris.initialState()),
    step1: irisRun.steps[0]!.stateHash,
    step100: irisRun.steps[99]!.stateHash,
    round1Root: irisRound.root,
  };
  iris.dispose();
  const mnist = await Engine.create(mnistExampleSpec(), { sources });
  const mnistRun = await mnist.runSteps(mnist.initialState(), 1, 20);
  const mnistResult = {
    initial: stateHash(mnist.initialState()),
    step1: mnistRun.steps[0]!.stateHash,
    step20: mnistRun.steps[19]!.stateHash,
    root1to20: mnistRun.root,
  };
  mnist.dispose();
  const cnn = await Engine.create(mnistCnnExampleSpec({ batchSize: 32 }), { sources });
  const cnnRun = await cnn.runSteps(cnn.initialState(), 1, 5);
  cnn.dispose();
  await useBackend('wasm');
  return {
    iris: irisResult,
    mnist: mnistResult,
    cnn: { step5: cnnRun.steps[4]!.stateHash },
    kernels: kernelFingerprints(),
    seconds: (performance.now() - begin) / 1000,
  };
}
