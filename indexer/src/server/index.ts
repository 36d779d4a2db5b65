import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { printSchema, type GraphQLSchema } from 'graphql';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { buildApiSchema, runQuery, type QueryLimits, type QueryOutcome } from '../graphql/index.js';
import type { SubgraphSchema } from '../schema/index.js';
import type { PostgresSubgraphStore } from '../store/index.js';
import { ConfigError } from '../errors.js';
import { queryPage } from './page.js';

export interface ServerOptions {
  readonly store: PostgresSubgraphStore;
  readonly schema: SubgraphSchema;
  /** Served at /subgraphs/name/<name> (may contain `/`). */
  readonly name: string;
  /** Deployment id reported by `_meta.deployment` and served at /subgraphs/id/<id>. */
  readonly deployment?: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Registry for /metrics; pass the CLI's to expose indexing metrics beside query metrics. */
  readonly registry?: Registry;
  /** The chain head the indexer last saw, for /health's lag. */
  readonly chainHead?: () => number | null | Promise<number | null>;
  /**
   * The indexer's own health: anything but `healthy` makes /health answer 503 with the reason
   * (a failed subgraph, or one stalled on transient errors or behind an advancing chain).
   */
  readonly indexingHealth?: () => {
    readonly health: 'healthy' | 'stalled' | 'failed';
    readonly healthReason: string | null;
  };
  /** Extra fields merged into /health (e.g. indexing speed). */
  readonly healthDetails?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  readonly limits?: Partial<QueryLimits & { maxBodyBytes: number }>;
  /** Receives a warning for results above GRAPH_GRAPHQL_WARN_RESULT_SIZE. */
  readonly logger?: { warn(details: Record<string, unknown>, message: string): void };
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly endpoint: string;
  readonly registry: Registry;
  readonly server: Server;
  close(): Promise<void>;
}

/** A positive integer from graph-node's environment variable, or the default. */
function envLimit(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new ConfigError(`${name} must be a non-negative integer, got "${text}"`);
  }
  return value;
}

/** Seconds from graph-node's environment variable, as milliseconds, or the default. */
function envSeconds(name: string, fallbackMs: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallbackMs;
  return envLimit(name, 0) * 1000;
}

/**
 * graph-node's limits, overridable with its own environment variable names. Where graph-node
 * is unlimited by default (complexity, timeout, result size) a public endpoint would be one
 * query away from running out of memory, so these have bounded defaults (docs/indexer.md).
 */
export function defaultLimits(): QueryLimits & { maxBodyBytes: number } {
  return {
    maxFirst: envLimit('GRAPH_GRAPHQL_MAX_FIRST', 1000),
    maxSkip: envLimit('GRAPH_GRAPHQL_MAX_SKIP', Number.MAX_SAFE_INTEGER),
    maxDepth: envLimit('GRAPH_GRAPHQL_MAX_DEPTH', 255),
    // 10 million potential entities still admits `first: 1000` lists nested two deep (~1 million)
    // while refusing cross products such as lists nested three deep without `first`.
    maxComplexity: envLimit('GRAPH_GRAPHQL_MAX_COMPLEXITY', 10_000_000),
    queryTimeoutMs: envSeconds('GRAPH_GRAPHQL_QUERY_TIMEOUT', 10_000),
    errorResultSize: envLimit('GRAPH_GRAPHQL_ERROR_RESULT_SIZE', 50_000_000),
    warnResultSize: envLimit('GRAPH_GRAPHQL_WARN_RESULT_SIZE', 10_000_000),
    maxBodyBytes: 1_000_000,
  };
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'Content-Type, User-Agent',
  'access-control-allow-methods': 'GET, OPTIONS, POST',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json',
    ...CORS,
    ...headers,
  });
  response.end(text);
}

