import type { DatasetRef } from '@um/protocol';
import { assertLittleEndian } from '../endian.js';
import { EngineError } from '../errors.js';
import { assertDatasetRoot, datasetRoot, InvalidDatasetError, type Dataset } from './dataset.js';
import { loadDataset, type DatasetSources } from './index.js';

/**
 * Persistent storage for built dataset splits, so a replay does not rebuild MNIST from 21 MB of
 * JSON every time. Entries are opaque bytes under a key naming the split and its root; whatever a
 * cache returns is checked against the spec's root again before use (a cache is never trusted).
 * Implementations: `NodeDatasetCache` (a directory, from '@um/engine/node') and
 * `IndexedDbDatasetCache` (browsers).
 */
export interface DatasetCache {
  get(key: string): Promise<Uint8Array | undefined>;
  set(key: string, bytes: Uint8Array): Promise<void>;
}

export class DatasetCacheError extends EngineError {
  override name = 'DatasetCacheError';
}

/** Where a dataset came from: this process's memory, the persistent cache, or its raw sources. */
export type DatasetOrigin = 'memory' | 'cache' | 'sources';

/** Cache key of a split: name, split and the root it must hash to. */
export const datasetCacheKey = (ref: Pick<DatasetRef, 'name' | 'split' | 'root'>): string =>
  `${ref.name}-${ref.split}-${ref.root.toLowerCase()}`;

const MAGIC = 0x55_4d_44_31; // "UMD1"

/** Serialises a split: magic, header length, JSON header, padding to 4, inputs f32 LE, targets f32 LE. */
export function encodeDataset(dataset: Dataset): Uint8Array {
  assertLittleEndian();
  const header = new TextEncoder().encode(
    JSON.stringify({
      name: dataset.name,
      split: dataset.split,
      task: dataset.task,
      inputShape: dataset.inputShape,
      targetSize: dataset.targetSize,
      size: dataset.size,
    }),
  );
  const start = 8 + Math.ceil(header.length / 4) * 4;
  const bytes = new Uint8Array(start + 4 * (dataset.inputs.length + dataset.targets.length));
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, header.length, true);
  bytes.set(header, 8);
  bytes.set(
    new Uint8Array(dataset.inputs.buffer, dataset.inputs.byteOffset, 4 * dataset.inputs.length),
    start,
  );
  bytes.set(
    new Uint8Array(dataset.targets.buffer, dataset.targets.byteOffset, 4 * dataset.targets.length),
    start + 4 * dataset.inputs.length,
  );
  return bytes;
}

/** Parses encodeDataset's bytes (InvalidDatasetError when malformed); the root is checked by the caller. */
export function decodeDataset(bytes: Uint8Array): Dataset {
  assertLittleEndian();
  try {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length < 8 || view.getUint32(0, true) !== MAGIC)
      throw new Error('not a dataset file');
    const headerLength = view.getUint32(4, true);
    const header = JSON.parse(
      new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)),
    ) as Omit<Dataset, 'inputs' | 'targets' | 'inputSize'>;
    const inputSize = header.inputShape.reduce((a, b) => a * b, 1);
    const start = 8 + Math.ceil(headerLength / 4) * 4;
    const nInputs = header.size * inputSize;
    const nTargets = header.size * header.targetSize;
    if (bytes.length !== start + 4 * (nInputs + nTargets)) throw new Error('wrong length');
    const copy = bytes.slice(start); // aligned, owned
    return {
      ...header,
      inputShape: [...header.inputShape],
      inputSize,
      inputs: new Float32Array(copy.buffer, 0, nInputs),
      targets: new Float32Array(copy.buffer, 4 * nInputs, nTargets),
    };
  } catch (error) {
    throw new InvalidDatasetError('a cached dataset is malformed', { cause: error });
  }
}

// Splits already verified in this process (a page replaying several steps builds MNIST once).
// Bounded: the last few splits only, least recently used first out.
const memo = new Map<string, Dataset>();
const MEMO_ENTRIES = 3;

