import { parseArgs } from 'node:util';
import { ConfigError } from '../errors.js';

export interface IndexerOptions {
  /** graph-cli build output (the folder holding subgraph.yaml). */
  readonly subgraph: string;
  /** JSON-RPC endpoint of the chain to index. */
  readonly rpc: string;
  /** Postgres URL; undefined means embedded PGlite in `dataDir`. */
  readonly database: string | undefined;
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  readonly name: string;
  /** Blocks this far below the chain head are treated as final (graph-node's ETHEREUM_REORG_THRESHOLD). */
  readonly reorgThreshold: number;
  /** IPFS gateway for `ipfs.cat` (graph-node keeps ipfs.cat disabled unless configured). */
  readonly ipfs: string | undefined;
}

export const usage = `um-indexer: run a subgraph's WASM mappings over a chain and serve The Graph's GraphQL API.

Usage:
  um-indexer --subgraph <build dir> --rpc <url> [options]

Options:
  --subgraph <dir>    graph-cli build output holding subgraph.yaml   (env UM_SUBGRAPH, default subgraph/build)
  --rpc <url>         Ethereum JSON-RPC endpoint                    (env UM_RPC_URL, default http://127.0.0.1:8545)
  --database <url>    Postgres URL; omit for embedded PGlite        (env DATABASE_URL)
  --data-dir <dir>    PGlite data directory                         (env UM_INDEXER_DATA, default .data/indexer)
  --host <addr>       address to bind                               (default 127.0.0.1)
  --port <n>          HTTP port for GraphQL, /health and /metrics   (env UM_INDEXER_PORT, default 8000)
  --name <name>       subgraph name served at /subgraphs/name/<name> (default unstoppable-models)
  --reorg-threshold <n>  blocks below the head treated as final     (env ETHEREUM_REORG_THRESHOLD, default 250)
  --ipfs <url>        IPFS HTTP gateway enabling ipfs.cat in mappings (env UM_IPFS_GATEWAY; off by default, as graph-node)
  -h, --help          show this help

Query limits (graph-node's environment variables; docs/indexer.md, "Query limits"):
  GRAPH_GRAPHQL_MAX_DEPTH (255)  GRAPH_GRAPHQL_MAX_FIRST (1000)  GRAPH_GRAPHQL_MAX_SKIP (unlimited)
  GRAPH_GRAPHQL_MAX_COMPLEXITY (10000000; a list without first counts 100)
  GRAPH_GRAPHQL_QUERY_TIMEOUT (seconds, 10)  GRAPH_GRAPHQL_ERROR_RESULT_SIZE (bytes, 50000000)
  GRAPH_GRAPHQL_WARN_RESULT_SIZE (bytes, 10000000)

Examples:
  GRAPH_GRAPHQL_QUERY_TIMEOUT=5 um-indexer --subgraph subgraph/build
  um-indexer --subgraph subgraph/build --rpc http://127.0.0.1:8545
  um-indexer --subgraph subgraph/build --rpc http://127.0.0.1:8545 --database postgres://postgres:pg@127.0.0.1:5432/um --port 8100
  curl -s localhost:8000/subgraphs/name/unstoppable-models -H 'content-type: application/json' \\
    -d '{"query":"{ _meta { block { number } } }"}'
`;

export type ParsedCli =
  { readonly help: true } | { readonly help: false; readonly options: IndexerOptions };

/** Parses flags over environment variables over defaults; bad values raise a ConfigError. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ParsedCli {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        subgraph: { type: 'string' },
        rpc: { type: 'string' },
        database: { type: 'string' },
        'data-dir': { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        name: { type: 'string' },
        'reorg-threshold': { type: 'string' },
        ipfs: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\nRun um-indexer --help for usage.`);
  }
  if (values.help) return { help: true };

  const portText = values.port ?? env.UM_INDEXER_PORT ?? '8000';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigError(`--port must be an integer between 0 and 65535, got "${portText}"`);
  }
  const thresholdText = values['reorg-threshold'] ?? env.ETHEREUM_REORG_THRESHOLD ?? '250';
  const reorgThreshold = Number(thresholdText);
  if (!Number.isInteger(reorgThreshold) || reorgThreshold < 0) {
    throw new ConfigError(
      `--reorg-threshold must be a non-negative integer, got "${thresholdText}"`,
    );
  }
  const ipfs = values.ipfs ?? env.UM_IPFS_GATEWAY;
  if (ipfs !== undefined && !/^https?:\/\//.test(ipfs)) {
    throw new ConfigError(`--ipfs must be an http(s) gateway URL, got "${ipfs}"`);
  }
  const rpc = values.rpc ?? env.UM_RPC_URL ?? 'http://127.0.0.1:8545';
  if (!/^(https?|wss?):\/\//.test(rpc)) {
    throw new ConfigError(`--rpc must be an http(s) or ws(s) URL, got "${rpc}"`);
  }
  return {
    help: false,
    options: {
      subgraph: values.subgraph ?? env.UM_SUBGRAPH ?? 'subgraph/build',
      rpc,
      database: values.database ?? env.DATABASE_URL,
      dataDir: values['data-dir'] ?? env.UM_INDEXER_DATA ?? '.data/indexer',
      host: values.host ?? '127.0.0.1',
      port,
      name: values.name ?? 'unstoppable-models',
      reorgThreshold,
      ipfs,
    },
  };
}
