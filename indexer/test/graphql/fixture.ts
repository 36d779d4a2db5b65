import { loadSchema } from '../../src/schema/index.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import {
  PostgresSubgraphStore,
  type BlockPtr,
  type EntityOperation,
  type StoreValue,
} from '../../src/store/index.js';
import { freshDataDir } from '../store/pglite-template.js';

/** A schema touching every scalar type, enums, lists, references, @derivedFrom and interfaces. */
export const SDL = /* GraphQL */ `
  enum Kind {
    Alpha
    Beta
    Gamma
  }
  interface Asset {
    id: ID!
    name: String!
    value: BigInt!
  }
  type Account @entity {
    id: Bytes!
    handle: String!
    nickname: String
    score: Int!
    big: Int8!
    balance: BigInt!
    ratio: BigDecimal!
    active: Boolean!
    joined: Timestamp!
    kind: Kind!
    tags: [String!]!
    data: Bytes!
    tokens: [Token!]! @derivedFrom(field: "owner")
    nfts: [Nft!]! @derivedFrom(field: "holder")
  }
  type Token implements Asset @entity {
    id: ID!
    name: String!
    value: BigInt!
    owner: Account!
    price: BigDecimal
    friends: [Account!]
  }
  type Nft implements Asset @entity(immutable: true) {
    id: ID!
    name: String!
    value: BigInt!
    holder: Account!
  }
  type Item @entity(immutable: true) {
    id: Int8!
    n: Int!
  }
`;

export function ptr(number: number): BlockPtr {
  const hash = (n: number): `0x${string}` => `0x${n.toString(16).padStart(64, '0')}`;
  return {
    number,
    hash: hash(1000 + number),
    parentHash: hash(999 + number),
    timestamp: 1_700_000_000 + number * 12,
  };
}

const str = (value: string): StoreValue => ({ kind: 'String', value });
const bytes = (hex: string): StoreValue => ({
  kind: 'Bytes',
  value: new Uint8Array(Buffer.from(hex.replace(/^0x/, ''), 'hex')),
});
const big = (value: bigint): StoreValue => ({ kind: 'BigInt', value });
const list = (...values: StoreValue[]): StoreValue => ({ kind: 'List', value: values });

interface AccountSeed {
  id: string;
  handle: string;
  nickname?: string;
  score: number;
  big: bigint;
  balance: bigint;
  ratio: string;
  active: boolean;
  joined: bigint;
  kind: string;
  tags: string[];
  data: string;
}

function account(seed: AccountSeed): EntityOperation {
  return {
    op: 'set',
    entityType: 'Account',
    id: seed.id,
    data: {
      id: bytes(seed.id),
      handle: str(seed.handle),
      ...(seed.nickname ? { nickname: str(seed.nickname) } : {}),
      score: { kind: 'Int', value: seed.score },
      big: { kind: 'Int8', value: seed.big },
      balance: big(seed.balance),
      ratio: { kind: 'BigDecimal', value: seed.ratio },
      active: { kind: 'Bool', value: seed.active },
      joined: { kind: 'Timestamp', value: seed.joined },
      kind: str(seed.kind),
      tags: list(...seed.tags.map(str)),
      data: bytes(seed.data),
    },
  };
}

