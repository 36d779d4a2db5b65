import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Hash from 'ipfs-only-hash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ContentNotFoundError,
  Engine,
  getCheckpoint,
  irisExampleSpec,
  putCheckpoint,
  StorageError,
} from '../src/index.js';
import { EmbeddedIpfs, KuboStore } from '../src/node/index.js';
import { startKuboRpcServer } from './fixtures/kubo-rpc-server.js';

// What this proves: KuboStore speaks Kubo's RPC protocol (multipart add with the pinned CID
// options as query parameters, NDJSON results, wrapped directories, cat by /ipfs path, error
// bodies) through kubo-rpc-client. What it cannot prove here: that a real Kubo daemon derives the
// same CIDs — no Kubo binary can run on this machine. The CID rules themselves are checked against
// an independent importer in storage.test.ts.
describe('KuboStore against a Kubo-RPC-compatible server', () => {
  let dir: string;
  let backing: EmbeddedIpfs;
  let server: Awaited<ReturnType<typeof startKuboRpcServer>>;
  let kubo: KuboStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'um-kubo-'));
    backing = await EmbeddedIpfs.open(dir);
    server = await startKuboRpcServer(backing);
    kubo = new KuboStore(server.url);
  });
  afterAll(async () => {
    await server.close();
    await backing.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('adds with the pinned CID options and reads the bytes back', async () => {
    const bytes = new TextEncoder().encode('through the RPC API');
    const cid = await kubo.addBytes(bytes);
    expect(cid).toBe(await Hash.of(bytes, { cidVersion: 1, rawLeaves: true }));
    const add = server.requests.find((r) => r.path === '/api/v0/add')!;
    expect(
      Object.fromEntries(
        ['cid-version', 'raw-leaves', 'chunker', 'hash', 'trickle', 'pin'].map((k) => [
          k,
          add.params.get(k),
        ]),
      ),
    ).toEqual({
      'cid-version': '1',
      'raw-leaves': 'true',
      chunker: 'size-262144',
      hash: 'sha2-256',
      trickle: 'false',
      pin: 'true',
    });
    expect(new TextDecoder().decode(await kubo.cat(cid))).toBe('through the RPC API');
  });

  it('stores a checkpoint as a wrapped directory and reads files by path', async () => {
    const engine = await Engine.create(irisExampleSpec());
    const { state } = await engine.runSteps(engine.initialState(), 1, 2);
    const files = engine.checkpoint(state);
    const before = server.requests.length;
    const cid = await putCheckpoint(kubo, files);
    expect(
      server.requests.slice(before).map((r) => [r.path, r.params.get('wrap-with-directory')]),
    ).toEqual([['/api/v0/add', 'true']]);
    expect(cid).toBe(await backing.addDirectory({ ...files }));
    expect(engine.loadCheckpoint(await getCheckpoint(kubo, cid)).step).toBe(2);
    engine.dispose();
  });

  it('maps RPC errors to typed errors', async () => {
    const absent = await Hash.of(new TextEncoder().encode('absent'), {
      cidVersion: 1,
      rawLeaves: true,
    });
    await expect(kubo.cat(absent)).rejects.toThrowError(ContentNotFoundError);
    const down = new KuboStore('http://127.0.0.1:9');
    await expect(down.addBytes(new Uint8Array([1]))).rejects.toThrowError(StorageError);
  });
});
