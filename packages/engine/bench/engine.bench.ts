// Engine benchmark. Not a test: run with `npm run bench -w packages/engine` and record the tables in
// docs/performance.md ("## Engine"). Everything compared is measured in the same process, in
// interleaved rounds, so machine load hits every variant alike; medians and min–max are printed.
//
//   npm run bench -w packages/engine                 full run (≈ 4–8 min on 2 shared cores)
//   npm run bench -w packages/engine -- --quick      shorter windows, 3 rounds
//   npm run bench -w packages/engine -- --json       also print every measurement as JSON
//   PEAK_GHZ=3.0 npm run bench -w packages/engine    another clock for the WASM-SIMD bound
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { keccak256 } from 'viem';
import type { RunSpecInput } from '@um/protocol';
import {
  clearDatasetMemo,
  currentProfile,
  Engine,
  forwardFlopsPerExample,
  irisExampleSpec,
  lossOf,
  mnistCnnExampleSpec,
  mnistExampleSpec,
  replayStep,
  stateBytes,
  stateHash,
  type TrainingState,
} from '../src/index.js';
import { buildModel } from '../src/model.js';
import { loadMnistDigits, NodeDatasetCache } from '../src/node/index.js';
import { keccak256Bytes as unrolledJsKeccak } from './baseline/keccak-unrolled-js.js';

const args = new Set(process.argv.slice(2));
if (args.has('--help')) {
  process.stdout.write(
    [
      'usage: tsx bench/engine.bench.ts [--quick] [--json]',
      '  npm run bench -w packages/engine              full run',
      '  npm run bench -w packages/engine -- --quick   3 short rounds',
      '  PEAK_GHZ=3.0 npm run bench -w packages/engine -- --json',
      '',
    ].join('\n'),
  );
  process.exit(0);
}
const quick = args.has('--quick');
const windowMs = quick ? 600 : 1500;
const rounds = quick ? 3 : 5;
// The per-core WebAssembly-SIMD bound: 128-bit SIMD = 4 float32 lanes, and XNNPACK's wasmsimd
// kernels issue separate f32x4.mul and f32x4.add (no fused multiply-add in baseline WASM SIMD); a
// Zen 5 core retires 2 vector multiplies + 2 vector adds per cycle → 16 FLOP/cycle × clock.
const ghz = Number(process.env.PEAK_GHZ ?? 2.596);
const simdBoundGflops = ghz * 16;
const log = (message: string): void => void process.stderr.write(`${message}\n`);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const spread = (xs: number[]): string =>
  `${median(xs).toFixed(2)} [${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}]`;
const loads: number[] = [];
const noteLoad = (): void => void loads.push(loadavg()[0]!);

/** The reference model: MNIST MLP 784-128-10 (relu, softmax), plain SGD. */
const mnistMlpSgdSpec = (batchSize: number): RunSpecInput => {
  const base = mnistExampleSpec({ batchSize });
  return {
    ...base,
    model: {
      format: 'layers-model',
      topology: {
        class_name: 'Sequential',
        config: {
          name: 'mnist_mlp_sgd',
          layers: [
            {
              class_name: 'Dense',
              config: {
                name: 'hidden',
                units: 128,
                activation: 'relu',
                batch_input_shape: [null, 784],
              },
            },
            { class_name: 'Dense', config: { name: 'output', units: 10, activation: 'softmax' } },
          ],
        },
      },
    },
    optimizer: { kind: 'sgd', learningRate: 0.05 },
  };
};

const cases: { name: string; spec: RunSpecInput }[] = [
  { name: 'MNIST MLP 784-128-10 sgd', spec: mnistMlpSgdSpec(64) },
  { name: 'MNIST MLP 784-128-10 sgd', spec: mnistMlpSgdSpec(256) },
  { name: 'MNIST MLP 784-128-64-10 momentum', spec: mnistExampleSpec({ batchSize: 64 }) },
  { name: 'CNN conv8@3x3-pool-dense10 momentum', spec: mnistCnnExampleSpec({ batchSize: 64 }) },
];

