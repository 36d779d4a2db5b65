import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ptr, serve, writeFixture, type Served } from './fixture.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

let api: Served;
beforeAll(async () => {
  api = await serve(writeFixture, { maxDepth: 6, maxComplexity: 50_000 });
});
afterAll(async () => {
  await api?.close();
});

/** Handles of the accounts matching `where`, in default (id) order. */
async function handles(where: string): Promise<string[]> {
  const result = await api.query(`{ accounts(where: ${where}) { handle } }`);
  expect(result.errors).toBeUndefined();
  return result.data.accounts.map((a: { handle: string }) => a.handle);
}

// Latest block: alice 0x01, Bob 0x02, carol 0x03, dave_x 0x04 (eve was removed in block 3).
const MATRIX: ReadonlyArray<readonly [string, string, string[]]> = [
  // String (comparisons are bytewise: "Bob" < "alice")
  ['String eq', '{handle: "alice"}', ['alice']],
  ['String _not', '{handle_not: "alice"}', ['Bob', 'carol', 'dave_x']],
  ['String _gt (bytewise)', '{handle_gt: "alice"}', ['carol', 'dave_x']],
  ['String _lt', '{handle_lt: "b"}', ['alice', 'Bob']],
  ['String _gte', '{handle_gte: "carol"}', ['carol', 'dave_x']],
  ['String _lte', '{handle_lte: "Bob"}', ['Bob']],
  ['String _in', '{handle_in: ["alice", "carol", "zed"]}', ['alice', 'carol']],
  ['String _not_in', '{handle_not_in: ["alice"]}', ['Bob', 'carol', 'dave_x']],
  ['String _contains', '{handle_contains: "o"}', ['Bob', 'carol']],
  ['String _contains_nocase', '{handle_contains_nocase: "O"}', ['Bob', 'carol']],
  ['String _not_contains', '{handle_not_contains: "a"}', ['Bob']],
  ['String _not_contains_nocase', '{handle_not_contains_nocase: "A"}', ['Bob']],
  ['String _starts_with', '{handle_starts_with: "ca"}', ['carol']],
  ['String _starts_with_nocase', '{handle_starts_with_nocase: "BO"}', ['Bob']],
  ['String _not_starts_with', '{handle_not_starts_with: "a"}', ['Bob', 'carol', 'dave_x']],
  [
    'String _not_starts_with_nocase',
    '{handle_not_starts_with_nocase: "b"}',
    ['alice', 'carol', 'dave_x'],
  ],
  ['String _ends_with', '{handle_ends_with: "ol"}', ['carol']],
  ['String _ends_with_nocase', '{handle_ends_with_nocase: "OB"}', ['Bob']],
  ['String _not_ends_with', '{handle_not_ends_with: "e"}', ['Bob', 'carol', 'dave_x']],
  [
    'String _not_ends_with_nocase',
    '{handle_not_ends_with_nocase: "B"}',
    ['alice', 'carol', 'dave_x'],
  ],
  [
    'String _contains: "_" is a LIKE wildcard, as in graph-node',
    '{handle_contains: "a_i"}',
    ['alice'],
  ],
  ['String _ends_with "_x" matches via wildcard', '{handle_ends_with: "_x"}', ['dave_x']],
  // Nullable field: null tests and three-valued logic
  ['null eq', '{nickname: null}', ['Bob', 'carol', 'dave_x']],
  ['null _not', '{nickname_not: null}', ['alice']],
  ['_not skips NULL rows', '{nickname_not: "zz"}', ['alice']],
  // Int
  ['Int eq', '{score: 10}', ['alice']],
  ['Int _not', '{score_not: 10}', ['Bob', 'carol', 'dave_x']],
  ['Int _gt', '{score_gt: 0}', ['alice', 'carol']],
  ['Int _lt', '{score_lt: 0}', ['Bob']],
  ['Int _gte', '{score_gte: 0}', ['alice', 'carol', 'dave_x']],
  ['Int _lte', '{score_lte: 0}', ['Bob', 'dave_x']],
  ['Int _in', '{score_in: [10, 20]}', ['alice', 'carol']],
  ['Int _not_in', '{score_not_in: [10]}', ['Bob', 'carol', 'dave_x']],
  // Int8
  ['Int8 eq (max i64)', '{big: "9223372036854775807"}', ['alice']],
  ['Int8 _not', '{big_not: "0"}', ['alice', 'Bob', 'dave_x']],
  ['Int8 _gt', '{big_gt: "0"}', ['alice', 'dave_x']],
  ['Int8 _lt', '{big_lt: 0}', ['Bob']],
  ['Int8 _gte', '{big_gte: "42"}', ['alice', 'dave_x']],
  ['Int8 _lte', '{big_lte: "0"}', ['Bob', 'carol']],
  ['Int8 _in', '{big_in: ["-1", "42"]}', ['Bob', 'dave_x']],
  ['Int8 _not_in', '{big_not_in: ["-1", "42"]}', ['alice', 'carol']],
  // BigInt (numeric, not lexicographic)
  ['BigInt eq (30 digits)', '{balance: "123456789012345678901234567890"}', ['carol']],
  ['BigInt _not', '{balance_not: "5"}', ['alice', 'carol', 'dave_x']],
  ['BigInt _gt', '{balance_gt: "1000"}', ['alice', 'carol']],
  ['BigInt _lt', '{balance_lt: "10"}', ['Bob', 'dave_x']],
  ['BigInt _gte', '{balance_gte: "2000"}', ['alice', 'carol']],
  ['BigInt _lte', '{balance_lte: "5"}', ['Bob', 'dave_x']],
  ['BigInt _in', '{balance_in: ["5", "0"]}', ['Bob', 'dave_x']],
  ['BigInt _not_in', '{balance_not_in: ["5", "0"]}', ['alice', 'carol']],
  // BigDecimal (numeric equality: 1.50 == 1.5)
  ['BigDecimal eq', '{ratio: "1.50"}', ['alice']],
  ['BigDecimal _not', '{ratio_not: "100"}', ['alice', 'Bob', 'carol']],
  ['BigDecimal _gt', '{ratio_gt: "1"}', ['alice', 'dave_x']],
  ['BigDecimal _lt', '{ratio_lt: 0}', ['Bob']],
  ['BigDecimal _gte', '{ratio_gte: "0.001"}', ['alice', 'carol', 'dave_x']],
  ['BigDecimal _lte', '{ratio_lte: "1e-3"}', ['Bob', 'carol']],
  ['BigDecimal _in', '{ratio_in: ["0.001", "100"]}', ['carol', 'dave_x']],
  ['BigDecimal _not_in', '{ratio_not_in: ["0.001", "100"]}', ['alice', 'Bob']],
  // Boolean
  ['Boolean eq', '{active: true}', ['alice', 'Bob']],
  ['Boolean _not', '{active_not: true}', ['carol', 'dave_x']],
  ['Boolean _in', '{active_in: [false]}', ['carol', 'dave_x']],
  ['Boolean _not_in', '{active_not_in: [false]}', ['alice', 'Bob']],
  // Timestamp (microseconds)
  ['Timestamp eq', '{joined: "1710837304040956"}', ['dave_x']],
  ['Timestamp _not', '{joined_not: "1000000"}', ['Bob', 'carol', 'dave_x']],
  ['Timestamp _gt', '{joined_gt: "2000000"}', ['carol', 'dave_x']],
  ['Timestamp _lt', '{joined_lt: "2000000"}', ['alice']],
  ['Timestamp _gte', '{joined_gte: "2000000"}', ['Bob', 'carol', 'dave_x']],
  ['Timestamp _lte', '{joined_lte: "2000000"}', ['alice', 'Bob']],
  ['Timestamp _in', '{joined_in: ["1000000", "3000000"]}', ['alice', 'carol']],
  ['Timestamp _not_in', '{joined_not_in: ["1000000", "3000000"]}', ['Bob', 'dave_x']],
  // Enum
  ['enum eq', '{kind: Beta}', ['Bob', 'carol']],
  ['enum _not', '{kind_not: Beta}', ['alice', 'dave_x']],
  ['enum _in', '{kind_in: [Alpha, Gamma]}', ['alice', 'dave_x']],
  ['enum _not_in', '{kind_not_in: [Alpha]}', ['Bob', 'carol', 'dave_x']],
  // Bytes (bytewise order: 0x00 < 0x0102 < 0xbeef < 0xdeadbeef)
  ['Bytes eq', '{data: "0xbeef"}', ['carol']],
  ['Bytes eq without 0x, any case', '{data: "BEEF"}', ['carol']],
  ['Bytes _not', '{data_not: "0x00"}', ['alice', 'carol', 'dave_x']],
  ['Bytes _gt', '{data_gt: "0x01"}', ['alice', 'carol', 'dave_x']],
  ['Bytes _lt', '{data_lt: "0x01"}', ['Bob']],
  ['Bytes _gte', '{data_gte: "0xbeef"}', ['alice', 'carol']],
  ['Bytes _lte', '{data_lte: "0x0102"}', ['Bob', 'dave_x']],
  ['Bytes _in', '{data_in: ["0x00", "0x0102"]}', ['Bob', 'dave_x']],
  ['Bytes _not_in', '{data_not_in: ["0x00", "0x0102"]}', ['alice', 'carol']],
  ['Bytes _contains', '{data_contains: "0xbeef"}', ['alice', 'carol']],
  ['Bytes _not_contains', '{data_not_contains: "0xbe"}', ['Bob', 'dave_x']],
  // id of type Bytes
  ['Bytes id eq', '{id: "0x01"}', ['alice']],
  ['Bytes id _gt', '{id_gt: "0x02"}', ['carol', 'dave_x']],
  ['Bytes id _in', '{id_in: ["0x01", "0x04"]}', ['alice', 'dave_x']],
  // [String]
  ['list eq', '{tags: ["y"]}', ['carol']],
  ['list _not', '{tags_not: ["y"]}', ['alice', 'Bob', 'dave_x']],
  ['list _contains', '{tags_contains: ["y"]}', ['alice', 'carol']],
  ['list _contains (all of)', '{tags_contains: ["x", "y"]}', ['alice']],
  ['list _not_contains', '{tags_not_contains: ["y"]}', ['Bob', 'dave_x']],
  ['list _contains_nocase', '{tags_contains_nocase: ["x"]}', ['alice', 'dave_x']],
  ['list _not_contains_nocase', '{tags_not_contains_nocase: ["x"]}', ['Bob', 'carol']],
  // and / or / derived child filters / _change_block
  ['or', '{or: [{score: 10}, {handle: "carol"}]}', ['alice', 'carol']],
  ['and', '{and: [{score_gt: 0}, {active: true}]}', ['alice']],
  ['siblings are ANDed', '{score_gt: 0, active: false}', ['carol']],
  ['derived list child filter', '{tokens_: {name_starts_with: "b"}}', ['alice']],
  ['derived list child filter on immutable type', '{nfts_: {value_gt: "10"}}', ['Bob']],
  ['_change_block', '{_change_block: {number_gte: 2}}', ['alice']],
];

