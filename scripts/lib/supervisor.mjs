// A small process supervisor for `npm run dev` and the end-to-end tests: starts child processes
// with prefixed output, waits for their health endpoints, and stops them all (children first,
// in reverse start order) on Ctrl-C, SIGTERM or the first unexpected exit.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const colours = [36, 35, 33, 32, 34, 91, 92, 93, 94, 95];

export class Supervisor {
  #children = [];
  #stopping = false;
  #log;

  constructor({ log = (line) => process.stdout.write(`${line}\n`) } = {}) {
    this.#log = log;
  }

  /** Starts `command args` as service `name`; output lines are prefixed with the name. */
  start(name, command, args, { env = {}, cwd, quiet = false } = {}) {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const colour = colours[this.#children.length % colours.length];
    const prefix = `\x1b[${colour}m${name.padEnd(10)}\x1b[0m│`;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        if (!quiet) this.#log(`${prefix} ${line}`);
      });
    }
    const entry = { name, child, exited: once(child, 'exit') };
    this.#children.push(entry);
    entry.exited.then(([code, signal]) => {
      if (this.#stopping) return;
      this.#log(`${prefix} exited (${signal ?? code}); stopping the stack`);
      void this.stop().then(() => process.exit(typeof code === 'number' && code !== 0 ? code : 1));
    });
    return child;
  }

  /** Stops every child, newest first; SIGKILL after `graceMs`. */
  async stop(graceMs = 5_000) {
    this.#stopping = true;
    for (const { child, exited } of [...this.#children].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
  }
}

/** Polls `url` until it answers 2xx, or throws after `timeoutMs`, naming the service. */
export async function waitForHttp(name, url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline)
      throw new Error(`${name} did not become healthy at ${url} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
