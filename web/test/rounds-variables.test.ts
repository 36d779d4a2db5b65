import { describe, expect, it } from 'vitest';
import {
  buildRoundsVariables,
  parseRoundsTableState,
  RoundsQueryParamError,
  roundsTableSearch,
  toggleSort,
  DEFAULT_ROUNDS_STATE,
} from '../app/graphql/rounds-variables.js';

const RUN = '0xABCDEF0000000000000000000000000000000001';
const p = (s: string) => new URLSearchParams(s);

describe('rounds table: URL state to GraphQL variables', () => {
  it('defaults to newest rounds first, 25 per page, asking one extra row for "next page"', () => {
    expect(buildRoundsVariables(RUN, parseRoundsTableState(p('')))).toEqual({
      first: 26,
      skip: 0,
      orderBy: 'number',
      orderDirection: 'desc',
      where: { run: RUN.toLowerCase() },
    });
  });

  it('maps sorting, filters and pages to orderBy, where and skip', () => {
    const state = parseRoundsTableState(
      p(
        'sort=submittedAtBlock&dir=asc&status=Invalidated&worker=0x70997970C51812dc3A010C7d01b50e0d17dc79C8&size=50&page=3',
      ),
    );
    expect(buildRoundsVariables(RUN, state)).toEqual({
      first: 51,
      skip: 100,
      orderBy: 'submittedAtBlock',
      orderDirection: 'asc',
      where: {
        run: RUN.toLowerCase(),
        status: 'Invalidated',
        worker: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
      },
    });
  });

  it('rejects unknown columns, statuses, sizes and addresses with the parameter named', () => {
    const bad = [
      'sort=loss',
      'dir=up',
      'status=Pending',
      'size=7',
      'page=0',
      'page=x',
      'worker=bob',
    ];
    for (const q of bad) {
      const err = (() => {
        try {
          parseRoundsTableState(p(q));
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(err, q).toBeInstanceOf(RoundsQueryParamError);
      expect((err as RoundsQueryParamError).param).toBe(q.split('=')[0]);
    }
  });

  it("refuses pages beyond graph-node's skip limit with advice", () => {
    expect(() => parseRoundsTableState(p('size=100&page=52'))).toThrowError(
      /filter by status or worker/,
    );
    expect(parseRoundsTableState(p('size=100&page=51')).page).toBe(51);
  });

  it('round-trips through canonical URLs that omit defaults', () => {
    expect(roundsTableSearch(DEFAULT_ROUNDS_STATE)).toBe('');
    const s = parseRoundsTableState(p('status=Finalized&page=2&sort=worker&dir=asc'));
    expect(parseRoundsTableState(p(roundsTableSearch(s).slice(1)))).toEqual(s);
  });

  it('toggles sorting like a spreadsheet header and goes back to page 1', () => {
    const s = { ...DEFAULT_ROUNDS_STATE, page: 4 };
    expect(toggleSort(s, 'number')).toMatchObject({ sort: 'number', dir: 'asc', page: 1 });
    expect(toggleSort(s, 'status')).toMatchObject({ sort: 'status', dir: 'desc', page: 1 });
  });
});

describe('operators table state', async () => {
  const { parseOperatorsTableState, buildOperatorsVariables, OperatorsQueryParamError } =
    await import('../app/graphql/operators-variables.js');
  it('turns sort, search and page into subgraph variables', () => {
    const s = parseOperatorsTableState(
      new URLSearchParams('sort=feesEarned&dir=asc&q=0xABC&page=3'),
    );
    expect(buildOperatorsVariables(s)).toEqual({
      first: 26,
      skip: 50,
      orderBy: 'feesEarned',
      orderDirection: 'asc',
      where: { id_contains: '0xabc' },
    });
  });
  it('names the bad parameter', () => {
    expect(() => parseOperatorsTableState(new URLSearchParams('sort=name'))).toThrowError(
      OperatorsQueryParamError,
    );
    expect(() => parseOperatorsTableState(new URLSearchParams('q=hello'))).toThrowError(/q must/);
    expect(() => parseOperatorsTableState(new URLSearchParams('size=7'))).toThrowError(/size/);
  });
});