describe('where: every filter suffix per scalar type', () => {
  it.each(MATRIX)('%s', async (_name, where, expected) => {
    expect(await handles(where)).toEqual(expected);
  });

  it('filters references by the referenced id (String ops) and by child fields', async () => {
    const names = async (where: string): Promise<string[]> => {
      const result = await api.query(`{ tokens(where: ${where}) { name } }`);
      expect(result.errors).toBeUndefined();
      return result.data.tokens.map((t: { name: string }) => t.name);
    };
    expect(await names('{owner: "0x01"}')).toEqual(['Apple', 'banana']);
    expect(await names('{owner_not: "0x01"}')).toEqual(['Cherry']);
    expect(await names('{owner_in: ["0x02"]}')).toEqual(['Cherry']);
    expect(await names('{owner_starts_with: "0x0"}')).toEqual(['Apple', 'banana', 'Cherry']);
    expect(await names('{owner_: {handle: "Bob"}}')).toEqual(['Cherry']);
    expect(await names('{owner_: {balance_gt: "100"}}')).toEqual(['Apple', 'banana']);
    expect(await names('{friends_contains: ["0x02"]}')).toEqual(['Apple']);
    expect(await names('{friends_: {handle: "carol"}}')).toEqual(['Apple']);
    expect(await names('{price: null}')).toEqual(['banana', 'Cherry']);
  });

  it('rejects what graph-node rejects, with its messages', async () => {
    const mixed = await api.query('{ accounts(where: {score: 1, or: [{handle: "a"}]}) { id } }');
    expect(mixed.data).toBeUndefined();
    expect(mixed.errors?.[0]?.message).toBe(
      "Cannot mix column filters with 'or' operator at the same level. Found column filter(s) 'score' alongside 'or' operator.",
    );
    const nested = await api.query('{ tokens(where: {owner_: {tokens_: {name: "x"}}}) { id } }');
    expect(nested.errors?.[0]?.message).toMatch(/Child filter nesting not supported/);
    const unknown = await api.query('{ accounts(where: {nope: 1}) { id } }');
    expect(unknown.errors?.[0]?.message).toMatch(/nope/);
    const badBigInt = await api.query('{ accounts(where: {balance: "1.5"}) { id } }');
    expect(badBigInt.errors?.[0]?.message).toMatch(/BigInt/);
  });
});

