import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';

describe('browser bundle', () => {
  it('bundles the main entry for the browser with no Node built-ins', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'um-engine-bundle-'));
    const warnings: string[] = [];
    try {
      await build({
        configFile: false,
        logLevel: 'silent',
        customLogger: {
          info() {},
          warn: (m: string) => warnings.push(m),
          warnOnce: (m: string) => warnings.push(m),
          error: (m: string) => warnings.push(m),
          clearScreen() {},
          hasErrorLogged: () => false,
          hasWarned: false,
        },
        build: {
          outDir,
          minify: false,
          write: true,
          lib: {
            entry: fileURLToPath(new URL('../src/index.ts', import.meta.url)),
            formats: ['es'],
            fileName: 'engine',
          },
          rollupOptions: {
            onwarn: (warning) => warnings.push(warning.message),
          },
        },
      });
      const files = await readdir(outDir);
      const code = (
        await Promise.all(
          files.filter((f) => f.endsWith('.js')).map((f) => readFile(join(outDir, f), 'utf8')),
        )
      ).join('\n');
      expect(code.length).toBeGreaterThan(100_000);
      expect(code).not.toMatch(/from\s*["']node:/);
      expect(code).not.toMatch(/import\(["']node:/);
      expect(
        warnings.filter((w) => /externalized for browser compatibility|node:/.test(w)),
      ).toEqual([]);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  }, 180_000);
});
