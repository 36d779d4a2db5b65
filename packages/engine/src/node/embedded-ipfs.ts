import { unixfs, type UnixFS } from '@helia/unixfs';
import { FsBlockstore } from 'blockstore-fs';
import { CID } from 'multiformats/cid';
import { mkdir } from 'node:fs/promises';
import { importerOptions } from './unixfs-settings.js';
import {
  ContentNotFoundError,
  InvalidCidError,
  StorageError,
  type ContentStore,
} from '../storage.js';

export function parseCid(cid: string): CID {
  try {
    return CID.parse(cid);
  } catch (error) {
    throw new InvalidCidError(`${cid} is not a CID: ${(error as Error).message}`);
  }
}

const isNotFound = (error: unknown): boolean =>
  error instanceof Error &&
  /NotFound|not found|does not exist|ENOENT/i.test(`${error.name} ${error.message}`);

/**
 * An embedded IPFS node: Helia's UnixFS over a filesystem blockstore, with no libp2p and no
 * network. Blocks persist in `directory`; anything not stored locally is ContentNotFoundError.
 */
export class EmbeddedIpfs implements ContentStore {
  private constructor(
    private readonly blockstore: FsBlockstore,
    private readonly fs: UnixFS,
    readonly directory: string,
  ) {}

  static async open(directory: string): Promise<EmbeddedIpfs> {
    await mkdir(directory, { recursive: true });
    const blockstore = new FsBlockstore(directory);
    await blockstore.open();
    return new EmbeddedIpfs(blockstore, unixfs({ blockstore }), directory);
  }

  async addBytes(bytes: Uint8Array): Promise<string> {
    return (await this.fs.addBytes(bytes, importerOptions)).toString();
  }

  async addDirectory(files: Readonly<Record<string, Uint8Array>>): Promise<string> {
    const names = Object.keys(files).sort();
    for (const name of names) {
      if (!name || name.includes('/'))
        throw new StorageError(`directory entry name "${name}" must be non-empty without "/"`);
    }
    let root: CID | undefined;
    for await (const entry of this.fs.addAll(
      names.map((name) => ({ path: name, content: files[name]! })),
      { ...importerOptions, wrapWithDirectory: true },
    )) {
      root = entry.cid;
    }
    if (!root) throw new StorageError('the directory import produced no root');
    return root.toString();
  }

  async cat(cid: string, path?: string): Promise<Uint8Array> {
    const parsed = parseCid(cid);
    if (!(await this.blockstore.has(parsed))) throw new ContentNotFoundError(cid, path);
    const chunks: Uint8Array[] = [];
    try {
      for await (const chunk of this.fs.cat(
        parsed,
        path ? ({ path, offline: true } as never) : ({ offline: true } as never),
      ))
        chunks.push(chunk);
    } catch (error) {
      if (isNotFound(error)) throw new ContentNotFoundError(cid, path);
      throw new StorageError(
        `cannot read ${cid}${path ? `/${path}` : ''}: ${(error as Error).message}`,
      );
    }
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  /** Whether the entry is a directory (for the gateway). */
  async isDirectory(cid: string, path?: string): Promise<boolean> {
    const stat = await this.fs.stat(
      parseCid(cid),
      path ? ({ path, offline: true } as never) : ({ offline: true } as never),
    );
    return stat.type === 'directory';
  }

  async close(): Promise<void> {
    await this.blockstore.close();
  }
}
