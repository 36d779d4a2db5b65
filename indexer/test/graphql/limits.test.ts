import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serve, writeFixture, type Served } from './fixture.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

/** `accounts { tokens { owner { tokens { owner … } } } }`, `levels` selection sets deep. */
function nested(levels: number, first = ''): string {
  let query = 'id';
  for (let level = levels; level > 1; level--)
    query = level % 2 === 0 ? `tokens${first} { ${query} }` : `owner { ${query} }`;
  return `{ accounts${first} { ${query} } }`;
}

let api: Served;
beforeAll(async () => {
  api = await serve(writeFixture); // graph-node's default limits
});
afterAll(async () => {
  await api?.close();
});

/** Runs `query`, checks it is refused within a second, and that the server still answers. */
async function refusedQuickly(query: string, variables?: Record<string, unknown>): Promise<string> {
  const started = performance.now();
  const answer = await api.query(query, variables);
  const elapsed = performance.now() - started;
  expect(answer.data).toBeUndefined();
  expect(answer.errors).toHaveLength(1);
  expect(elapsed).toBeLessThan(1000);
  expect(await api.query('{ _meta { deployment } }')).toEqual({
    data: { _meta: { deployment: 'QmFixture' } },
  });
  return answer.errors![0]!.message;
}

describe('query limits before execution (graph-node semantics)', () => {
  it('refuses the 30-level nested query without `first` at once and keeps serving', async () => {
    const rssBefore = process.memoryUsage().rss;
    const message = await refusedQuickly(nested(30));
    // 15 nested lists of graph-node's default page size 100 multiply past u64: the overflow.
    expect(message).toBe(
      'query potentially returns `18446744073709551615` entities or more and thereby exceeds the limit of `10000000` entities. Possible solutions are reducing the depth of the query, querying fewer relationships or using `first` to return smaller collections',
    );
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it('counts a list without `first` as 100 entities, and multiplies down the tree', async () => {
    // 100 accounts × (1 + 100 tokens × (1 + 100 tokens)) = 1 010 100: within the default limit
    const ok = await api.query('{ accounts { tokens { owner { tokens { id } } } } }');
    expect(ok.errors).toBeUndefined();
    expect(
      await refusedQuickly(
        '{ accounts { tokens { owner { tokens { owner { tokens { id } } } } } } }',
      ),
    ).toMatch(
      /^query potentially returns `101010100` entities or more and thereby exceeds the limit of `10000000` entities/,
    );
    // An explicit `first` (also through a variable) replaces the default.
    const small = await api.query(
      'query($n: Int) { accounts(first: 2) { tokens(first: $n) { owner { tokens(first: 2) { owner { tokens(first: 2) { id } } } } } } }',
      { n: 2 },
    );
    expect(small.errors).toBeUndefined();
    expect(
      await refusedQuickly(
        'query($n: Int) { accounts(first: 1000) { tokens(first: $n) { owner { tokens(first: 1000) { id } } } } }',
        { n: 1000 },
      ),
    ).toMatch(/^query potentially returns `1001001000` entities/);
  });

  it('refuses deep queries with the depth limit, including nesting the parser never sees', async () => {
    expect(await refusedQuickly(nested(300, '(first: 1)'))).toBe(
      'query has a depth that exceeds the limit of `255`',
    );
    // 60 000 levels would overflow graphql-js's recursive parser; the lexer pass stops it.
    expect(
      await refusedQuickly(`{ ${'accounts{'.repeat(60_000)}id${'}'.repeat(60_000)} }`),
    ).toBe('query has a depth that exceeds the limit of `255`');
    expect(
      await refusedQuickly(
        `{ accounts(where: { tags_contains: ${'['.repeat(5000)}${']'.repeat(5000)} }) { id } }`,
      ),
    ).toBe('query has a depth that exceeds the limit of `255`');
  });

  it('refuses wide queries and fragment bombs by complexity', async () => {
    const wide = Array.from(
      { length: 20 },
      (_, i) => `a${i}: accounts(first: 1000) { tokens(first: 1000) { id } }`,
    );
    expect(await refusedQuickly(`{ ${wide.join(' ')} }`)).toMatch(
      /^query potentially returns `20020000` entities/,
    );
    // Each fragment spreads the next one twice: 2^40 copies of the innermost selection.
    const fragments = Array.from(
      { length: 40 },
      (_, i) =>
        `fragment F${i} on Account { handle tokens(first: 0) { owner { ...F${i + 1} ...F${i + 1} } } }`,
    );
    fragments.push('fragment F40 on Account { id }');
    const message = await refusedQuickly(`{ accounts(first: 1) { ...F0 } } ${fragments.join(' ')}`);
    expect(message).toMatch(/exceeds the limit of `(255|10000000)`/);
  });

  it('applies GRAPH_GRAPHQL_MAX_FIRST and _MAX_SKIP with graph-node messages', async () => {
    expect(await refusedQuickly('{ accounts(first: 1001) { id } }')).toBe(
      'The `first` argument must be between 0 and 1000, but is 1001',
    );
  });
});

describe('query limits during execution', () => {
  it('stops a query whose result outgrows GRAPH_GRAPHQL_ERROR_RESULT_SIZE', async () => {
    const small = await serve(writeFixture, { errorResultSize: 300 });
    try {
      const answer = await small.query('{ accounts { handle tags data tokens { name } } }');
      expect(answer.data).toBeUndefined();
      expect(answer.errors?.[0]?.message).toMatch(
        /^the result size of \d+ is larger than the allowed limit of 300$/,
      );
      expect(await small.query('{ _meta { deployment } }')).toEqual({
        data: { _meta: { deployment: 'QmFixture' } },
      });
      const metrics = await (await fetch(`${small.server.url}/metrics`)).text();
      expect(metrics).toMatch(
        /um_indexer_graphql_refused_queries_total\{limit="GRAPH_GRAPHQL_ERROR_RESULT_SIZE"\} 1/,
      );
    } finally {
      await small.close();
    }
  });

  it('answers "Query timed out" past GRAPH_GRAPHQL_QUERY_TIMEOUT', async () => {
    const hurried = await serve(writeFixture, { queryTimeoutMs: 0 });
    try {
      expect(await hurried.query('{ accounts { tokens { owner { handle } } } }')).toEqual({
        errors: [{ message: 'Query timed out' }],
      });
    } finally {
      await hurried.close();
    }
  });
});
