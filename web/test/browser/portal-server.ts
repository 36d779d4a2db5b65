/**
 * Starts the built portal exactly as production does (remix-serve over build/server/index.js),
 * bound to 127.0.0.1 on a free port, and builds it first when build/ is missing or stale.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const WEB_DIR = fileURLToPath(new URL('../..', import.meta.url));
const SERVER_BUILD = `${WEB_DIR}/build/server/index.js`;

/** Newest modification time of any file under `dir`. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the portal when build/ is missing or older than app/, so tests never run a stale build. */
export function ensureBuilt(
  log: (l: string) => void = (l) => process.stderr.write(`${l}\n`),
): void {
  if (
    existsSync(SERVER_BUILD) &&
    statSync(SERVER_BUILD).mtimeMs >= newestMtime(join(WEB_DIR, 'app'))
  ) {
    return;
  }
  log('browser tests: web/build is missing or older than app/; running `remix vite:build` first…');
  const r = spawnSync(
    process.execPath,
    [createRequire(import.meta.url).resolve('@remix-run/dev/dist/cli.js'), 'vite:build'],
    {
      cwd: WEB_DIR,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) throw new Error(`remix vite:build failed with exit code ${r.status}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export type PortalServer = {
  url: string;
  process: ChildProcess;
  output: () => string;
  close(): Promise<void>;
};

/**
 * Starts remix-serve on this portal's build, or on another portal directory's existing build
 * (`webDir`: the benchmark's baseline, an older commit of web/ built beside this one).
 */
export async function startPortal(
  env: Record<string, string>,
  opts: { webDir?: string } = {},
): Promise<PortalServer> {
  const webDir = opts.webDir ?? WEB_DIR;
  if (!opts.webDir) ensureBuilt();
  const port = await freePort();
  const cli = createRequire(import.meta.url).resolve('@remix-run/serve/dist/cli.js');
  const child = spawn(process.execPath, [cli, join(webDir, 'build/server/index.js')], {
    cwd: webDir,
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`remix-serve did not start in 20 s:\n${out}`)),
      20_000,
    );
    const check = () => {
      if (out.includes('[remix-serve]')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`remix-serve exited with ${code}:\n${out}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    output: () => out,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
