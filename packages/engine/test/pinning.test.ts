import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PINNED_WASM } from '../src/index.js';
import { IRIS_WASM } from './fixtures/golden.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./fixtures/pinning-scenario.ts', import.meta.url));

/** Runs one scenario in a fresh Node process (TF.js's backend and kernel registries are global). */
async function scenario(name: string): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script, name], {
    maxBuffer: 1 << 22,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describe('the pinned runtime', () => {
  it('refuses each runtime it did not pin, with a typed error, and runs the pinned one', async () => {
    const [pinned, noSimd, tfjsFirst, foreignKernel, replacedLater] = await Promise.all([
      scenario('pinned'),
      scenario('no-simd-binary'),
      scenario('tfjs-first'),
      scenario('foreign-kernel'),
      scenario('kernel-replaced-later'),
    ]);
    expect(pinned).toEqual({ threw: false, backend: 'wasm', step1: IRIS_WASM.step1 });

    // The no-SIMD binary served under the SIMD name: caught by its sha256 before instantiation.
    expect(noSimd).toMatchObject({
      threw: true,
      name: 'WasmBinaryMismatchError',
      isEngineError: true,
      expectedSha256: PINNED_WASM.sha256,
    });
    expect(noSimd.actualSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(noSimd.actualSha256).not.toBe(PINNED_WASM.sha256);

    // TF.js's wasm backend set up by other code before the engine.
    expect(tfjsFirst).toMatchObject({
      threw: true,
      name: 'ForeignBackendError',
      isEngineError: true,
    });
    expect(tfjsFirst.message).toMatch(/initialised before the engine/);

    // A Conv2DBackpropFilter registered before the engine's.
    expect(foreignKernel).toMatchObject({
      threw: true,
      name: 'ForeignKernelError',
      isEngineError: true,
      kernels: ['Conv2DBackpropFilter'],
    });

    // A kernel re-registered after Engine.create: the next step refuses.
    expect(replacedLater).toMatchObject({
      threw: true,
      name: 'ForeignKernelError',
      kernels: ['Softmax'],
    });
  }, 120_000);
});
