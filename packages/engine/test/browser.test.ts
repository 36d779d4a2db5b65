import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import { IRIS_WASM } from './fixtures/golden.js';

const wasmDir = join(
  dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
  'dist',
);

describe('in the browser', () => {
  it('bundles with no Node built-ins and reproduces the Node golden hashes in Chromium (wasm)', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'um-engine-browser-'));
    const warnings: string[] = [];
    try {
      await build({
        configFile: false,
        logLevel: 'silent',
        build: {
          outDir,
          minify: false,
          target: 'es2022',
          lib: {
            entry: fileURLToPath(new URL('./fixtures/browser-entry.ts', import.meta.url)),
            formats: ['es'],
            fileName: 'entry',
          },
          rollupOptions: { onwarn: (warning) => warnings.push(warning.message) },
        },
      });
      const files = await readdir(outDir);
      const code = (
        await Promise.all(
          files.filter((f) => f.endsWith('.js')).map((f) => readFile(join(outDir, f), 'utf8')),
        )
      ).join('\n');
      expect(code).not.toMatch(/from\s*["']node:|import\(["']node:|__vite-browser-external/);
      expect(
        warnings.filter((w) => /externalized for browser compatibility|node:/.test(w)),
      ).toEqual([]);

      const server = createServer((req, res) => {
        void (async () => {
          const url = req.url ?? '/';
          try {
            if (url === '/')
              return void res
                .writeHead(200, { 'Content-Type': 'text/html' })
                .end('<script type="module" src="/entry.js"></script>');
            if (url.startsWith('/wasm/')) {
              const bytes = await readFile(join(wasmDir, url.slice('/wasm/'.length)));
              return void res.writeHead(200, { 'Content-Type': 'application/wasm' }).end(bytes);
            }
            const bytes = await readFile(join(outDir, url.slice(1)));
            res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(bytes);
          } catch {
            res.writeHead(404).end();
          }
        })();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
        const handle = await page.waitForFunction(
          () => (window as unknown as { result?: unknown }).result,
          undefined,
          { timeout: 150_000 },
        );
        expect(errors).toEqual([]);
        expect(await handle.jsonValue()).toEqual({
          backend: 'wasm',
          initial: IRIS_WASM.initial,
          step1: IRIS_WASM.step1,
          step100: IRIS_WASM.step100,
          round1Root: IRIS_WASM.round1Root,
          replayMatches: true,
          cachedReplays: ['sources:true', 'cache:true'],
        });
      } finally {
        await browser.close();
        server.close();
      }
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  }, 240_000);
});
