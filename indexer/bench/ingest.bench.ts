/**
 * Ingestion benchmark: events/s indexing the test subgraph (Ping -> immutable entity + a counter
 * read-modify-write per event) over an anvil chain holding 100k events, into the in-memory store
 * (host cost alone) and into the real PGlite store.
 *   npx tsx bench/ingest.bench.ts [--events 100000] [--per-tx 1000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ChainSource, SubgraphIndexer } from '../src/ingest/index.js';
import { loadManifest } from '../src/manifest/index.js';
import { loadSchema } from '../src/schema/index.js';
import { PostgresSubgraphStore } from '../src/store/index.js';
import type { SubgraphStore } from '../src/store/types.js';
import { Anvil } from '../test/support/anvil.js';
import { memoryLogger } from '../test/support/logger.js';
import { MemoryStore } from '../test/support/memory-store.js';
import { buildTestSubgraph, emitterArtifacts, removeTestBuilds } from '../test/support/subgraph.js';

export interface IngestResult {
  readonly store: string;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSec: number;
  readonly rpcCalls: number;
}

export async function runIngestBench(argv: string[] = []): Promise<IngestResult[]> {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string', default: '100000' },
      'per-tx': { type: 'string', default: '1000' },
    },
    strict: false,
  });
  const total = Number(values.events);
  const perTx = Number(values['per-tx']);
  const anvil = await Anvil.start();
  const results: IngestResult[] = [];
  try {
    const artifacts = await emitterArtifacts();
    const { address, block } = await anvil.deploy(
      artifacts.Emitter.abi,
      artifacts.Emitter.bytecode,
    );
    const seedStart = Date.now();
    for (let sent = 0; sent < total; sent += perTx) {
      await anvil.send(address, artifacts.Emitter.abi, 'emitMany', [
        BigInt(Math.min(perTx, total - sent)),
      ]);
      if ((sent / perTx) % 10 === 0)
        process.stderr.write(`\rseeding ${sent + perTx}/${total} events`);
    }
    process.stderr.write(
      `\rseeded ${total} events in ${((Date.now() - seedStart) / 1000).toFixed(1)} s\n`,
    );
    const head = await anvil.blockNumber();
    const buildDir = await buildTestSubgraph(address, block);
    const manifest = await loadManifest(buildDir);

    const run = async (name: string, store: SubgraphStore): Promise<void> => {
      const chain = new ChainSource(anvil.publicClient);
      const logger = memoryLogger();
      // reorgThreshold 0: every block is final, as for a backfill far behind the head
      const ix = new SubgraphIndexer({
        manifest,
        store,
        chain,
        logger,
        reorgThreshold: 0,
        pollingIntervalMs: 20,
      });
      const started = performance.now();
      await ix.start();
      const timer = setInterval(() => {
        const s = ix.status();
        process.stderr.write(
          `\r[${name}] block ${s.head?.number ?? '-'}/${head}, ${s.eventsProcessed} events`,
        );
      }, 1000);
      const status = await ix.waitFor(head, 1_800_000);
      clearInterval(timer);
      const seconds = (performance.now() - started) / 1000;
      await ix.stop();
      if (status.state === 'failed') throw new Error(`indexing failed: ${status.fatalError}`);
      const events = status.eventsProcessed;
      process.stderr.write(
        `\r[${name}] ${events} events in ${seconds.toFixed(2)} s = ${Math.round(events / seconds)} events/s\n`,
      );
      results.push({
        store: name,
        events,
        seconds,
        eventsPerSec: events / seconds,
        rpcCalls: chain.rpcCalls,
      });
    };

    await run('memory', new MemoryStore());
    const dataDir = await mkdtemp(path.join(tmpdir(), 'um-bench-pglite-'));
    const store = await PostgresSubgraphStore.open({
      schema: loadSchema(manifest.schema),
      dataDir,
    });
    try {
      await run('pglite', store);
    } finally {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  } finally {
    await anvil.stop();
    await removeTestBuilds();
  }
  console.log(
    `\n## Indexer: ingestion (${total} events, ${perTx} per transaction, ${cpus().length} cores)\n`,
  );
  console.log('| store | events | seconds | events/s | RPC calls |');
  console.log('|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.store} | ${r.events} | ${r.seconds.toFixed(2)} | ${Math.round(r.eventsPerSec)} | ${r.rpcCalls} |`,
    );
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runIngestBench(process.argv.slice(2));
}
