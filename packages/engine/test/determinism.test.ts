import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Engine, irisExampleSpec } from '../src/index.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./fixtures/run-steps.ts', import.meta.url));

/** 100 steps in a fresh Node process (its own TF.js, wasm instance and module state). */
async function stepsInChildProcess(
  name: string,
  backend: string,
  steps: number,
): Promise<{ hashes: string[]; root: string }> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', script, name, backend, String(steps)],
    { maxBuffer: 1 << 24 },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describe('determinism across processes', () => {
  it('two separate processes compute identical hashes for the same 100 iris steps, equal to this one', async () => {
    const [a, b] = await Promise.all([
      stepsInChildProcess('iris', 'wasm', 100),
      stepsInChildProcess('iris', 'wasm', 100),
    ]);
    expect(a.hashes).toHaveLength(100);
    expect(new Set(a.hashes).size).toBe(100);
    expect(b).toEqual(a);
    const engine = await Engine.create(irisExampleSpec());
    const here = await engine.runSteps(engine.initialState(), 1, 100);
    engine.dispose();
    expect(here.steps.map((s) => s.stateHash)).toEqual(a.hashes);
    expect(here.root).toBe(a.root);
  }, 120_000);

  it('the cpu profile is deterministic across processes too, and differs from wasm', async () => {
    const [cpu1, cpu2, wasm] = await Promise.all([
      stepsInChildProcess('sin', 'cpu', 30),
      stepsInChildProcess('sin', 'cpu', 30),
      stepsInChildProcess('sin', 'wasm', 30),
    ]);
    expect(cpu2).toEqual(cpu1);
    expect(wasm.hashes[29]).not.toBe(cpu1.hashes[29]);
  }, 120_000);
});