/** Forgets the splits kept in memory (the persistent cache is untouched). */
export function clearDatasetMemo(): void {
  memo.clear();
}

/**
 * The split a spec names, verified against its root: from memory, else from `cache` (re-checked),
 * else built from `sources` (a loader that runs only on a miss, e.g. fetching the MNIST digits) and
 * then stored in `cache`. A cache that fails to read or write is skipped, never trusted.
 */
export async function loadDatasetCached(
  ref: DatasetRef,
  options: {
    cache?: DatasetCache;
    sources?: DatasetSources | (() => DatasetSources | Promise<DatasetSources>);
  } = {},
): Promise<{ dataset: Dataset; origin: DatasetOrigin }> {
  const key = datasetCacheKey(ref);
  const held = memo.get(key);
  if (held) {
    memo.delete(key);
    memo.set(key, held);
    return { dataset: held, origin: 'memory' };
  }
  let dataset: Dataset | undefined;
  let origin: DatasetOrigin = 'cache';
  const cached = options.cache ? await options.cache.get(key).catch(() => undefined) : undefined;
  if (cached) {
    try {
      const candidate = decodeDataset(cached);
      if (candidate.name === ref.name && candidate.split === ref.split) {
        assertDatasetRoot(candidate, ref);
        dataset = candidate;
      }
    } catch {
      dataset = undefined; // a stale or damaged entry: rebuild from the sources below
    }
  }
  if (!dataset) {
    origin = 'sources';
    const sources =
      typeof options.sources === 'function' ? await options.sources() : options.sources;
    dataset = loadDataset(ref, sources);
    if (options.cache) await options.cache.set(key, encodeDataset(dataset)).catch(() => undefined);
  }
  datasetRoot(dataset); // memoised on the object
  memo.set(key, dataset);
  while (memo.size > MEMO_ENTRIES) memo.delete(memo.keys().next().value!);
  return { dataset, origin };
}

// The few IndexedDB shapes used here (the engine compiles without the DOM library).
interface IdbRequest<T> {
  result: T;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface IdbStore {
  get(key: string): IdbRequest<unknown>;
  put(value: unknown, key: string): IdbRequest<unknown>;
}
interface IdbDatabase {
  createObjectStore(name: string): unknown;
  transaction(
    store: string,
    mode: 'readonly' | 'readwrite',
  ): { objectStore(name: string): IdbStore };
}
interface IdbOpenRequest extends IdbRequest<IdbDatabase> {
  onupgradeneeded: (() => void) | null;
}
interface IdbFactory {
  open(name: string, version: number): IdbOpenRequest;
}

/** A DatasetCache in the browser's IndexedDB (one object store "datasets", keys as above). */
export class IndexedDbDatasetCache implements DatasetCache {
  private db: Promise<IdbDatabase> | undefined;
  constructor(readonly databaseName = 'um-engine-datasets') {}

  private open(): Promise<IdbDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const factory = (globalThis as { indexedDB?: IdbFactory }).indexedDB;
      if (!factory) {
        reject(new DatasetCacheError('IndexedDB is not available here'));
        return;
      }
      const request = factory.open(this.databaseName, 1);
      request.onupgradeneeded = () => void request.result.createObjectStore('datasets');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () =>
        reject(new DatasetCacheError('could not open IndexedDB', { cause: request.error }));
    });
    return this.db;
  }

  private async run(
    mode: 'readonly' | 'readwrite',
    action: (store: IdbStore) => IdbRequest<unknown>,
  ): Promise<unknown> {
    const db = await this.open();
    return new Promise((resolve, reject) => {
      const request = action(db.transaction('datasets', mode).objectStore('datasets'));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () =>
        reject(new DatasetCacheError('IndexedDB request failed', { cause: request.error }));
    });
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const value = await this.run('readonly', (store) => store.get(key));
    return value instanceof ArrayBuffer ? new Uint8Array(value) : undefined;
  }

  async set(key: string, bytes: Uint8Array): Promise<void> {
    await this.run('readwrite', (store) => store.put(bytes.slice().buffer, key));
  }
}