describe('ordering and pagination', () => {
  const order = async (args: string, field = 'handle'): Promise<string[]> => {
    const result = await api.query(`{ accounts${args ? `(${args})` : ''} { ${field} } }`);
    expect(result.errors).toBeUndefined();
    return result.data.accounts.map((a: Record<string, string>) => a[field]);
  };
  it('orders by id by default, by any scalar field bytewise/numerically, in both directions', async () => {
    expect(await order('')).toEqual(['alice', 'Bob', 'carol', 'dave_x']);
    expect(await order('orderBy: handle')).toEqual(['Bob', 'alice', 'carol', 'dave_x']);
    expect(await order('orderBy: handle, orderDirection: desc')).toEqual([
      'dave_x',
      'carol',
      'alice',
      'Bob',
    ]);
    expect(await order('orderBy: balance, orderDirection: desc')).toEqual([
      'carol',
      'alice',
      'Bob',
      'dave_x',
    ]);
    expect(await order('orderBy: ratio')).toEqual(['Bob', 'carol', 'alice', 'dave_x']);
    expect(await order('orderBy: big')).toEqual(['Bob', 'carol', 'dave_x', 'alice']);
    expect(await order('orderBy: joined, orderDirection: desc')).toEqual([
      'dave_x',
      'carol',
      'Bob',
      'alice',
    ]);
    expect(await order('orderBy: data')).toEqual(['Bob', 'dave_x', 'carol', 'alice']);
  });

  it('orders by a child field (parent__child) with id as the tie-breaker', async () => {
    const tokens = async (args: string): Promise<string[]> =>
      (await api.query(`{ tokens(${args}) { id } }`)).data.tokens.map((t: { id: string }) => t.id);
    expect(await tokens('orderBy: owner__handle')).toEqual(['t3', 't1', 't2']);
    expect(await tokens('orderBy: owner__handle, orderDirection: desc')).toEqual([
      't2',
      't1',
      't3',
    ]);
    expect(await tokens('orderBy: owner__balance, orderDirection: desc')).toEqual([
      't2',
      't1',
      't3',
    ]);
  });

  it('refuses to order by a list field', async () => {
    const result = await api.query('{ accounts(orderBy: tags) { id } }');
    expect(result.errors?.[0]?.message).toBe(
      'Ordering by `tags` is not supported for type `Account`',
    );
  });

  it('pages with first (default 100, max 1000) and skip', async () => {
    expect(await order('first: 2, skip: 1')).toEqual(['Bob', 'carol']);
    expect(await order('first: 0')).toEqual([]);
    const items = await api.query(
      '{ a: items { n } b: items(first: 1000) { n } c: items(skip: 110, orderBy: n) { n } }',
    );
    expect(items.data.a).toHaveLength(100);
    expect(items.data.b).toHaveLength(120);
    expect(items.data.c.map((i: { n: number }) => i.n)).toEqual([
      111, 112, 113, 114, 115, 116, 117, 118, 119, 120,
    ]);
    const tooMany = await api.query('{ items(first: 1001) { n } }');
    expect(tooMany).toEqual({
      errors: [{ message: 'The `first` argument must be between 0 and 1000, but is 1001' }],
    });
  });
});

