import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clearDatasetMemo,
  decodeDataset,
  Engine,
  InvalidDatasetError,
  irisExampleSpec,
  replayStep,
  type CheckpointFiles,
} from '../src/index.js';
import { NodeDatasetCache } from '../src/node/index.js';

describe('replayStep with a verified-dataset cache', () => {
  let dir: string;
  let checkpoint: CheckpointFiles;
  let expected: `0x${string}`;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'um-dataset-cache-'));
    const engine = await Engine.create(irisExampleSpec());
    const run = await engine.runSteps(engine.initialState(), 1, 8);
    checkpoint = engine.checkpoint((await engine.runSteps(engine.initialState(), 1, 7)).state);
    expected = run.steps[7]!.stateHash;
    engine.dispose();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const replay = (cache: NodeDatasetCache) =>
    replayStep({
      spec: irisExampleSpec(),
      checkpoint,
      step: 8,
      expectedStateHash: expected,
      datasetCache: cache,
    });

  it('builds the split once, then replays from memory and from the file cache to the same hash', async () => {
    const cache = new NodeDatasetCache(dir);
    clearDatasetMemo();
    const first = await replay(cache);
    expect(first).toMatchObject({ matches: true, datasetOrigin: 'sources' });
    expect(await readdir(dir)).toHaveLength(1);
    expect(await replay(cache)).toMatchObject({ matches: true, datasetOrigin: 'memory' });
    clearDatasetMemo(); // a new process or page
    const fromFile = await replay(cache);
    expect(fromFile).toMatchObject({ matches: true, datasetOrigin: 'cache' });
    expect(fromFile.stateHash).toBe(first.stateHash);
  });

  it('never trusts a cached file: an edited value fails the root check and the split is rebuilt', async () => {
    const cache = new NodeDatasetCache(dir);
    clearDatasetMemo();
    await replay(cache);
    const [file] = await readdir(dir);
    const bytes = new Uint8Array(await readFile(join(dir, file!)));
    const view = new DataView(bytes.buffer);
    const offset = bytes.length - 4 * 120 * 3 - 4; // the last input value
    view.setFloat32(offset, view.getFloat32(offset, true) + 1, true);
    await writeFile(join(dir, file!), bytes);
    clearDatasetMemo();
    const result = await replay(cache);
    expect(result).toMatchObject({ matches: true, datasetOrigin: 'sources' });
    // …and the rebuilt split replaced the edited file.
    clearDatasetMemo();
    expect(await replay(cache)).toMatchObject({ matches: true, datasetOrigin: 'cache' });
  });

  it('rejects malformed cache bytes with a typed error that keeps its cause', () => {
    const error = (() => {
      try {
        decodeDataset(new Uint8Array([1, 2, 3]));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidDatasetError);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});
