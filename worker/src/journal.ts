import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { JournalError } from './errors.js';

/**
 * A small JSON document on disk that survives `kill -9` at any instant: every write goes to
 * `<path>.tmp`, is fsync'ed, renamed over `<path>` (atomic on POSIX) and the directory is
 * fsync'ed, so a reader sees either the previous or the new version, never a torn one.
 * bigint values are stored as {"$bigint": "…"}.
 */
export class Journal<T extends object> {
  constructor(
    readonly path: string,
    private readonly empty: () => T,
  ) {
    mkdirSync(dirname(path), { recursive: true });
  }

  read(): T {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this.empty();
      throw new JournalError(`cannot read journal ${this.path}: ${(error as Error).message}`);
    }
    try {
      return JSON.parse(text, (_key, value: unknown) =>
        value !== null && typeof value === 'object' && '$bigint' in value
          ? BigInt((value as { $bigint: string }).$bigint)
          : value,
      ) as T;
    } catch (error) {
      throw new JournalError(`journal ${this.path} is not JSON: ${(error as Error).message}`);
    }
  }

  write(value: T): void {
    const text = JSON.stringify(
      value,
      (_key, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v),
      2,
    );
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    const dir = openSync(dirname(this.path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }

  update(change: (value: T) => T): T {
    const next = change(this.read());
    this.write(next);
    return next;
  }
}