describe('time travel', () => {
  it('reads entities as of a block number or hash, with graph-node errors beyond the head', async () => {
    const at = await api.query(`{
      b1: account(id: "0x01", block: {number: 1}) { balance }
      now: account(id: "0x01") { balance }
      byHash: account(id: "0x01", block: {hash: "${ptr(1).hash}"}) { balance }
      gte: account(id: "0x01", block: {number_gte: 2}) { balance }
      eveThen: accounts(block: {number: 2}, where: {handle: "eve"}) { handle }
      eveNow: accounts(where: {handle: "eve"}) { handle }
    }`);
    expect(at).toEqual({
      data: {
        b1: { balance: '1000' },
        now: { balance: '2000' },
        byHash: { balance: '1000' },
        gte: { balance: '2000' },
        eveThen: [{ handle: 'eve' }],
        eveNow: [],
      },
    });
    const future = await api.query('{ accounts(block: {number: 99}) { id } }');
    expect(future.errors?.[0]?.message).toBe(
      'subgraph QmFixture has only indexed up to block number 3 and data for block number 99 is therefore not yet available',
    );
    const gte = await api.query('{ accounts(block: {number_gte: 4}) { id } }');
    expect(gte.errors?.[0]?.message).toMatch(/only indexed up to block number 3/);
    const unknownHash = await api.query(
      `{ accounts(block: {hash: "0x${'ab'.repeat(32)}"}) { id } }`,
    );
    expect(unknownHash.errors?.[0]?.message).toBe('no block with that hash found');
  });

  it('evaluates nested fields at the root field’s block', async () => {
    const result = await api.query(`{
      then: account(id: "0x03", block: {number: 1}) { nfts { id } }
      now: account(id: "0x03") { nfts { id } }
      nft(id: "n2", block: {number: 1}) { id }
    }`);
    expect(result.data).toEqual({ then: { nfts: [] }, now: { nfts: [{ id: 'n2' }] }, nft: null });
  });
});

