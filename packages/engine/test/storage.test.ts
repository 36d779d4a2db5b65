import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import Hash from 'ipfs-only-hash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ContentNotFoundError,
  Engine,
  fetchCheckpoint,
  getCheckpoint,
  InvalidCidError,
  irisExampleSpec,
  putCheckpoint,
  replayStep,
} from '../src/index.js';
import { EmbeddedIpfs, startGateway, type Gateway } from '../src/node/index.js';

// ipfs-only-hash's own importer (ipfs-unixfs-importer 7, 2021), an implementation independent of
// the Helia 8 / importer 17 stack the engine uses, with Kubo's defaults (256 KiB chunks, 174 links).
const legacyImporter = createRequire(createRequire(import.meta.url).resolve('ipfs-only-hash'))(
  'ipfs-unixfs-importer',
) as {
  importer: (
    source: unknown,
    block: unknown,
    options: unknown,
  ) => AsyncIterable<{ cid: { toString(): string }; path: string }>;
};
const independentCid = (bytes: Uint8Array): Promise<string> =>
  Hash.of(bytes, { cidVersion: 1, rawLeaves: true });
async function independentDirectoryCid(files: Record<string, Uint8Array>): Promise<string> {
  const block = {
    put: async () => undefined,
    get: async () => {
      throw new Error('no get');
    },
  };
  let root = '';
  const entries = Object.keys(files)
    .sort()
    .map((name) => ({ path: name, content: files[name] }));
  for await (const entry of legacyImporter.importer(entries, block, {
    onlyHash: true,
    cidVersion: 1,
    rawLeaves: true,
    wrapWithDirectory: true,
  })) {
    if (entry.path === '') root = entry.cid.toString();
  }
  return root;
}

const bytesOf = (n: number, seed = 1): Uint8Array => {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
};

describe('embedded IPFS store', () => {
  let dir: string;
  let store: EmbeddedIpfs;
  let gateway: Gateway;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'um-ipfs-'));
    store = await EmbeddedIpfs.open(dir);
    gateway = await startGateway(store);
  });
  afterAll(async () => {
    await gateway.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['empty', 0],
    ['one byte', 1],
    ['one full chunk', 262_144],
    ['five chunks', 4 * 262_144 + 1],
    ['175 chunks (two levels of 174-link nodes)', 174 * 262_144 + 10],
  ])(
    'gives the same CID as an independent implementation: %s',
    async (_name, size) => {
      const bytes = bytesOf(size, size);
      const cid = await store.addBytes(bytes);
      expect(cid).toBe(await independentCid(bytes));
      expect(cid.startsWith('b')).toBe(true); // CIDv1 base32
      expect(Buffer.from(await store.cat(cid)).equals(Buffer.from(bytes))).toBe(true);
    },
    60_000,
  );

  it('stores a checkpoint directory with the same CID as the independent importer, and reads it back', async () => {
    const engine = await Engine.create(irisExampleSpec());
    const { state } = await engine.runSteps(engine.initialState(), 1, 5);
    const files = engine.checkpoint(state);
    const cid = await putCheckpoint(store, files);
    expect(cid).toBe(await independentDirectoryCid({ ...files }));
    expect(engine.loadCheckpoint(await getCheckpoint(store, cid)).step).toBe(5);
    // Same state, same bytes, same CID: a checkpoint's CID is a function of the state.
    expect(await putCheckpoint(store, engine.checkpoint(state))).toBe(cid);
    engine.dispose();
  });

  it('persists blocks on disk across reopening', async () => {
    const cid = await store.addBytes(new TextEncoder().encode('persisted'));
    const again = await EmbeddedIpfs.open(dir);
    expect(new TextDecoder().decode(await again.cat(cid))).toBe('persisted');
    await again.close();
  });

  it('reports missing content and malformed CIDs with typed errors', async () => {
    const absent = await independentCid(new TextEncoder().encode('never stored'));
    await expect(store.cat(absent)).rejects.toThrowError(ContentNotFoundError);
    await expect(store.cat('not-a-cid')).rejects.toThrowError(InvalidCidError);
  });

  describe('HTTP gateway', () => {
    it('serves /health and /metrics', async () => {
      const health = await fetch(`${gateway.url}/health`);
      expect(await health.json()).toEqual({ status: 'ok' });
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      expect(metrics).toMatch(/um_gateway_requests_total \d+/);
    });

    it('serves files by CID and by path inside a directory, read-only, with CORS', async () => {
      const cid = await store.addBytes(new TextEncoder().encode('hello gateway'));
      const response = await fetch(`${gateway.url}/ipfs/${cid}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(await response.text()).toBe('hello gateway');
      const put = await fetch(`${gateway.url}/ipfs/${cid}`, { method: 'POST', body: 'x' });
      expect(put.status).toBe(405);
      const missing = await fetch(
        `${gateway.url}/ipfs/${await independentCid(new TextEncoder().encode('absent'))}`,
      );
      expect(missing.status).toBe(404);
      expect((await fetch(`${gateway.url}/ipfs/garbage`)).status).toBe(404);
    });

    it('lets tf.loadLayersModel and the verifier load a checkpoint over HTTP', async () => {
      const engine = await Engine.create(irisExampleSpec());
      const run = await engine.runSteps(engine.initialState(), 1, 4);
      const before = (await engine.runSteps(engine.initialState(), 1, 3)).state;
      const cid = await putCheckpoint(store, engine.checkpoint(before));
      const model = await tf.loadLayersModel(`${gateway.url}/ipfs/${cid}/model.json`);
      expect(model.weights.map((w) => w.shape)).toEqual(engine.layout.weights.map((w) => w.shape));
      model.dispose();
      const files = await fetchCheckpoint(gateway.url, cid);
      const replay = await replayStep({
        spec: irisExampleSpec(),
        checkpoint: files,
        step: 4,
        expectedStateHash: run.steps[3]!.stateHash,
      });
      expect(replay.matches).toBe(true);
      engine.dispose();
    });
  });
});
