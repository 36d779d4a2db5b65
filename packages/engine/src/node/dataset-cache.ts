import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetCache } from '../datasets/index.js';

/**
 * A DatasetCache in a directory (one file per split, written atomically). Entries are re-checked
 * against the spec's root on every load, so a damaged or edited file is rebuilt, never trusted.
 */
export class NodeDatasetCache implements DatasetCache {
  constructor(readonly directory: string) {}

  private file(key: string): string {
    if (!/^[a-z0-9-]+-0x[0-9a-f]{64}$/.test(key)) throw new Error(`unexpected cache key ${key}`);
    return join(this.directory, `${key}.bin`);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.file(key)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async set(key: string, bytes: Uint8Array): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const target = this.file(key);
    const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, target);
  }
}
