import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serve, writeFixture, type Served } from '../graphql/fixture.js';
import { MATRIX } from '../graphql/matrix.js';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';

/**
 * The same store and API over a real PostgreSQL 15 server (`npm run test:postgres`): every query
 * must answer exactly as it does over PGlite.
 */
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

let cluster: PostgresCluster;
let server: Served;
let embedded: Served;

beforeAll(async () => {
  cluster = await startPostgresCluster();
  server = await serve(writeFixture, undefined, cluster.url);
  embedded = await serve(writeFixture);
});
afterAll(async () => {
  await server?.close();
  await embedded?.close();
  cluster?.stop();
});

const QUERIES = [
  ...MATRIX.map(
    ([, where]) => `{ accounts(where: ${where}) { id handle balance ratio big joined data tags } }`,
  ),
  '{ accounts(orderBy: handle) { handle } }',
  '{ accounts(orderBy: balance, orderDirection: desc) { handle } }',
  '{ tokens(orderBy: owner__handle, orderDirection: desc) { id owner { handle } } }',
  '{ assets(orderBy: value) { __typename id value } }',
  '{ account(id: "0x01", block: {number: 1}) { balance tokens { name } } }',
  '{ items(first: 1000, skip: 7, orderBy: n, orderDirection: desc) { id n } }',
  '{ _meta { block { number hash timestamp parentHash } hasIndexingErrors } }',
];

describe('PostgreSQL server backend', () => {
  it('answers the whole conformance matrix exactly like PGlite', async () => {
    for (const query of QUERIES) {
      const [fromServer, fromPglite] = await Promise.all([
        server.query(query),
        embedded.query(query),
      ]);
      expect(fromServer.errors, query).toBeUndefined();
      expect(fromServer, query).toEqual(fromPglite);
    }
  });

  it('really runs on the server', async () => {
    expect(server.store.db.kind).toBe('postgres');
    expect(embedded.store.db.kind).toBe('pglite');
  });

  it('reverts and resumes on the server too', async () => {
    await server.store.revertTo(1);
    const result = await server.query(
      '{ _meta { block { number } } account(id: "0x01") { balance } }',
    );
    expect(result).toEqual({
      data: { _meta: { block: { number: 1 } }, account: { balance: '1000' } },
    });
  });
});