describe('derived fields, references and interfaces', () => {
  it('resolves @derivedFrom lists with collection arguments, and references', async () => {
    const result = await api.query(`{
      account(id: "0x01") {
        tokens(orderBy: name) { name owner { handle } }
        top: tokens(first: 1, orderBy: value, orderDirection: desc) { name }
        filtered: tokens(where: {value_gt: "15"}) { name }
      }
      token(id: "t1") { friends(orderBy: handle) { handle } owner { tokens { id } } }
    }`);
    expect(result).toEqual({
      data: {
        account: {
          tokens: [
            { name: 'Apple', owner: { handle: 'alice' } },
            { name: 'banana', owner: { handle: 'alice' } },
          ],
          top: [{ name: 'banana' }],
          filtered: [{ name: 'banana' }],
        },
        token: {
          friends: [{ handle: 'Bob' }, { handle: 'carol' }],
          owner: { tokens: [{ id: 't1' }, { id: 't2' }] },
        },
      },
    });
  });

  it('queries interfaces across implementing types, with __typename and fragments', async () => {
    const result = await api.query(`{
      assets(orderBy: value) { __typename id value }
      rich: assets(where: {value_gt: "12"}) { id }
      asset(id: "n1") { __typename name ... on Nft { holder { handle } } }
    }`);
    expect(result).toEqual({
      data: {
        assets: [
          { __typename: 'Nft', id: 'n2', value: '5' },
          { __typename: 'Token', id: 't1', value: '10' },
          { __typename: 'Nft', id: 'n1', value: '15' },
          { __typename: 'Token', id: 't2', value: '20' },
          { __typename: 'Token', id: 't3', value: '30' },
        ],
        rich: [{ id: 'n1' }, { id: 't2' }, { id: 't3' }],
        asset: { __typename: 'Nft', name: 'Nft one', holder: { handle: 'Bob' } },
      },
    });
  });
});