export const ALICE: AccountSeed = {
  id: '0x01',
  handle: 'alice',
  nickname: 'Al',
  score: 10,
  big: 9_223_372_036_854_775_807n,
  balance: 1000n,
  ratio: '1.5',
  active: true,
  joined: 1_000_000n,
  kind: 'Alpha',
  tags: ['x', 'y'],
  data: '0xdeadbeef',
};
const BOB: AccountSeed = {
  id: '0x02',
  handle: 'Bob',
  score: -5,
  big: -1n,
  balance: 5n,
  ratio: '-0.25',
  active: true,
  joined: 2_000_000n,
  kind: 'Beta',
  tags: [],
  data: '0x00',
};
const CAROL: AccountSeed = {
  id: '0x03',
  handle: 'carol',
  score: 20,
  big: 0n,
  balance: 123_456_789_012_345_678_901_234_567_890n,
  ratio: '0.001',
  active: false,
  joined: 3_000_000n,
  kind: 'Beta',
  tags: ['y'],
  data: '0xbeef',
};
const DAVE: AccountSeed = {
  id: '0x04',
  handle: 'dave_x',
  score: 0,
  big: 42n,
  balance: 0n,
  ratio: '100',
  active: false,
  joined: 1_710_837_304_040_956n,
  kind: 'Gamma',
  tags: ['X'],
  data: '0x0102',
};
const EVE: AccountSeed = {
  id: '0x05',
  handle: 'eve',
  score: 1,
  big: 1n,
  balance: 1n,
  ratio: '1',
  active: true,
  joined: 1n,
  kind: 'Alpha',
  tags: [],
  data: '0x05',
};

function token(
  id: string,
  name: string,
  value: bigint,
  owner: string,
  extra: Record<string, StoreValue> = {},
): EntityOperation {
  return {
    op: 'set',
    entityType: 'Token',
    id,
    data: { id: str(id), name: str(name), value: big(value), owner: bytes(owner), ...extra },
  };
}
function nft(id: string, name: string, value: bigint, holder: string): EntityOperation {
  return {
    op: 'set',
    entityType: 'Nft',
    id,
    data: { id: str(id), name: str(name), value: big(value), holder: bytes(holder) },
  };
}

/** Three blocks: creation, an update (alice's balance, a new NFT), a removal (eve). */
export async function writeFixture(store: PostgresSubgraphStore): Promise<void> {
  const items: EntityOperation[] = Array.from({ length: 120 }, (_, i) => ({
    op: 'set',
    entityType: 'Item',
    id: String(i + 1),
    data: { id: { kind: 'Int8', value: BigInt(i + 1) }, n: { kind: 'Int', value: i + 1 } },
  }));
  await store.transactBlock(
    ptr(1),
    [
      account(ALICE),
      account(BOB),
      account(CAROL),
      account(DAVE),
      account(EVE),
      token('t1', 'Apple', 10n, '0x01', {
        price: { kind: 'BigDecimal', value: '2.5' },
        friends: list(bytes('0x02'), bytes('0x03')),
      }),
      token('t2', 'banana', 20n, '0x01'),
      token('t3', 'Cherry', 30n, '0x02'),
      nft('n1', 'Nft one', 15n, '0x02'),
      ...items,
    ],
    [],
  );
  await store.transactBlock(
    ptr(2),
    [account({ ...ALICE, balance: 2000n }), nft('n2', 'Nft two', 5n, '0x03')],
    [],
  );
  await store.transactBlock(ptr(3), [{ op: 'remove', entityType: 'Account', id: '0x05' }], []);
}

// Responses are checked against literal JSON; their shape is what is under test.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface Served {
  store: PostgresSubgraphStore;
  server: RunningServer;
  query: (
    query: string,
    variables?: Record<string, unknown>,
  ) => Promise<{ data?: Json; errors?: { message: string }[] }>;
  close: () => Promise<void>;
}

/** A real store in a fresh PGlite directory, filled by `fill`, served over real HTTP on port 0. */
export async function serve(
  fill: (store: PostgresSubgraphStore) => Promise<void>,
  limits?: Record<string, number>,
  databaseUrl?: string,
): Promise<Served> {
  const { dir, cleanup } = databaseUrl
    ? { dir: undefined, cleanup: () => undefined }
    : await freshDataDir();
  const schema = loadSchema(SDL);
  const store = await PostgresSubgraphStore.open({ schema, dataDir: dir, databaseUrl });
  await fill(store);
  const server = await startServer({
    store,
    schema,
    name: 'test/fixture',
    deployment: 'QmFixture',
    port: 0,
    limits,
  });
  return {
    store,
    server,
    query: async (query, variables) => {
      const response = await fetch(server.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { data?: Json; errors?: { message: string }[] };
    },
    close: async () => {
      await server.close();
      await store.close();
      cleanup();
    },
  };
}
