import { create, type KuboRPCClient } from 'kubo-rpc-client';
import { cidSettings, ContentNotFoundError, StorageError, type ContentStore } from '../storage.js';
import { parseCid } from './embedded-ipfs.js';

/** The add options that make Kubo produce the same CIDs as the embedded node (see cidSettings). */
export const kuboAddOptions = {
  cidVersion: cidSettings.cidVersion,
  rawLeaves: cidSettings.rawLeaves,
  chunker: `size-${cidSettings.chunkSize}`,
  hashAlg: cidSettings.hash,
  trickle: false,
  pin: true,
} as const;

/**
 * A ContentStore backed by a real Kubo node's RPC API (e.g. http://127.0.0.1:5001). The node must
 * use Kubo's default balanced layout of 174 links per node (Import.UnixFSFileMaxLinks unset), and
 * directories below the HAMT sharding threshold, for CIDs to match the embedded node's.
 */
export class KuboStore implements ContentStore {
  readonly client: KuboRPCClient;

  constructor(url: string | URL) {
    this.client = create({ url });
  }

  async addBytes(bytes: Uint8Array): Promise<string> {
    try {
      const { cid } = await this.client.add(bytes, kuboAddOptions);
      return cid.toString();
    } catch (error) {
      throw new StorageError(`Kubo add failed: ${(error as Error).message}`);
    }
  }

  async addDirectory(files: Readonly<Record<string, Uint8Array>>): Promise<string> {
    const names = Object.keys(files).sort();
    let root: string | undefined;
    try {
      for await (const entry of this.client.addAll(
        names.map((name) => ({ path: name, content: files[name]! })),
        { ...kuboAddOptions, wrapWithDirectory: true },
      )) {
        if (entry.path === '') root = entry.cid.toString();
      }
    } catch (error) {
      throw new StorageError(`Kubo add failed: ${(error as Error).message}`);
    }
    if (!root) throw new StorageError('Kubo returned no directory root for the wrapped add');
    return root;
  }

  async cat(cid: string, path?: string): Promise<Uint8Array> {
    parseCid(cid);
    const chunks: Uint8Array[] = [];
    try {
      for await (const chunk of this.client.cat(`/ipfs/${cid}${path ? `/${path}` : ''}`))
        chunks.push(chunk);
    } catch (error) {
      const message = (error as Error).message;
      if (/not found|no link named|could not resolve/i.test(message))
        throw new ContentNotFoundError(cid, path);
      throw new StorageError(`Kubo cat failed: ${message}`);
    }
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  async close(): Promise<void> {}
}