/**
 * What a developer would write with TF.js alone: the same model, the same JS batch gather, the
 * TF.js optimizer's minimize and a loss read-back per step (no state read-back, no hash).
 */
async function rawTrainer(
  engine: Engine,
): Promise<{ step: (t: number) => void; dispose: () => void }> {
  const spec = engine.spec;
  const model = await buildModel(spec.model.topology as Record<string, unknown>);
  const optimizer =
    spec.optimizer.kind === 'sgd'
      ? tf.train.sgd(spec.optimizer.learningRate)
      : spec.optimizer.kind === 'momentum'
        ? tf.train.momentum(spec.optimizer.learningRate, spec.optimizer.momentum)
        : tf.train.adam(spec.optimizer.learningRate);
  const { inputSize, targetSize, inputs, targets, inputShape } = engine.dataset;
  return {
    step: (t) => {
      const indices = engine.schedule.batch(t);
      const xs = new Float32Array(indices.length * inputSize);
      const ys = new Float32Array(indices.length * targetSize);
      indices.forEach((e, row) => {
        xs.set(inputs.subarray(e * inputSize, (e + 1) * inputSize), row * inputSize);
        ys.set(targets.subarray(e * targetSize, (e + 1) * targetSize), row * targetSize);
      });
      const x = tf.tensor(xs, [indices.length, ...inputShape]);
      const y = tf.tensor(ys, [indices.length, targetSize]);
      const cost = optimizer.minimize(
        () => lossOf(spec.loss, model.apply(x) as tf.Tensor, y),
        true,
      )!;
      cost.dataSync();
      tf.dispose([cost, x, y]);
    },
    dispose: () => {
      model.dispose();
      optimizer.dispose();
    },
  };
}

/** Runs `step` for one timing window (at least 5 calls) and returns ms per call. */
async function timeWindow(step: () => unknown): Promise<number> {
  const begin = performance.now();
  let n = 0;
  while (performance.now() - begin < windowMs || n < 5) {
    await step();
    n++;
  }
  return (performance.now() - begin) / n;
}

const digits = loadMnistDigits();
const sources = { mnistDigits: digits };

// ── 1. Training steps: engine vs raw tfjs-wasm, interleaved; hashing old vs new on each state ──
interface StepRow {
  model: string;
  batch: number;
  params: number;
  stateBytes: number;
  flopsPerStep: number;
  engineMs: number[];
  rawWasmMs: number[];
  rawCpuMs: number[];
  hashNewMs: number[];
  hashOldMs: number[];
}
const stepRows: StepRow[] = [];
for (const [i, c] of cases.entries()) {
  log(
    `[${i + 1}/${cases.length}] ${c.name}, batch ${c.spec.batchSize}: ${rounds} interleaved rounds…`,
  );
  const engine = await Engine.create(c.spec, { sources });
  const raw = await rawTrainer(engine);
  let state: TrainingState = engine.initialState();
  let tEngine = 1;
  let tRaw = 1;
  const row: StepRow = {
    model: c.name,
    batch: engine.spec.batchSize,
    params: engine.model.countParams(),
    stateBytes: stateBytes(state).length,
    flopsPerStep: 3 * forwardFlopsPerExample(engine.model) * engine.spec.batchSize,
    engineMs: [],
    rawWasmMs: [],
    rawCpuMs: [],
    hashNewMs: [],
    hashOldMs: [],
  };
  for (let k = 0; k < 3; k++) {
    state = (await engine.step(state, tEngine++)).state; // warm-up: kernels, caches, tier-up
    raw.step(tRaw++);
  }
  for (let r = 0; r < rounds; r++) {
    noteLoad();
    row.engineMs.push(
      await timeWindow(async () => {
        state = (await engine.step(state, tEngine++)).state;
      }),
    );
    row.rawWasmMs.push(await timeWindow(() => raw.step(tRaw++)));
    // Hashing the same state: the engine's stateHash (hash-wasm, in place) vs the previous engine
    // (canonical bytes copied, then the hand-unrolled JS keccak).
    row.hashNewMs.push(await timeWindow(() => stateHash(state)));
    row.hashOldMs.push(await timeWindow(() => unrolledJsKeccak(stateBytes(state))));
  }
  if (keccak256(stateBytes(state)) !== stateHash(state)) throw new Error('stateHash ≠ keccak256');
  raw.dispose();
  engine.dispose();
  stepRows.push(row);
}

