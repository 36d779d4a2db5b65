import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadSchema } from '../../src/schema/index.js';
import {
  BlockOrderError,
  ImmutableEntityError,
  PostgresSubgraphStore,
  SchemaMismatchError,
  type BlockPtr,
  type EntityOperation,
} from '../../src/store/index.js';
import { freshDataDir } from './pglite-template.js';

const SDL = `
  type Account @entity { id: Bytes! balance: BigInt! label: String tokens: [Token!]! @derivedFrom(field: "owner") }
  type Token @entity { id: ID! owner: Account! price: BigDecimal at: Timestamp big: Int8 tags: [String!] raw: [Bytes!] }
  type Mint @entity(immutable: true) { id: ID! token: Token! amount: BigInt! }
`;
const schema = loadSchema(SDL);
// PGlite work is slow on a loaded 2-core machine; the first test may also build the template.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

function ptr(number: number, fork = 'a'): BlockPtr {
  const hex = (n: number): `0x${string}` =>
    `0x${fork.repeat(2)}${n.toString(16).padStart(62, '0')}`;
  return {
    number,
    hash: hex(number),
    parentHash: hex(number - 1),
    timestamp: 1_700_000_000 + number * 12,
  };
}

const alice = '0x00000000000000000000000000000000000000aa';
const setAccount = (balance: bigint, label?: string): EntityOperation => ({
  op: 'set',
  entityType: 'Account',
  id: alice,
  data: {
    id: { kind: 'Bytes', value: new Uint8Array(Buffer.from(alice.slice(2), 'hex')) },
    balance: { kind: 'BigInt', value: balance },
    ...(label ? { label: { kind: 'String', value: label } } : {}),
  },
});