describe('serialisation and _meta', () => {
  it('writes BigInt, BigDecimal, Bytes, Int8 and Timestamp as graph-node does', async () => {
    const response = await fetch(api.server.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          '{ account(id: "0x01") { id handle score big balance ratio active joined kind tags data } carol: account(id: "0x03") { balance ratio } token(id: "t1") { price } }',
      }),
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.text()).toBe(
      JSON.stringify({
        data: {
          account: {
            id: '0x01',
            handle: 'alice',
            score: 10,
            big: '9223372036854775807',
            balance: '2000',
            ratio: '1.5',
            active: true,
            joined: '1000000',
            kind: 'Alpha',
            tags: ['x', 'y'],
            data: '0xdeadbeef',
          },
          carol: { balance: '123456789012345678901234567890', ratio: '0.001' },
          token: { price: '2.5' },
        },
      }),
    );
  });

  it('answers _meta for the head and for past blocks', async () => {
    const result = await api.query(`{
      _meta { block { number hash timestamp parentHash } deployment hasIndexingErrors }
      past: _meta(block: {number: 1}) { block { number hash timestamp } }
    }`);
    expect(result).toEqual({
      data: {
        _meta: {
          block: {
            number: 3,
            hash: ptr(3).hash,
            timestamp: ptr(3).timestamp,
            parentHash: ptr(3).parentHash,
          },
          deployment: 'QmFixture',
          hasIndexingErrors: false,
        },
        past: { block: { number: 1, hash: null, timestamp: ptr(1).timestamp } },
      },
    });
  });
});

describe('limits and errors', () => {
  it('enforces depth and result-size limits with graph-node messages', async () => {
    const deep = await api.query(
      '{ accounts { tokens { owner { tokens { owner { tokens { owner { id } } } } } } } }',
    );
    expect(deep).toEqual({
      errors: [{ message: 'query has a depth that exceeds the limit of `6`' }],
    });
    const big = await api.query('{ accounts(first: 1000) { tokens(first: 1000) { id } } }');
    expect(big.errors?.[0]?.message).toMatch(
      /^query potentially returns `1001000` entities or more and thereby exceeds the limit of `50000` entities/,
    );
  });

  it('reports syntax and validation errors with locations and no data', async () => {
    const syntax = await api.query('{ accounts { id }');
    expect(syntax.data).toBeUndefined();
    expect(syntax.errors?.[0]).toMatchObject({
      message: expect.stringContaining('Syntax Error'),
      locations: [{ line: 1, column: 18 }],
    });
    const unknown = await api.query('{ accounts { nope } }');
    expect(unknown.errors?.[0]?.message).toMatch(/nope/);
  });
});

describe('indexing errors (subgraphError policy)', () => {
  it('hides data under deny, returns it under allow, and flags _meta', async () => {
    await api.store.recordIndexingError({
      block: ptr(3),
      handler: 'handleTransfer',
      message: 'boom',
    });
    const denied = await api.query('{ accounts { handle } _meta { hasIndexingErrors } }');
    expect(denied).toEqual({
      data: { _meta: { hasIndexingErrors: true } },
      errors: [{ message: 'indexing_error' }],
    });
    const allowed = await api.query('{ accounts(subgraphError: allow, first: 1) { handle } }');
    expect(allowed).toEqual({
      data: { accounts: [{ handle: 'alice' }] },
      errors: [{ message: 'indexing_error' }],
    });
    const before = await api.query('{ accounts(block: {number: 2}, first: 1) { handle } }');
    expect(before).toEqual({ data: { accounts: [{ handle: 'alice' }] } });
    const health = await fetch(`${api.server.url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({
      status: 'failed',
      head: { number: 3 },
      errors: [{ block: 3, handler: 'handleTransfer', message: 'boom' }],
    });
  });
});
