/**
 * Finds the Chromium the browser tests drive: $CHROMIUM_PATH, else Debian's /usr/bin/chromium.
 * When it is missing and we run as root with apt-get available, installs Debian's `chromium`
 * package (saying so); otherwise fails with a one-line instruction. Never skips silently.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export class ChromiumNotFoundError extends Error {
  override name = 'ChromiumNotFoundError';
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function hasApt(): boolean {
  return spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
}

export function findChromium(
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (executable(fromEnv)) return fromEnv;
    throw new ChromiumNotFoundError(
      `CHROMIUM_PATH=${fromEnv} is not an executable file; fix it or unset it to use ${DEFAULT_CHROMIUM}.`,
    );
  }
  if (executable(DEFAULT_CHROMIUM)) return DEFAULT_CHROMIUM;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && hasApt()) {
    log(
      `browser tests: ${DEFAULT_CHROMIUM} not found; installing Debian's chromium package with apt-get (running as root)…`,
    );
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (existsSync(DEFAULT_CHROMIUM)) {
      log(`browser tests: installed ${DEFAULT_CHROMIUM}`);
      return DEFAULT_CHROMIUM;
    }
  }
  throw new ChromiumNotFoundError(
    `Chromium not found: install it with "sudo apt-get install -y chromium" or set CHROMIUM_PATH to a Chromium/Chrome binary.`,
  );
}
