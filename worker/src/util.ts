/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** JSON.stringify that writes bigints as decimal strings. */
export const toJson = (value: unknown, space?: number): string =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), space);

/**
 * Test-only crash points (UM_WORKER_CRASH_AT=<point>: claim-sent, published, submit-sent or
 * step:<t>): the process SIGKILLs itself there, which is how the crash/restart tests reach exact
 * instants between two writes.
 */
export function crashPoint(point: string): void {
  if (process.env.UM_WORKER_CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
}
