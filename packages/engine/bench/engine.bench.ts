// Engine benchmark: training steps/s and achieved GFLOP/s per model and backend, plus stateHash
// throughput. Not a test: run with `npm run bench -w packages/engine` and record the table in
// docs/performance.md ("## Engine").
//
//   npm run bench -w packages/engine              full run (≈ 3–6 min on 2 cores)
//   npm run bench -w packages/engine -- --quick   shorter timing windows
//   npm run bench -w packages/engine -- --json    also print the rows as JSON
import { cpus, loadavg } from 'node:os';
import { keccak256 } from 'viem';
import { keccak256Bytes, stateHash } from '../src/index.js';
import {
  Engine,
  forwardFlopsPerExample,
  irisExampleSpec,
  mnistCnnExampleSpec,
  mnistExampleSpec,
  type TrainingState,
} from '../src/index.js';
import type { RunSpecInput } from '@um/protocol';
import { loadMnistDigits } from '../src/node/index.js';

const args = new Set(process.argv.slice(2));
if (args.has('--help')) {
  process.stdout.write(
    'usage: tsx bench/engine.bench.ts [--quick] [--json]\n  e.g. npm run bench -w packages/engine -- --quick\n',
  );
  process.exit(0);
}
const windowSeconds = args.has('--quick') ? 1.5 : 4;
// Theoretical single-core FP32 peak used for the "% peak" column (both backends run one thread):
// AMD Zen 5 (EPYC family 26) at 2.6 GHz with two 512-bit FMA pipes = 2.6e9 × 2 × 16 lanes × 2 flops.
const peakGflops = Number(process.env.PEAK_GFLOPS ?? 166.4);
const log = (message: string): void => void process.stderr.write(`${message}\n`);

interface Row {
  model: string;
  backend: string;
  batch: number;
  params: number;
  stepMs: number;
  stepsPerSecond: number;
  gflops: number;
  hashMs: number;
}

const cases: { model: string; spec: (backend: 'wasm' | 'cpu') => RunSpecInput; mnist: boolean }[] =
  [
    {
      model: 'iris MLP 4-8-3',
      spec: (backend) => irisExampleSpec({ backend, batchSize: 16 }),
      mnist: false,
    },
    {
      model: 'MNIST MLP 784-128-64-10',
      spec: (backend) => mnistExampleSpec({ backend, batchSize: 64 }),
      mnist: true,
    },
    {
      model: 'MNIST MLP 784-128-64-10',
      spec: (backend) => mnistExampleSpec({ backend, batchSize: 256 }),
      mnist: true,
    },
    {
      model: 'CNN conv8@3x3-pool-dense10',
      spec: (backend) => mnistCnnExampleSpec({ backend, batchSize: 64 }),
      mnist: true,
    },
  ];

async function timeSteps(
  engine: Engine,
  start: TrainingState,
): Promise<{ steps: number; seconds: number }> {
  let state = start;
  let t = state.step + 1;
  for (let i = 0; i < 3; i++) state = (await engine.step(state, t++)).state; // warm-up (kernels, caches)
  const begin = performance.now();
  let steps = 0;
  while ((performance.now() - begin) / 1000 < windowSeconds || steps < 5) {
    state = (await engine.step(state, t++)).state;
    steps++;
  }
  return { steps, seconds: (performance.now() - begin) / 1000 };
}

const rows: Row[] = [];
const digits = loadMnistDigits();
const total = cases.length * 2;
let done = 0;
for (const backend of ['wasm', 'cpu'] as const) {
  for (const c of cases) {
    const spec = c.spec(backend);
    log(`[${++done}/${total}] ${c.model}, batch ${spec.batchSize}, ${backend}: building…`);
    const engine = await Engine.create(spec, c.mnist ? { sources: { mnistDigits: digits } } : {});
    const flopsPerStep = 3 * forwardFlopsPerExample(engine.model) * spec.batchSize; // forward + 2× for backward
    const initial = engine.initialState();
    const { steps, seconds } = await timeSteps(engine, initial);
    const hashBegin = performance.now();
    for (let i = 0; i < 3; i++) stateHash(initial);
    const hashMs = (performance.now() - hashBegin) / 3;
    const stepsPerSecond = steps / seconds;
    rows.push({
      model: c.model,
      backend,
      batch: spec.batchSize,
      params: engine.model.countParams(),
      stepMs: (1000 * seconds) / steps,
      stepsPerSecond,
      gflops: (flopsPerStep * stepsPerSecond) / 1e9,
      hashMs,
    });
    log(`        ${steps} steps in ${seconds.toFixed(2)} s → ${stepsPerSecond.toFixed(1)} steps/s`);
    engine.dispose();
  }
}

log('stateHash throughput…');
// The engine's keccak (src/keccak.ts, what stateHash uses) and viem's generic one for comparison.
const hashRows: { impl: string; bytes: number; mbPerSecond: number }[] = [];
const hashImpls = [
  ['engine keccak256Bytes', keccak256Bytes],
  ['viem keccak256', (data: Uint8Array) => keccak256(data, 'bytes')],
] as const;
for (const bytes of [875_544, 16 * 1024 * 1024]) {
  const data = new Uint8Array(bytes).map((_, i) => i * 31);
  for (const [impl, hash] of hashImpls) {
    hash(data);
    const begin = performance.now();
    let n = 0;
    while (performance.now() - begin < windowSeconds * 500 || n < 2) {
      hash(data);
      n++;
    }
    hashRows.push({
      impl,
      bytes,
      mbPerSecond: (bytes * n) / 1e6 / ((performance.now() - begin) / 1000),
    });
  }
}

const cpu = cpus()[0];
const pad = (s: string, n: number): string => s.padEnd(n);
const out: string[] = [];
out.push(
  `CPU: ${cpu?.model ?? '?'} × ${cpus().length}; peak assumed ${peakGflops} GFLOP/s per core; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (other processes share the CPU when this exceeds the core count)`,
);
out.push('');
out.push(
  `| ${pad('model', 28)} | backend | batch | params  | ms/step | of which stateHash ms | steps/s | GFLOP/s | % of 1-core peak |`,
);
out.push(
  `| ${'-'.repeat(28)} | ------- | ----- | ------- | ------- | --------------------- | ------- | ------- | ---------------- |`,
);
for (const r of rows) {
  out.push(
    `| ${pad(r.model, 28)} | ${pad(r.backend, 7)} | ${String(r.batch).padStart(5)} | ${String(r.params).padStart(7)} | ${r.stepMs.toFixed(2).padStart(7)} | ${r.hashMs.toFixed(2).padStart(21)} | ${r.stepsPerSecond.toFixed(1).padStart(7)} | ${r.gflops.toFixed(3).padStart(7)} | ${((100 * r.gflops) / peakGflops).toFixed(3).padStart(15)}% |`,
  );
}
out.push('');
out.push('| keccak256 implementation | input bytes | MB/s  |');
out.push('| ------------------------ | ----------- | ----- |');
for (const h of hashRows) {
  out.push(
    `| ${pad(h.impl, 24)} | ${h.bytes.toLocaleString('en').padStart(11)} | ${h.mbPerSecond.toFixed(1).padStart(5)} |`,
  );
}
process.stdout.write(`${out.join('\n')}\n`);
if (args.has('--json')) process.stdout.write(`${JSON.stringify({ rows, hashRows }, null, 2)}\n`);
