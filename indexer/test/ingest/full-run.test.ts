import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIndexer, type RunningIndexer } from '../../src/cli/run.js';
import { Anvil } from '../support/anvil.js';
import { memoryLogger } from '../support/logger.js';
import {
  emitterArtifacts,
  graphBuildTestSubgraph,
  type EmitterArtifacts,
  removeTestBuilds,
} from '../support/subgraph.js';
import { freshDataDir } from '../store/pglite-template.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes are asserted field by field
type GraphqlResponse = { data?: any; errors?: { message: string }[] };

let anvil: Anvil;
let artifacts: EmitterArtifacts;
let emitter: `0x${string}`;
let buildDir: string;
let data: { dir: string; cleanup: () => void };

beforeAll(async () => {
  anvil = await Anvil.start();
  artifacts = await emitterArtifacts();
  const deployed = await anvil.deploy(artifacts.Emitter.abi, artifacts.Emitter.bytecode);
  emitter = deployed.address;
  // built by graph-cli's own `graph build` (offline), exactly what users deploy to graph-node
  buildDir = await graphBuildTestSubgraph(emitter, deployed.block);
  data = await freshDataDir();
}, 180_000);

afterAll(async () => {
  await anvil?.stop();
  await removeTestBuilds();
  data?.cleanup();
});

async function start(): Promise<RunningIndexer> {
  return runIndexer({
    subgraph: buildDir,
    rpc: anvil.url,
    database: undefined,
    dataDir: data.dir,
    host: '127.0.0.1',
    port: 0,
    name: 'test/emitter',
    logger: memoryLogger(),
    reorgThreshold: 3,
    pollingIntervalMs: 50,
  });
}

async function query(running: RunningIndexer, q: string): Promise<GraphqlResponse> {
  const response = await fetch(running.server.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: q }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as GraphqlResponse;
}

async function untilHead(running: RunningIndexer, block: number): Promise<void> {
  const status = await running.indexer.waitFor(block, 60_000);
  expect(status.head?.number).toBeGreaterThanOrEqual(block);
}

describe('full run: the test subgraph (graph build output) over anvil into PGlite, queried over HTTP GraphQL', () => {
  it('indexes, serves GraphQL, /health and /metrics, and resumes after a restart', async () => {
    await anvil.send(emitter, artifacts.Emitter.abi, 'emitMany', [20n]);
    await anvil.send(emitter, artifacts.Emitter.abi, 'createChild');
    await anvil.test.mine({ blocks: 5 });
    let running = await start();
    try {
      await untilHead(running, await anvil.blockNumber());
      const result = await query(
        running,
        '{ pings(first: 1000, orderBy: i, orderDirection: desc) { i value from } counter(id: "pings") { count } childs { pings sum total receiptLogs } _meta { block { number } hasIndexingErrors } }',
      );
      expect(result.errors).toBeUndefined();
      expect(result.data.pings).toHaveLength(20);
      expect(result.data.pings[0]).toEqual({
        i: '19',
        value: '38',
        from: anvil.account.toLowerCase(),
      });
      expect(result.data.counter).toEqual({ count: 20 });
      expect(result.data.childs) // Inflector 0.11: Child -> Childs, as graph-node names it
        .toEqual([{ pings: 2, sum: '8', total: '20', receiptLogs: 3 }]);
      expect(result.data._meta).toEqual({
        block: { number: await anvil.blockNumber() },
        hasIndexingErrors: false,
      });

      const base = running.server.url;
      const health = (await (await fetch(`${base}/health`)).json()) as Record<string, unknown>;
      expect(health).toMatchObject({ indexing: expect.stringMatching(/synced|syncing/) });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/um_indexer_events_total \d+/);
      expect(metrics).toMatch(/um_indexer_head_block \d+/);
    } finally {
      await running.close();
    }

    // restart on the same data directory: resume from the stored head, nothing twice
    await anvil.send(emitter, artifacts.Emitter.abi, 'emitMany', [5n]);
    running = await start();
    try {
      await untilHead(running, await anvil.blockNumber());
      const result = await query(
        running,
        '{ pings(first: 1000) { id } counter(id: "pings") { count } }',
      );
      expect(result.data.pings).toHaveLength(25);
      expect(result.data.counter).toEqual({ count: 25 });
    } finally {
      await running.close();
    }
  }, 180_000);

  it('reports a deterministic handler failure through _meta.hasIndexingErrors and indexing_error', async () => {
    const block = await anvil.send(emitter, artifacts.Emitter.abi, 'pingValue', [4242n]);
    const running = await start();
    try {
      const status = await running.indexer.waitFor(block, 60_000);
      expect(status.state).toBe('failed');
      const meta = await query(running, '{ _meta { block { number } hasIndexingErrors } }');
      expect(meta.data._meta).toEqual({ block: { number: block }, hasIndexingErrors: true });
      const denied = await query(running, '{ pings { id } }');
      expect(denied.errors).toEqual([{ message: 'indexing_error' }]);
    } finally {
      await running.close();
    }
  }, 120_000);

  it('um-indexer serves until SIGTERM, then stops cleanly with exit code 0', async () => {
    const mainModule = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
    const other = await freshDataDir();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import(${JSON.stringify(mainModule)}).then((m) => m.main(process.argv.slice(1))).then((code) => process.exit(code))`,
        '--',
        '--subgraph',
        buildDir,
        '--rpc',
        anvil.url,
        '--data-dir',
        other.dir,
        '--port',
        '0',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } },
    );
    try {
      let stderr = '';
      child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      child.stdout!.resume();
      const deadline = Date.now() + 60_000;
      while (!/serving (\S+)/.test(stderr) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      const endpoint = /serving (\S+)/.exec(stderr)![1]!;
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ _meta { deployment } }' }),
      });
      expect(response.status).toBe(200);
      const exited = new Promise<number | null>((resolve) =>
        child.once('exit', (code) => resolve(code)),
      );
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      other.cleanup();
    }
  }, 120_000);
});
