import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadSchema } from '../../src/schema/index.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { PostgresSubgraphStore } from '../../src/store/index.js';
import { freshDataDir } from '../store/pglite-template.js';
import { ALICE, SDL, ptr, writeFixture } from './fixture.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const schema = loadSchema(SDL);
const open: { store?: PostgresSubgraphStore; server?: RunningServer; cleanup?: () => void } = {};

afterEach(async () => {
  await open.server?.close();
  await open.store?.close().catch(() => undefined);
  open.cleanup?.();
});

async function ask(server: RunningServer, query: string): Promise<unknown> {
  const response = await fetch(server.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return response.json();
}

const SNAPSHOT = `{
  _meta { block { number hash } }
  account(id: "0x01") { balance }
  accounts(where: {handle: "eve"}) { handle }
  nfts(orderBy: id) { id }
}`;

describe('reorgs and restarts seen through GraphQL', () => {
  it('serves the pre-fork state after revertTo, then the new fork, and the same answers after a restart', async () => {
    const { dir, cleanup } = await freshDataDir();
    open.cleanup = cleanup;
    open.store = await PostgresSubgraphStore.open({ schema, dataDir: dir });
    await writeFixture(open.store);
    open.server = await startServer({ store: open.store, schema, name: 'reorg', port: 0 });

    await open.store.revertTo(1);
    expect(await ask(open.server, SNAPSHOT)).toEqual({
      data: {
        _meta: { block: { number: 1, hash: ptr(1).hash } },
        account: { balance: '1000' },
        accounts: [{ handle: 'eve' }],
        nfts: [{ id: 'n1' }],
      },
    });

    const fork = { ...ptr(2), hash: `0x${'f'.repeat(64)}` as const };
    await open.store.transactBlock(
      fork,
      [
        {
          op: 'set',
          entityType: 'Account',
          id: ALICE.id,
          data: {
            ...(await open.store.get('Account', ALICE.id))!,
            balance: { kind: 'BigInt', value: 7n },
          },
        },
      ],
      [],
    );
    const afterFork = {
      data: {
        _meta: { block: { number: 2, hash: fork.hash } },
        account: { balance: '7' },
        accounts: [{ handle: 'eve' }],
        nfts: [{ id: 'n1' }],
      },
    };
    expect(await ask(open.server, SNAPSHOT)).toEqual(afterFork);
    expect(
      await ask(open.server, `{ account(id: "0x01", block: {hash: "${ptr(2).hash}"}) { id } }`),
    ).toEqual({
      errors: [{ message: 'no block with that hash found' }],
    });

    await open.server.close();
    await open.store.close();
    open.server = undefined;
    open.store = await PostgresSubgraphStore.open({ schema, dataDir: dir });
    open.server = await startServer({ store: open.store, schema, name: 'reorg', port: 0 });
    expect(await ask(open.server, SNAPSHOT)).toEqual(afterFork);
    expect(
      await ask(open.server, '{ account(id: "0x01", block: {number: 1}) { balance } }'),
    ).toEqual({
      data: { account: { balance: '1000' } },
    });
  });
});