// ── 2. Raw tfjs-cpu (after the wasm work: switching the global backend back and forth would
// move every tensor between backends) ──
log('raw tfjs-cpu…');
{
  const engines: { row: StepRow; engine: Engine; raw: Awaited<ReturnType<typeof rawTrainer>> }[] =
    [];
  for (const [i, c] of cases.entries()) {
    const engine = await Engine.create(
      { ...c.spec, computeProfile: currentProfile('cpu') },
      { sources },
    );
    const raw = await rawTrainer(engine);
    raw.step(1);
    engines.push({ row: stepRows[i]!, engine, raw });
  }
  for (let r = 0; r < Math.min(rounds, 3); r++) {
    for (const e of engines) {
      noteLoad();
      let t = 2 + r * 1000;
      e.row.rawCpuMs.push(await timeWindow(() => e.raw.step(t++)));
    }
  }
  engines.forEach((e) => {
    e.raw.dispose();
    e.engine.dispose();
  });
}

// ── 3. Hash throughput on fixed inputs ──
log('keccak256 throughput…');
const hashRows: { impl: string; bytes: number; mbPerSecond: number[] }[] = [];
{
  const { keccak256Bytes: wasmKeccak } = await import('../src/keccak.js');
  const impls = [
    ['hash-wasm (engine, src/keccak.ts)', wasmKeccak],
    ['unrolled JS (previous engine)', unrolledJsKeccak],
    ['viem keccak256 (@noble/hashes)', (d: Uint8Array) => keccak256(d, 'bytes')],
  ] as const;
  for (const bytes of [875_544, 16 * 1024 * 1024]) {
    const data = new Uint8Array(bytes).map((_, i) => i * 31);
    const rowsHere = impls.map(([impl]) => ({ impl, bytes, mbPerSecond: [] as number[] }));
    for (let r = 0; r < rounds; r++) {
      for (const [k, [, hash]] of impls.entries()) {
        const ms = await timeWindow(() => hash(data));
        rowsHere[k]!.mbPerSecond.push(bytes / 1e3 / ms);
      }
    }
    hashRows.push(...rowsHere);
  }
}

