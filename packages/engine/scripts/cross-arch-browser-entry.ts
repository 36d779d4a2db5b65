// Bundled by scripts/cross-arch.ts and run in Chromium and Firefox ESR.
import { configureWasm } from '../src/index.js';
import { probe } from './cross-arch-probe.js';

const page = window as unknown as { result?: unknown };
try {
  configureWasm('/wasm/');
  const digits = await Promise.all(
    Array.from({ length: 10 }, async (_, d) => {
      const response = await fetch(`/mnist/${d}.json`);
      return ((await response.json()) as { data: number[] }).data;
    }),
  );
  page.result = { ok: true, userAgent: navigator.userAgent, ...(await probe(digits)) };
} catch (error) {
  page.result = { ok: false, error: `${(error as Error).name}: ${(error as Error).message}` };
}
