import { readFileSync } from 'node:fs';
import { graphql, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_QUERIES } from '../app/graphql/examples.js';
import { ALL_QUERIES, RunQuery } from '../app/graphql/queries.js';
import { buildRoundsVariables, parseRoundsTableState } from '../app/graphql/rounds-variables.js';
import { deriveQueryApi, FixtureStore } from './fixtures/graph-api.js';
import { SUBGRAPH_SCHEMA_PATH } from './fixtures/schema-path.js';

const sdl = readFileSync(SUBGRAPH_SCHEMA_PATH, 'utf8');
const schema = deriveQueryApi(sdl);

describe('portal queries against the subgraph API', () => {
  for (const q of ALL_QUERIES) {
    it(`${q.name} is valid`, () => {
      const errors = validate(schema, parse(q.source));
      expect(errors.map((e) => e.message)).toEqual([]);
    });
  }

  it('the rounds table variables filter, sort and page as the URL says', async () => {
    const run = '0x00000000000000000000000000000000000000aa';
    const rounds = Array.from({ length: 30 }, (_, i) => ({
      id: `${run}-${i}-0`,
      run,
      number: String(i),
      attempt: 0,
      worker: i % 3 === 0 ? '0xw1' : '0xw2',
      status: i % 5 === 0 ? 'Invalidated' : 'Finalized',
      baseStateHash: '0x00',
      stepCount: 4,
      leaseExpiresAt: '0',
      claimedAtBlock: String(1000 + i),
    }));
    const store = new FixtureStore(sdl, {
      Round: rounds,
      Worker: [{ id: '0xw1' }, { id: '0xw2' }],
    });
    const state = parseRoundsTableState(
      new URLSearchParams('status=Finalized&sort=number&dir=asc&size=10&page=2'),
    );
    const result = await graphql({
      schema,
      source: RunQuery.source,
      rootValue: store.rootValue(),
      variableValues: { id: run, ref: run, ...buildRoundsVariables(run, state) },
    });
    expect(result.errors).toBeUndefined();
    const got = (result.data as { rounds: Array<{ number: string }> }).rounds.map((r) =>
      Number(r.number),
    );
    // 24 finalized rounds (every 5th is invalidated); page 2 of 10, plus one look-ahead row.
    expect(got).toEqual([13, 14, 16, 17, 18, 19, 21, 22, 23, 24, 26]);
  });
});

describe('example queries on the GraphQL page', () => {
  for (const e of EXAMPLE_QUERIES) {
    it(`"${e.title}" is valid`, () => {
      expect(validate(schema, parse(e.query)).map((x) => x.message)).toEqual([]);
    });
  }
});
