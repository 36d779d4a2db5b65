import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { loadSchema } from '../../src/schema/index.js';
import { startServer } from '../../src/server/index.js';
import { SDL, serve, writeFixture, type Served } from './fixture.js';

interface ErrorBody {
  errors: { message: string }[];
}

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

let api: Served;
beforeAll(async () => {
  api = await serve(writeFixture);
});
afterAll(async () => {
  await api?.close();
});

describe('HTTP server', () => {
  it('binds loopback on a free port and serves graph-node routes', async () => {
    expect(api.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const root = await fetch(`${api.server.url}/`);
    expect(await root.json()).toEqual({
      message:
        'Access deployed subgraphs by deployment ID at /subgraphs/id/<ID> or by name at /subgraphs/name/<NAME>',
    });
    const missing = await fetch(`${api.server.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: 'Not found' });
    const byId = await fetch(`${api.server.url}/subgraphs/id/QmFixture`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ _meta { deployment } }' }),
    });
    expect(await byId.json()).toEqual({ data: { _meta: { deployment: 'QmFixture' } } });
  });

  it('redirects GET to a self-contained query page that makes no external requests', async () => {
    const redirect = await fetch(api.server.endpoint, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/subgraphs/name/test/fixture/graphql');
    const page = await fetch(`${api.server.endpoint}/graphql`);
    const html = await page.text();
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(html).toContain('type Account');
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="https?:/);
  });

  it('answers CORS preflight and refuses bodies that are not JSON', async () => {
    const preflight = await fetch(api.server.endpoint, { method: 'OPTIONS' });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, OPTIONS, POST');
    const noType = await fetch(api.server.endpoint, {
      method: 'POST',
      body: '{"query":"{ _meta { deployment } }"}',
    });
    expect(noType.status).toBe(400);
    const notJson = await fetch(api.server.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as ErrorBody).errors[0]?.message).toMatch(/not JSON/);
    const noQuery = await fetch(api.server.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(((await noQuery.json()) as ErrorBody).errors[0]?.message).toMatch(
      /"query" field is missing/,
    );
  });

  it('reports /health and /metrics', async () => {
    const health = await fetch(`${api.server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      deployment: 'QmFixture',
      head: { number: 3 },
      errors: [],
    });
    await api.query('{ accounts { id } }');
    const metrics = await (await fetch(`${api.server.url}/metrics`)).text();
    expect(metrics).toMatch(
      /um_indexer_graphql_query_duration_seconds_count\{outcome="ok"\} [1-9]/,
    );
    expect(metrics).toMatch(/um_indexer_store_head_block 3/);
    expect(metrics).toMatch(/um_indexer_http_requests_total\{route="query",status="200"\} [1-9]/);
  });

  it("takes graph-node's GRAPH_GRAPHQL_* limits from the environment", async () => {
    const schema = loadSchema(SDL);
    vi.stubEnv('GRAPH_GRAPHQL_MAX_FIRST', '5');
    const limited = await startServer({ store: api.store, schema, name: 'limited', port: 0 });
    try {
      const response = await fetch(limited.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ items(first: 6) { id } }' }),
      });
      expect(await response.json()).toEqual({
        errors: [{ message: 'The `first` argument must be between 0 and 5, but is 6' }],
      });
    } finally {
      await limited.close();
      vi.unstubAllEnvs();
    }
    vi.stubEnv('GRAPH_GRAPHQL_MAX_DEPTH', 'deep');
    await expect(
      startServer({ store: api.store, schema, name: 'bad', port: 0 }),
    ).rejects.toThrowError(ConfigError);
    vi.unstubAllEnvs();
  });

  it('answers /health with 503 and the reason while indexing is stalled', async () => {
    const schema = loadSchema(SDL);
    let health: 'healthy' | 'stalled' = 'healthy';
    const watched = await startServer({
      store: api.store,
      schema,
      name: 'watched',
      port: 0,
      indexingHealth: () => ({
        health,
        healthReason: health === 'healthy' ? null : 'indexing at block 4 has failed for 61 s',
      }),
    });
    try {
      expect((await fetch(`${watched.url}/health`)).status).toBe(200);
      health = 'stalled';
      const stalled = await fetch(`${watched.url}/health`);
      expect(stalled.status).toBe(503);
      expect(await stalled.json()).toMatchObject({
        status: 'stalled',
        reason: 'indexing at block 4 has failed for 61 s',
      });
    } finally {
      await watched.close();
    }
  });
});
