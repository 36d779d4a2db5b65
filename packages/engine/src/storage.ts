import { checkpointFileNames, type CheckpointFiles } from './checkpoint.js';
import { EngineError } from './errors.js';

/**
 * The UnixFS import settings every store uses, so the same bytes get the same CID in the embedded
 * node and in Kubo: CIDv1 (base32), sha2-256, raw leaves, fixed 256 KiB chunks, balanced DAG of at
 * most 174 links per node (Kubo's defaults with --cid-version=1), a file of one chunk is a raw
 * block; directories are plain (unsharded) UnixFS directories with links sorted by name, no
 * mode/mtime metadata.
 */
export const cidSettings = {
  cidVersion: 1,
  hash: 'sha2-256',
  rawLeaves: true,
  chunkSize: 262_144,
  maxChildrenPerNode: 174,
  layout: 'balanced',
} as const;

/** Content-addressed storage: where checkpoints, specs and evidence live. */
export interface ContentStore {
  /** Stores bytes as one UnixFS file; returns its CID (base32 CIDv1). */
  addBytes(bytes: Uint8Array): Promise<string>;
  /** Stores files as one flat UnixFS directory; returns the directory's CID. */
  addDirectory(files: Readonly<Record<string, Uint8Array>>): Promise<string>;
  /** The bytes of a file: `cid` itself, or `path` inside the directory `cid`. */
  cat(cid: string, path?: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

export class ContentNotFoundError extends EngineError {
  override name = 'ContentNotFoundError';
  constructor(
    readonly cid: string,
    readonly path?: string,
  ) {
    super(`content ${cid}${path ? `/${path}` : ''} is not in the store`);
  }
}

export class InvalidCidError extends EngineError {
  override name = 'InvalidCidError';
}

export class StorageError extends EngineError {
  override name = 'StorageError';
}

/** Stores a checkpoint directory (model.json, weights.bin, optimizer.bin); returns its CID. */
export const putCheckpoint = (store: ContentStore, files: CheckpointFiles): Promise<string> =>
  store.addDirectory({ ...files });

/** Reads a checkpoint directory back. */
export async function getCheckpoint(store: ContentStore, cid: string): Promise<CheckpointFiles> {
  const entries = await Promise.all(
    checkpointFileNames.map(async (name) => [name, await store.cat(cid, name)] as const),
  );
  return Object.fromEntries(entries) as unknown as CheckpointFiles;
}
