import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ptr, serve, writeFixture, type Served } from './fixture.js';
import { MATRIX } from './matrix.js';

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

describe('generated schema', () => {
  it('has exactly graph-node’s filter fields per type, orderBy values and root fields', async () => {
    const result = await api.query(`{
      filter: __type(name: "Account_filter") { inputFields { name } }
      order: __type(name: "Token_orderBy") { enumValues { name } }
      root: __schema { queryType { fields { name } } }
    }`);
    const inputs: string[] = result.data.filter.inputFields.map((f: { name: string }) => f.name);
    const withPrefix = (prefix: string): string[] =>
      inputs.filter((name) => name === prefix || name.startsWith(`${prefix}_`)).sort();
    const suffixes = (prefix: string, ops: string[]): string[] =>
      [prefix, ...ops.map((op) => `${prefix}_${op}`)].sort();
    const idOps = ['not', 'gt', 'lt', 'gte', 'lte', 'in', 'not_in'];
    const stringOps = [
      ...idOps,
      'contains',
      'contains_nocase',
      'not_contains',
      'not_contains_nocase',
      'starts_with',
      'starts_with_nocase',
      'not_starts_with',
      'not_starts_with_nocase',
      'ends_with',
      'ends_with_nocase',
      'not_ends_with',
      'not_ends_with_nocase',
    ];
    expect(withPrefix('handle')).toEqual(suffixes('handle', stringOps));
    expect(withPrefix('score')).toEqual(suffixes('score', idOps));
    expect(withPrefix('balance')).toEqual(suffixes('balance', idOps));
    expect(withPrefix('active')).toEqual(suffixes('active', ['not', 'in', 'not_in']));
    expect(withPrefix('kind')).toEqual(suffixes('kind', ['not', 'in', 'not_in']));
    expect(withPrefix('data')).toEqual(suffixes('data', [...idOps, 'contains', 'not_contains']));
    expect(withPrefix('tags')).toEqual(
      suffixes('tags', [
        'not',
        'contains',
        'contains_nocase',
        'not_contains',
        'not_contains_nocase',
      ]),
    );
    expect(withPrefix('tokens')).toEqual(['tokens_']);
    expect(inputs).toEqual(expect.arrayContaining(['_change_block', 'and', 'or']));
    const order: string[] = result.data.order.enumValues.map((v: { name: string }) => v.name);
    expect(order).toEqual(
      expect.arrayContaining(['id', 'owner', 'owner__handle', 'owner__balance', 'friends']),
    );
    expect(order).not.toContain('owner__tokens');
    expect(order).not.toContain('owner__tags');
    const root: string[] = result.data.root.queryType.fields.map((f: { name: string }) => f.name);
    expect(root.sort()).toEqual(
      [
        '_meta',
        'account',
        'accounts',
        'asset',
        'assets',
        'item',
        'items',
        'nft',
        'nfts',
        'token',
        'tokens',
      ].sort(),
    );
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

  it('handles Int8 ids numerically (lookup, filters, ordering)', async () => {
    const result = await api.query(`{
      item(id: "5") { id n }
      top: items(orderBy: id, orderDirection: desc, first: 2) { id }
      gt: items(where: {id_gt: "118"}) { id }
      changed: items(where: {_change_block: {number_gte: 2}}) { id }
    }`);
    expect(result).toEqual({
      data: {
        item: { id: '5', n: 5 },
        top: [{ id: '120' }, { id: '119' }],
        gt: [{ id: '119' }, { id: '120' }],
        changed: [],
      },
    });
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

  it('pages derived lists per parent when many parents ask at once (one windowed query)', async () => {
    const result = await api.query(`{
      accounts(orderBy: handle) {
        handle
        tokens(first: 1, orderBy: value, orderDirection: desc) { name }
        nfts { id }
      }
      then: accounts(block: {number: 1}, where: {handle_in: ["carol", "eve"]}) { handle nfts { id } }
    }`);
    expect(result).toEqual({
      data: {
        accounts: [
          { handle: 'Bob', tokens: [{ name: 'Cherry' }], nfts: [{ id: 'n1' }] },
          { handle: 'alice', tokens: [{ name: 'banana' }], nfts: [] },
          { handle: 'carol', tokens: [], nfts: [{ id: 'n2' }] },
          { handle: 'dave_x', tokens: [], nfts: [] },
        ],
        then: [
          { handle: 'carol', nfts: [] },
          { handle: 'eve', nfts: [] },
        ],
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
