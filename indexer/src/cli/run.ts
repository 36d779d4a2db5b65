import { Counter, Gauge, Registry } from 'prom-client';
import { createPublicClient, http, type PublicClient, webSocket } from 'viem';
import { ChainSource, SubgraphIndexer } from '../ingest/index.js';
import { loadManifest } from '../manifest/index.js';
import { loadSchema } from '../schema/index.js';
import { startServer, type RunningServer } from '../server/index.js';
import { PostgresSubgraphStore } from '../store/index.js';
import type { Logger } from '../wasm/context.js';
import type { IndexerOptions as CliOptions } from './options.js';

export interface RunningIndexer {
  readonly indexer: SubgraphIndexer;
  readonly server: RunningServer;
  readonly store: PostgresSubgraphStore;
  /** Stops indexing after the current block, then the HTTP server and the store. */
  close(): Promise<void>;
}

/** ipfs.cat through an HTTP gateway (`<gateway>/ipfs/<cid>`), 30 s per request. */
export function gatewayFetcher(gateway: string): (cid: string) => Promise<Uint8Array> {
  const base = gateway.replace(/\/+$/, '');
  return async (cid) => {
    const response = await fetch(`${base}/ipfs/${encodeURIComponent(cid)}`, {
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) throw new Error(`IPFS gateway answered ${response.status} for ${cid}`);
    return new Uint8Array(await response.arrayBuffer());
  };
}

export interface RunOptions extends Omit<CliOptions, 'reorgThreshold' | 'ipfs'> {
  readonly ipfs?: string | undefined;
  /** graph-node's reorg threshold: blocks this far below the head are final (default 250). */
  readonly reorgThreshold?: number;
  /** See `IndexerOptions.stallAfterMs` (default 60 s). */
  readonly stallAfterMs?: number;
  readonly logger: Logger;
  readonly pollingIntervalMs?: number;
  /** IPFS content for ipfs.cat (e.g. the engine's IPFS client); omitted keeps ipfs.cat disabled. */
  readonly ipfsCat?: (cid: string) => Promise<Uint8Array>;
}

function indexingMetrics(registry: Registry, indexer: SubgraphIndexer): void {
  const status = () => indexer.status();
  new Gauge({
    name: 'um_indexer_head_block',
    help: 'Last block written to the store',
    registers: [registry],
    collect() {
      this.set(status().head?.number ?? -1);
    },
  });
  new Gauge({
    name: 'um_indexer_chain_head_block',
    help: 'Chain head the indexer last saw',
    registers: [registry],
    collect() {
      this.set(status().chainHead ?? -1);
    },
  });
  new Gauge({
    name: 'um_indexer_failed',
    help: '1 when a deterministic handler error stopped indexing',
    registers: [registry],
    collect() {
      this.set(status().state === 'failed' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'um_indexer_health',
    help: '0 healthy, 1 stalled (transient failures or a head behind the chain for longer than the stall time), 2 failed',
    registers: [registry],
    collect() {
      this.set({ healthy: 0, stalled: 1, failed: 2 }[status().health]);
    },
  });
  const counter = (name: string, help: string, read: () => number): void => {
    let last = 0;
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const now = read();
        this.inc(Math.max(0, now - last));
        last = now;
      },
    });
  };
  counter('um_indexer_blocks_total', 'Blocks processed', () => status().blocksProcessed);
  counter(
    'um_indexer_retries_total',
    'Transient indexing failures (RPC, store) retried with back-off',
    () => status().retries,
  );
  counter('um_indexer_events_total', 'Events handled', () => status().eventsProcessed);
  counter('um_indexer_handler_calls_total', 'Mapping handler calls', () => status().handlerCalls);
  counter('um_indexer_reorgs_total', 'Chain reorganisations reverted', () => status().reorgs);
}

/** Opens the store, starts the GraphQL server and the indexer: what `um-indexer` runs. */
export async function runIndexer(options: RunOptions): Promise<RunningIndexer> {
  const { logger } = options;
  const manifest = await loadManifest(options.subgraph);
  const schema = loadSchema(manifest.schema);
  const store = await PostgresSubgraphStore.open({
    schema,
    databaseUrl: options.database,
    dataDir: options.dataDir,
  });
  try {
    const transport = /^wss?:/.test(options.rpc)
      ? webSocket(options.rpc)
      : http(options.rpc, { retryCount: 3 });
    const client = createPublicClient({ transport }) as PublicClient;
    const chain = new ChainSource(client);
    const indexer = new SubgraphIndexer({
      manifest,
      store,
      chain,
      logger,
      reorgThreshold: options.reorgThreshold,
      stallAfterMs: options.stallAfterMs,
      pollingIntervalMs: options.pollingIntervalMs,
      ipfsCat: options.ipfsCat ?? (options.ipfs ? gatewayFetcher(options.ipfs) : null),
    });
    const registry = new Registry();
    indexingMetrics(registry, indexer);
    const server = await startServer({
      store,
      schema,
      name: options.name,
      host: options.host,
      port: options.port,
      registry,
      logger,
      chainHead: () => indexer.status().chainHead,
      indexingHealth: () => indexer.status(),
      healthDetails: () => {
        const s = indexer.status();
        return {
          indexing: s.state,
          fatalError: s.fatalError,
          retrying: s.retrying,
          eventsProcessed: s.eventsProcessed,
        };
      },
    });
    await indexer.start();
    logger.info(
      {
        endpoint: server.endpoint,
        dataSources: manifest.dataSources.length,
        templates: manifest.templates.length,
      },
      'um-indexer started',
    );
    return {
      indexer,
      server,
      store,
      async close() {
        await indexer.stop();
        await server.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
