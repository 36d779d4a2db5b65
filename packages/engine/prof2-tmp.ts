import * as tf from '@tensorflow/tfjs';
import { Engine, mnistExampleSpec, stateHash } from './src/index.js';
import { loadMnistDigits } from './src/node/index.js';
const base = mnistExampleSpec({ batchSize: 64 });
const spec = { ...base, model: { format: 'layers-model', topology: { class_name: 'Sequential', config: { name: 'm', layers: [
  { class_name: 'Dense', config: { name: 'h', units: 128, activation: 'relu', batch_input_shape: [null, 784] } },
  { class_name: 'Dense', config: { name: 'o', units: 10, activation: 'softmax' } } ] } } }, optimizer: { kind: 'sgd', learningRate: 0.05 } } as any;
const engine: any = await Engine.create(spec, { sources: { mnistDigits: loadMnistDigits() } });
const acc: Record<string, number> = {};
for (const m of ['train', 'read', 'batch', 'load']) { const f = engine[m].bind(engine); engine[m] = (...a: any[]) => { const t = performance.now(); const r = f(...a); acc[m] = (acc[m] ?? 0) + performance.now() - t; return r; }; }
let s = engine.initialState();
for (let t = 1; t <= 5; t++) s = (await engine.step(s, t)).state;
for (const k in acc) acc[k] = 0;
const N = 100; const t0 = performance.now();
for (let t = 6; t < 6 + N; t++) s = (await engine.step(s, t)).state;
const total = (performance.now() - t0) / N;
console.log(total, Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, v / N])));
// raw with engine's loss & update
const vars = engine.trainableVars;
const rawStep = () => { const { x, y } = engine.batch(7); const { value, grads } = tf.variableGrads(() => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.clipByValue(engine.model.apply(x), 1e-7, 1 - 1e-7))), -1))) as tf.Scalar, vars);
 value.dataSync(); tf.tidy(() => { const r = tf.scalar(0.05); vars.forEach((w: tf.Variable) => w.assign(tf.sub(w, tf.mul(r, grads[w.name]!)))); }); value.dispose(); Object.values(grads).forEach((g: any) => g.dispose()); x.dispose(); y.dispose(); };
for (let i = 0; i < 5; i++) rawStep();
let t1 = performance.now(); for (let i = 0; i < N; i++) rawStep(); console.log('raw-engine-ops', (performance.now() - t1) / N);
