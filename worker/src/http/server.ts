import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkerMetrics } from '../metrics.js';

/** Status of one service of the node, in the EigenLayer AVS node API's vocabulary. */
export type ServiceStatus = 'Up' | 'Down' | 'Initializing';

export interface ServiceInfo {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  status(): ServiceStatus;
}

export type RouteHandler = (
  request: IncomingMessage,
  body: unknown,
) => Promise<{ status: number; body: unknown }>;

export interface HttpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly metrics: WorkerMetrics;
  readonly nodeVersion: string;
  readonly services: () => readonly ServiceInfo[];
}

export interface RunningHttpServer {
  readonly url: string;
  readonly server: Server;
  /** Adds a JSON route (method + exact path). */
  route(method: 'GET' | 'POST', path: string, handler: RouteHandler): void;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text =
    typeof body === 'string'
      ? body
      : JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  res
    .writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) })
    .end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new RangeError('request body too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The worker's HTTP API:
 *   GET /health                         {status, services} — 200 when every service is Up, else 503
 *   GET /metrics                        Prometheus text format (prom-client)
 *   GET /eigen/node                     {node_name, spec_version, node_version}
 *   GET /eigen/node/health              200 healthy · 206 partially healthy · 503 unhealthy
 *   GET /eigen/node/services            {services: [{id, name, description, status}]}
 *   GET /eigen/node/services/<id>/health 200 Up · 503 otherwise · 404 unknown
 * plus the routes roles add (the aggregator's POST /attestations).
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const routes = new Map<string, RouteHandler>();
  const overall = (): 'healthy' | 'partial' | 'unhealthy' | 'initializing' => {
    const statuses = options.services().map((s) => s.status());
    if (statuses.length === 0 || statuses.every((s) => s === 'Up')) return 'healthy';
    if (statuses.every((s) => s === 'Initializing')) return 'initializing';
    if (statuses.some((s) => s === 'Up')) return 'partial';
    return 'unhealthy';
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://worker');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const custom = routes.get(`${req.method} ${path}`);
    if (custom) {
      let body: unknown;
      try {
        body = req.method === 'POST' ? await readJson(req) : undefined;
      } catch (error) {
        send(res, 400, { error: `bad JSON body: ${(error as Error).message}` });
        return;
      }
      const result = await custom(req, body);
      send(res, result.status, result.body);
      return;
    }
    if (req.method !== 'GET') {
      send(res, 405, { error: 'method not allowed' });
      return;
    }
    const services = options.services();
    if (path === '/health') {
      const state = overall();
      send(res, state === 'healthy' ? 200 : 503, {
        status: state === 'healthy' ? 'ok' : state,
        services: Object.fromEntries(services.map((s) => [s.id, s.status()])),
      });
    } else if (path === '/metrics') {
      send(
        res,
        200,
        await options.metrics.registry.metrics(),
        options.metrics.registry.contentType,
      );
    } else if (path === '/eigen/node') {
      send(res, 200, {
        node_name: 'um-worker',
        spec_version: 'v0.0.1',
        node_version: options.nodeVersion,
      });
    } else if (path === '/eigen/node/health') {
      const state = overall();
      const status = state === 'healthy' ? 200 : state === 'partial' ? 206 : 503;
      res.writeHead(status).end();
    } else if (path === '/eigen/node/services') {
      send(res, 200, {
        services: services.map((s) => ({
          id: s.id,
          name: s.name,
          description: s.description,
          status: s.status(),
        })),
      });
    } else {
      const match = /^\/eigen\/node\/services\/([^/]+)\/health$/.exec(path);
      const service = match
        ? services.find((s) => s.id === decodeURIComponent(match[1]!))
        : undefined;
      if (match && !service) send(res, 404, { error: `unknown service ${match[1]}` });
      else if (service) res.writeHead(service.status() === 'Up' ? 200 : 503).end();
      else send(res, 404, { error: 'not found' });
    }
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: (error as Error).message });
      else res.end();
    });
  });
  server.listen(options.port, options.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    server,
    route(method, path, handler) {
      routes.set(`${method} ${path}`, handler);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