describe('PostgresSubgraphStore over PGlite', () => {
  let dir: string;
  let cleanup: () => void;
  let store: PostgresSubgraphStore;

  beforeEach(async () => {
    ({ dir, cleanup } = await freshDataDir());
    store = await PostgresSubgraphStore.open({ schema, dataDir: dir });
  });
  afterEach(async () => {
    await store.close().catch(() => undefined);
    cleanup();
  });

  it('keeps every version so reads travel in time, and round-trips every value kind exactly', async () => {
    const token: EntityOperation = {
      op: 'set',
      entityType: 'Token',
      id: 't1',
      data: {
        id: { kind: 'String', value: 't1' },
        owner: { kind: 'Bytes', value: new Uint8Array(Buffer.from(alice.slice(2), 'hex')) },
        price: { kind: 'BigDecimal', value: '123456789012345678901234567890.123456' },
        at: { kind: 'Timestamp', value: 1_710_837_304_040_956n },
        big: { kind: 'Int8', value: 9_223_372_036_854_775_807n },
        tags: {
          kind: 'List',
          value: [
            { kind: 'String', value: 'a' },
            { kind: 'String', value: 'b"c' },
          ],
        },
        raw: { kind: 'List', value: [{ kind: 'Bytes', value: new Uint8Array([0, 255]) }] },
      },
    };
    await store.transactBlock(ptr(1), [setAccount(10n), token], []);
    await store.transactBlock(ptr(2), [setAccount(20n, 'second')], []);
    await store.transactBlock(ptr(3), [{ op: 'remove', entityType: 'Account', id: alice }], []);

    expect(await store.get('Account', alice, 1)).toMatchObject({
      balance: { kind: 'BigInt', value: 10n },
    });
    expect((await store.get('Account', alice, 1))?.label).toBeUndefined();
    expect(await store.get('Account', alice, 2)).toMatchObject({
      balance: { value: 20n },
      label: { value: 'second' },
    });
    expect(await store.get('Account', alice)).toBeNull();
    expect(await store.get('Account', alice.toUpperCase().replace('0X', '0x'), 2)).not.toBeNull();
    expect(await store.get('Token', 't1')).toEqual(token.data);
    expect(await store.head()).toEqual(ptr(3));
    expect((await store.blockPtr(2))?.hash).toBe(ptr(2).hash);
    expect(await store.findReferencing('Token', 'owner', alice)).toHaveLength(1);
  });

  it('reverts entity versions, data sources and errors above a block', async () => {
    await store.transactBlock(ptr(1), [setAccount(1n)], []);
    await store.transactBlock(
      ptr(2),
      [setAccount(2n)],
      [{ template: 'Pool', address: alice, context: null, createdAtBlock: 2 }],
    );
    await store.recordIndexingError({ block: ptr(2), handler: 'handleX', message: 'boom' });
    await store.transactBlock(
      ptr(3),
      [setAccount(3n), { op: 'remove', entityType: 'Account', id: alice }],
      [],
    );
    expect(await store.get('Account', alice)).toBeNull();

    await store.revertTo(1);
    expect(await store.get('Account', alice)).toMatchObject({ balance: { value: 1n } });
    expect(await store.head()).toEqual(ptr(1));
    expect(await store.dynamicDataSources()).toEqual([]);
    expect(await store.indexingErrors()).toEqual([]);
    // The fork's blocks can now be written.
    await store.transactBlock(ptr(2, 'b'), [setAccount(22n)], []);
    expect(await store.get('Account', alice)).toMatchObject({ balance: { value: 22n } });
    expect((await store.blockPtr(2))?.hash).toBe(ptr(2, 'b').hash);
  });

  it('refuses out-of-order blocks and rewriting immutable entities, losing nothing', async () => {
    const mint = (amount: bigint): EntityOperation => ({
      op: 'set',
      entityType: 'Mint',
      id: 'm1',
      data: {
        id: { kind: 'String', value: 'm1' },
        token: { kind: 'String', value: 't1' },
        amount: { kind: 'BigInt', value: amount },
      },
    });
    await store.transactBlock(ptr(5), [mint(1n)], []);
    await expect(store.transactBlock(ptr(5), [setAccount(1n)], [])).rejects.toThrowError(
      BlockOrderError,
    );
    await expect(store.transactBlock(ptr(6), [setAccount(1n), mint(2n)], [])).rejects.toThrowError(
      ImmutableEntityError,
    );
    // The failed block wrote nothing, not even the account.
    expect(await store.get('Account', alice)).toBeNull();
    expect((await store.head())?.number).toBe(5);
    expect(await store.get('Mint', 'm1')).toMatchObject({ amount: { value: 1n } });
  });

  it('creates a missing data directory with its parents', async () => {
    const nested = `${dir}-nested/a/b`;
    const other = await PostgresSubgraphStore.open({ schema, dataDir: nested });
    try {
      await other.transactBlock(ptr(1), [setAccount(1n)], []);
      expect(await other.get('Account', alice)).toMatchObject({ balance: { value: 1n } });
    } finally {
      await other.close();
      rmSync(`${dir}-nested`, { recursive: true, force: true });
    }
  });

  it('resumes after a restart from the same data directory, and refuses a different schema', async () => {
    await store.transactBlock(
      ptr(7),
      [setAccount(7n)],
      [
        {
          template: 'Pool',
          address: alice,
          context: { x: { kind: 'BigInt', value: 5n } },
          createdAtBlock: 7,
        },
      ],
    );
    await store.close();
    store = await PostgresSubgraphStore.open({ schema, dataDir: dir });
    expect(await store.head()).toEqual(ptr(7));
    expect(await store.get('Account', alice)).toMatchObject({ balance: { value: 7n } });
    expect(await store.dynamicDataSources()).toEqual([
      {
        template: 'Pool',
        address: alice,
        context: { x: { kind: 'BigInt', value: 5n } },
        createdAtBlock: 7,
      },
    ]);
    await store.close();
    const other = loadSchema('type Other @entity { id: ID! }');
    await expect(PostgresSubgraphStore.open({ schema: other, dataDir: dir })).rejects.toThrowError(
      SchemaMismatchError,
    );
    store = await PostgresSubgraphStore.open({ schema, dataDir: dir });
  });

  it('opens a schema whose column indexes would be named like other tables (Run.stats vs RunStats)', async () => {
    const clashing = loadSchema(`
      type Run @entity { id: ID! stats: RunStats! slot: Int! }
      type RunStats @entity { id: ID! count: Int! }
      type RunSlot @entity(immutable: true) { id: ID! run: Run! }
    `);
    const nested = `${dir}-clash`;
    const other = await PostgresSubgraphStore.open({ schema: clashing, dataDir: nested });
    try {
      await other.transactBlock(
        ptr(1),
        [
          {
            op: 'set',
            entityType: 'RunStats',
            id: 's',
            data: { id: { kind: 'String', value: 's' }, count: { kind: 'Int', value: 3 } },
          },
          {
            op: 'set',
            entityType: 'Run',
            id: 'r',
            data: {
              id: { kind: 'String', value: 'r' },
              stats: { kind: 'String', value: 's' },
              slot: { kind: 'Int', value: 1 },
            },
          },
        ],
        [],
      );
      expect(await other.get('RunStats', 's')).toMatchObject({ count: { kind: 'Int', value: 3 } });
      expect(await other.get('Run', 'r')).toMatchObject({ stats: { kind: 'String', value: 's' } });
    } finally {
      await other.close();
      rmSync(nested, { recursive: true, force: true });
    }
  });
});
