import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ContentNotFoundError, InvalidCidError } from '../storage.js';
import type { EmbeddedIpfs } from './embedded-ipfs.js';

export interface Gateway {
  /** e.g. http://127.0.0.1:43121 (no trailing slash) */
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  json: 'application/json',
  bin: 'application/octet-stream',
  txt: 'text/plain; charset=utf-8',
};

/**
 * A read-only HTTP gateway over the embedded node: GET/HEAD /ipfs/<cid>[/<path>] serves file
 * bytes (immutable, CORS-open so a browser verifier can fetch checkpoints), /health answers
 * {"status":"ok"}, /metrics gives Prometheus counters. Everything else is 404; other methods 405.
 */
export async function startGateway(
  store: EmbeddedIpfs,
  options: { host?: string; port?: number } = {},
): Promise<Gateway> {
  const counters = { requests: 0, served: 0, notFound: 0, errors: 0, bytes: 0 };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    counters.requests++;
    res.setHeader('Access-Control-Allow-Origin', '*');
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/health') {
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ status: 'ok' }));
      return;
    }
    if (url.pathname === '/metrics') {
      res
        .writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' })
        .end(
          [
            '# TYPE um_gateway_requests_total counter',
            `um_gateway_requests_total ${counters.requests}`,
            '# TYPE um_gateway_responses_total counter',
            `um_gateway_responses_total{status="200"} ${counters.served}`,
            `um_gateway_responses_total{status="404"} ${counters.notFound}`,
            `um_gateway_responses_total{status="error"} ${counters.errors}`,
            '# TYPE um_gateway_bytes_served_total counter',
            `um_gateway_bytes_served_total ${counters.bytes}`,
            '',
          ].join('\n'),
        );
      return;
    }
    const match = /^\/ipfs\/([^/]+)(?:\/(.+))?$/.exec(url.pathname);
    if (!match) {
      counters.notFound++;
      res
        .writeHead(404, { 'Content-Type': 'text/plain' })
        .end('not found: use /ipfs/<cid>[/<path>]\n');
      return;
    }
    const cid = match[1]!;
    const path = match[2] ? decodeURIComponent(match[2]) : undefined;
    try {
      if (await store.isDirectory(cid, path)) {
        counters.notFound++;
        res
          .writeHead(404, { 'Content-Type': 'text/plain' })
          .end('is a directory: request a file inside it\n');
        return;
      }
      const bytes = await store.cat(cid, path);
      const ext = (path ?? '').split('.').pop() ?? '';
      counters.served++;
      counters.bytes += bytes.length;
      res.writeHead(200, {
        'Content-Type': contentTypes[ext] ?? 'application/octet-stream',
        'Content-Length': bytes.length,
        'Cache-Control': 'public, max-age=29030400, immutable',
        ETag: `"${cid}${path ? `/${path}` : ''}"`,
        'X-Ipfs-Path': `/ipfs/${cid}${path ? `/${path}` : ''}`,
      });
      res.end(req.method === 'HEAD' ? undefined : bytes);
    } catch (error) {
      if (
        error instanceof ContentNotFoundError ||
        error instanceof InvalidCidError ||
        isMissing(error)
      ) {
        counters.notFound++;
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`${(error as Error).message}\n`);
      } else {
        counters.errors++;
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${(error as Error).message}\n`);
      }
    }
  };
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  };
}

const isMissing = (error: unknown): boolean =>
  error instanceof Error &&
  /NotFound|not found|does not exist|ENOENT|no link named/i.test(`${error.name} ${error.message}`);