// ── 4. Single-step replay (replayStep with a verified-dataset cache) ──
log('replay…');
const replayRows: {
  run: string;
  cold: number;
  fromCache: number[];
  fromMemory: number[];
}[] = [];
{
  const cacheDir = await mkdtemp(join(tmpdir(), 'um-bench-cache-'));
  try {
    for (const [run, spec, steps] of [
      ['iris MLP 4-8-3 adam', irisExampleSpec(), 20],
      ['MNIST MLP 784-128-64-10 momentum', mnistExampleSpec(), 5],
    ] as const) {
      const engine = await Engine.create(spec, { sources });
      const before = (await engine.runSteps(engine.initialState(), 1, steps - 1)).state;
      const checkpoint = engine.checkpoint(before);
      const expected = (await engine.step(before, steps)).stateHash;
      engine.dispose();
      const datasetCache = new NodeDatasetCache(cacheDir);
      const replayOnce = async (origin: string): Promise<number> => {
        const begin = performance.now();
        // The sources loader runs only on a miss: reading and parsing the digits is part of the cold cost.
        const result = await replayStep({
          spec,
          checkpoint,
          step: steps,
          expectedStateHash: expected,
          datasetCache,
          sources: () => ({ mnistDigits: loadMnistDigits({ cache: false }) }),
        });
        const ms = performance.now() - begin;
        if (!result.matches) throw new Error(`${run}: replay does not match`);
        if (result.datasetOrigin !== origin)
          throw new Error(`${run}: dataset from ${result.datasetOrigin}, expected ${origin}`);
        return ms;
      };
      clearDatasetMemo();
      const cold = await replayOnce('sources');
      const fromCache: number[] = [];
      const fromMemory: number[] = [];
      for (let r = 0; r < Math.max(rounds, 5); r++) {
        noteLoad();
        clearDatasetMemo();
        fromCache.push(await replayOnce('cache'));
        fromMemory.push(await replayOnce('memory'));
      }
      replayRows.push({ run, cold, fromCache, fromMemory });
    }
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

// ── Report ──
const cpu = cpus()[0];
const out: string[] = [];
out.push(
  `CPU: ${cpu?.model ?? '?'} × ${cpus().length}; WASM-SIMD bound assumed ${simdBoundGflops.toFixed(1)} GFLOP/s per core (${ghz} GHz × 4 lanes × (2 mul + 2 add pipes)); load average (1 min) during the run ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} on ${cpus().length} cores`,
);
out.push(
  `${rounds} interleaved rounds of ${windowMs} ms per variant; ms values are median [min–max] over rounds.`,
);
out.push('');
out.push(
  '| model | batch | params | state bytes | engine ms/step | raw tfjs-wasm ms/step | raw tfjs-cpu ms/step | engine / raw-wasm speed | engine GFLOP/s (% SIMD bound) | raw-wasm GFLOP/s (% SIMD bound) |',
);
out.push('| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |');
const gf = (flops: number, ms: number): string =>
  `${(flops / ms / 1e6).toFixed(2)} (${((100 * flops) / ms / 1e6 / simdBoundGflops).toFixed(1)} %)`;
for (const r of stepRows) {
  const e = median(r.engineMs);
  const w = median(r.rawWasmMs);
  out.push(
    `| ${r.model} | ${r.batch} | ${r.params} | ${r.stateBytes.toLocaleString('en')} | ${spread(r.engineMs)} | ${spread(r.rawWasmMs)} | ${spread(r.rawCpuMs)} | ${(w / e).toFixed(2)}× | ${gf(r.flopsPerStep, e)} | ${gf(r.flopsPerStep, w)} |`,
  );
}
out.push('');
out.push(
  '| model | batch | stateHash ms, hash-wasm (now) | stateHash ms, unrolled JS (before) | speed-up | hash / engine step, now | hash / engine step, before (derived) |',
);
out.push('| --- | --: | --: | --: | --: | --: | --: |');
for (const r of stepRows) {
  const now = median(r.hashNewMs);
  const before = median(r.hashOldMs);
  const e = median(r.engineMs);
  // The engine before this change paid `before` instead of `now` inside every step.
  out.push(
    `| ${r.model} | ${r.batch} | ${spread(r.hashNewMs)} | ${spread(r.hashOldMs)} | ${(before / now).toFixed(1)}× | ${((100 * now) / e).toFixed(1)} % | ${((100 * before) / (e - now + before)).toFixed(1)} % |`,
  );
}
out.push('');
out.push('| keccak256 implementation | input bytes | MB/s median [min–max] |');
out.push('| --- | --: | --: |');
for (const h of hashRows)
  out.push(`| ${h.impl} | ${h.bytes.toLocaleString('en')} | ${spread(h.mbPerSecond)} |`);
out.push('');
out.push(
  '| replayStep (one step from a checkpoint) | first: build + verify the dataset from its sources, ms | dataset from the file cache (re-verified), ms | dataset in memory, ms |',
);
out.push('| --- | --: | --: | --: |');
for (const r of replayRows)
  out.push(
    `| ${r.run} | ${r.cold.toFixed(0)} | ${spread(r.fromCache)} | ${spread(r.fromMemory)} |`,
  );
process.stdout.write(`${out.join('\n')}\n`);
if (args.has('--json'))
  process.stdout.write(`${JSON.stringify({ stepRows, hashRows, replayRows, loads }, null, 2)}\n`);
