import * as tf from '@tensorflow/tfjs';
import type { OptimizerSpec } from '@um/protocol';
import type { TensorSpec } from './state.js';

/**
 * x^n for an integer n ≥ 0 by square-and-multiply from the least significant bit, in IEEE double:
 * result = 1; base = x; while n > 0 { if n odd: result = result·base; base = base·base; n = floor(n/2) }.
 */
export function powInt(x: number, n: number): number {
  let result = 1;
  let base = x;
  for (let e = n; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result *= base;
    base *= base;
  }
  return result;
}

/** The learning rate of step t (t ≥ 1), in IEEE double. */
export function learningRateAt(optimizer: OptimizerSpec, t: number): number {
  const lr = optimizer.learningRate;
  const schedule = optimizer.schedule;
  switch (schedule.kind) {
    case 'constant':
      return lr;
    case 'step':
      return lr * powInt(schedule.factor, Math.floor((t - 1) / schedule.every));
    case 'linear':
      return (
        lr + ((schedule.final - lr) * Math.min(t - 1, schedule.decaySteps)) / schedule.decaySteps
      );
  }
}

/**
 * Optimizer slots in canonical order:
 *   sgd: none
 *   momentum: "<weight>/momentum" for each trainable weight
 *   adam: "<weight>/m" for each trainable weight, then "<weight>/v" for each trainable weight
 */
export function slotSpecs(
  optimizer: OptimizerSpec,
  trainable: readonly TensorSpec[],
): TensorSpec[] {
  switch (optimizer.kind) {
    case 'sgd':
      return [];
    case 'momentum':
      return trainable.map((w) => ({ name: `${w.name}/momentum`, shape: w.shape }));
    case 'adam':
      return [
        ...trainable.map((w) => ({ name: `${w.name}/m`, shape: w.shape })),
        ...trainable.map((w) => ({ name: `${w.name}/v`, shape: w.shape })),
      ];
  }
}

/**
 * One update of every trainable weight, in float32 TF.js ops (scalars are float32 of the doubles):
 *   sgd:      w ← w − lr·g
 *   momentum: s ← μ·s + g;  w ← w − lr·s
 *   adam:     m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·(g·g);
 *             w ← w − lrₜ·m / (sqrt(v) + ε),  lrₜ = lr·sqrt(1 − β2^t) / (1 − β1^t)  (double)
 */
export function applyUpdate(args: {
  optimizer: OptimizerSpec;
  t: number;
  weights: readonly tf.Variable[];
  grads: readonly tf.Tensor[];
  slots: readonly tf.Variable[];
}): void {
  const { optimizer, t, weights, grads, slots } = args;
  const lr = learningRateAt(optimizer, t);
  tf.tidy(() => {
    switch (optimizer.kind) {
      case 'sgd': {
        const rate = tf.scalar(lr);
        weights.forEach((w, i) => w.assign(tf.sub(w, tf.mul(rate, grads[i]!))));
        return;
      }
      case 'momentum': {
        const rate = tf.scalar(lr);
        const mu = tf.scalar(optimizer.momentum);
        weights.forEach((w, i) => {
          const s = slots[i]!;
          s.assign(tf.add(tf.mul(mu, s), grads[i]!));
          w.assign(tf.sub(w, tf.mul(rate, s)));
        });
        return;
      }
      case 'adam': {
        const { beta1, beta2, epsilon } = optimizer;
        const rate = tf.scalar((lr * Math.sqrt(1 - powInt(beta2, t))) / (1 - powInt(beta1, t)));
        const b1 = tf.scalar(beta1);
        const b2 = tf.scalar(beta2);
        const oneMinusB1 = tf.scalar(1 - beta1);
        const oneMinusB2 = tf.scalar(1 - beta2);
        const eps = tf.scalar(epsilon);
        const n = weights.length;
        weights.forEach((w, i) => {
          const g = grads[i]!;
          const m = slots[i]!;
          const v = slots[n + i]!;
          m.assign(tf.add(tf.mul(b1, m), tf.mul(oneMinusB1, g)));
          v.assign(tf.add(tf.mul(b2, v), tf.mul(oneMinusB2, tf.mul(g, g))));
          w.assign(tf.sub(w, tf.div(tf.mul(rate, m), tf.add(tf.sqrt(v), eps))));
        });
        return;
      }
    }
  });
}