async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `request body exceeds ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Serves the subgraph like graph-node's port 8000 (POST queries, GET a query page), plus
 * /health and /metrics. Binds 127.0.0.1 by default.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const limits = { ...defaultLimits(), ...options.limits };
  const deployment = options.deployment ?? options.name;
  const api: GraphQLSchema = buildApiSchema(options.schema, limits);
  const sdl = printSchema(api);
  const registry = options.registry ?? new Registry();
  if (!options.registry) collectDefaultMetrics({ register: registry, prefix: 'um_indexer_' });
  const queryDuration = new Histogram({
    name: 'um_indexer_graphql_query_duration_seconds',
    help: 'GraphQL query duration',
    labelNames: ['outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const refusedQueries = new Counter({
    name: 'um_indexer_graphql_refused_queries_total',
    help: "GraphQL queries refused by a limit, by graph-node's environment variable for it",
    labelNames: ['limit'],
    registers: [registry],
  });
  const httpRequests = new Counter({
    name: 'um_indexer_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['route', 'status'],
    registers: [registry],
  });
  new Gauge({
    name: 'um_indexer_store_head_block',
    help: 'Last block written to the store',
    registers: [registry],
    async collect() {
      this.set((await options.store.head())?.number ?? -1);
    },
  });
  new Gauge({
    name: 'um_indexer_indexing_errors',
    help: 'Deterministic indexing errors recorded',
    registers: [registry],
    async collect() {
      this.set((await options.store.indexingErrors()).length);
    },
  });

  const namePath = `/subgraphs/name/${options.name}`;
  const idPath = `/subgraphs/id/${deployment}`;

  const handleQuery = async (
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<number> => {
    const type = request.headers['content-type'] ?? '';
    if (!type.includes('json')) throw new HttpError(400, 'Content-Type must be application/json');
    const text = await readBody(request, limits.maxBodyBytes);
    if (!text) throw new HttpError(400, 'request body is empty');
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch (error) {
      throw new HttpError(400, `request body is not JSON: ${(error as Error).message}`);
    }
    if (typeof body.query !== 'string')
      throw new HttpError(400, 'The "query" field is missing in request data');
    const started = performance.now();
    const outcome: QueryOutcome = { resultBytes: 0 };
    const result = await runQuery(
      api,
      options.store,
      deployment,
      {
        query: body.query,
        variables: (body.variables as Record<string, unknown> | null | undefined) ?? null,
        operationName: typeof body.operationName === 'string' ? body.operationName : null,
      },
      limits,
      outcome,
    );
    if (outcome.limit) refusedQueries.inc({ limit: outcome.limit });
    if (outcome.resultBytes > limits.warnResultSize) {
      options.logger?.warn(
        { resultBytes: outcome.resultBytes, query: body.query.slice(0, 1000) },
        'large GraphQL result (GRAPH_GRAPHQL_WARN_RESULT_SIZE)',
      );
    }
    queryDuration.observe(
      { outcome: result.errors ? 'error' : 'ok' },
      (performance.now() - started) / 1000,
    );
    send(response, 200, result);
    return 200;
  };

  const health = async (): Promise<Record<string, unknown>> => {
    const head = await options.store.head();
    const errors = await options.store.indexingErrors();
    const chainHead = options.chainHead ? await options.chainHead() : null;
    const indexing = options.indexingHealth?.() ?? { health: 'healthy', healthReason: null };
    const status =
      errors.length > 0 || indexing.health === 'failed'
        ? 'failed'
        : indexing.health === 'stalled'
          ? 'stalled'
          : head
            ? 'ok'
            : 'starting';
    return {
      status,
      reason: indexing.healthReason ?? (errors[0] ? errors[0].message : null),
      deployment,
      head: head ? { number: head.number, hash: head.hash, timestamp: head.timestamp } : null,
      chainHead,
      lag: chainHead !== null && head ? Math.max(0, chainHead - head.number) : null,
      errors: errors.map((e) => ({
        block: e.block.number,
        handler: e.handler,
        message: e.message,
      })),
      ...(options.healthDetails ? await options.healthDetails() : {}),
    };
  };

  const route = async (
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<[string, number]> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (request.method === 'OPTIONS') {
      response.writeHead(200, CORS).end();
      return ['options', 200];
    }
    if (path === '/health' && request.method === 'GET') {
      const body = await health();
      const status = body.status === 'failed' || body.status === 'stalled' ? 503 : 200;
      send(response, status, body);
      return ['health', status];
    }
    if (path === '/metrics' && request.method === 'GET') {
      response.writeHead(200, { 'content-type': registry.contentType });
      response.end(await registry.metrics());
      return ['metrics', 200];
    }
    if (path === '/' && request.method === 'GET') {
      send(response, 200, {
        message:
          'Access deployed subgraphs by deployment ID at /subgraphs/id/<ID> or by name at /subgraphs/name/<NAME>',
      });
      return ['root', 200];
    }
    for (const base of [namePath, idPath]) {
      if (path === base && request.method === 'POST')
        return ['query', await handleQuery(request, response)];
      if (path === base && request.method === 'GET') {
        response.writeHead(302, { location: `${base}/graphql`, ...CORS }).end();
        return ['page', 302];
      }
      if (path === `${base}/graphql` && request.method === 'GET') {
        send(response, 200, queryPage({ name: options.name, endpoint: base, schemaSdl: sdl }));
        return ['page', 200];
      }
      if (path === `${base}/graphql` && request.method === 'POST')
        return ['query', await handleQuery(request, response)];
    }
    send(response, 404, { message: 'Not found' });
    return ['unknown', 404];
  };

  const server = createServer((request, response) => {
    route(request, response)
      .then(([name, status]) => httpRequests.inc({ route: name, status: String(status) }))
      .catch((error: unknown) => {
        const status = error instanceof HttpError ? error.status : 500;
        const message = error instanceof Error ? error.message : String(error);
        httpRequests.inc({ route: 'error', status: String(status) });
        // A refused body was not read to its end: close the connection rather than let the
        // client reuse it with the unread rest still in flight.
        const close: Record<string, string> = status === 413 ? { connection: 'close' } : {};
        if (!response.headersSent) send(response, status, { errors: [{ message }] }, close);
        else response.end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8000, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  return {
    url,
    port: address.port,
    endpoint: `${url}${namePath}`,
    registry,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
