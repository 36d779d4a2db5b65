// A small process supervisor for `npm run dev` and the end-to-end tests: starts child processes
// with prefixed output (and a full log file per service), waits for their health endpoints, and
// stops them all (newest first) on Ctrl-C, SIGTERM or the first unexpected exit.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';

const colours = [36, 35, 33, 32, 34, 91, 92, 93, 94, 95];

export class Supervisor {
  #children = [];
  #stopping = false;
  #log;
  #onCrash;
  #colour;

  /**
   * @param log     where prefixed lines go (default stdout)
   * @param onCrash called once when a service exits while the stack is running; the default stops
   *                the stack and exits the process with the service's code
   * @param colour  ANSI colours in prefixes (default: when stdout is a TTY)
   */
  constructor({ log = (line) => process.stdout.write(`${line}\n`), onCrash, colour } = {}) {
    this.#log = log;
    this.#colour = colour ?? Boolean(process.stdout.isTTY);
    this.#onCrash =
      onCrash ??
      ((name, code) => {
        void this.stop().then(() =>
          process.exit(typeof code === 'number' && code !== 0 ? code : 1),
        );
      });
  }

  get stopping() {
    return this.#stopping;
  }

  /** The prefix printed before a service's lines. */
  prefix(name, index = this.#children.length) {
    const label = name.padEnd(12);
    return this.#colour ? `\x1b[${colours[index % colours.length]}m${label}\x1b[0m│` : `${label}│`;
  }

  /**
   * Starts `command args` as service `name`. Every output line goes to `logFile` (if given) and,
   * as `format(line)` rewrites it (null = not shown; default: as is), to the console.
   */
  start(name, command, args, { env = {}, cwd, logFile, format = (line) => line, tier = 0 } = {}) {
    // detached: a process group of its own, so a terminal's Ctrl-C reaches only the supervisor,
    // which then stops the services one by one, newest first (no service sees two signals).
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const prefix = this.prefix(name);
    let file;
    if (logFile) {
      mkdirSync(dirname(logFile), { recursive: true });
      file = createWriteStream(logFile, { flags: 'a' });
    }
    const tail = [];
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        file?.write(`${line}\n`);
        tail.push(line);
        if (tail.length > 20) tail.shift();
        const shown = format(line);
        if (shown !== null) this.#log(`${prefix} ${shown}`);
      });
    }
    const entry = { name, child, exited: once(child, 'exit'), file, tier };
    this.#children.push(entry);
    entry.exited.then(([code, signal]) => {
      if (this.#stopping) return;
      this.#log(`${prefix} exited (${signal ?? code}) unexpectedly; its last lines:`);
      for (const line of tail) this.#log(`${prefix}   ${line}`);
      this.#onCrash(name, code);
    });
    child.on('error', (error) => this.#log(`${prefix} could not start: ${error.message}`));
    return child;
  }

  /**
   * Stops every child: the highest tier first (services of one tier in parallel), so clients stop
   * before what they depend on (portal → workers → indexer → IPFS → chain). SIGTERM, then SIGKILL
   * after `graceMs`.
   */
  async stop(graceMs = 10_000) {
    this.#stopping = true;
    const tiers = [...new Set(this.#children.map((c) => c.tier))].sort((a, b) => b - a);
    for (const tier of tiers) {
      await Promise.all(
        this.#children
          .filter((c) => c.tier === tier)
          .map(async ({ name, child, exited, file }) => {
            if (child.exitCode === null && child.signalCode === null) {
              child.kill('SIGTERM');
              const timer = setTimeout(() => {
                this.#log(`${this.prefix(name)} did not stop within ${graceMs} ms; killing it`);
                child.kill('SIGKILL');
              }, graceMs);
              await exited;
              clearTimeout(timer);
            }
            file?.end();
          }),
      );
    }
  }
}

/**
 * Polls `url` until it answers 2xx (any status with `anyStatus`: the server is listening), or
 * throws after `timeoutMs` or when `child` exits, naming the service.
 */
export async function waitForHttp(
  name,
  url,
  timeoutMs = 60_000,
  child,
  { anyStatus = false } = {},
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && (child.exitCode !== null || child.signalCode !== null))
      throw new Error(`${name} exited before it became healthy at ${url}`);
    try {
      const response = await fetch(url);
      if (response.ok || anyStatus) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline)
      throw new Error(`${name} did not become healthy at ${url} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Polls `check` until it returns a truthy value; throws after `timeoutMs` naming `what`, or at
 * once when `check` throws an error marked `fatal` (waiting longer cannot help).
 */
export async function waitFor(what, check, timeoutMs = 120_000, everyMs = 500) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      if (error?.fatal) throw error;
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
