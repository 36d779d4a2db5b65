/**
 * The rounds table is sorted, filtered and paged by the subgraph, not in the browser: the URL's
 * search params (?sort=&dir=&status=&worker=&page=&size=) are the table state, so every view is a
 * link, works without JavaScript, and the loader turns it into GraphQL variables here.
 */
/** Round fields the table can sort by (names as in the subgraph's Round entity). */
export const ROUND_SORT_COLUMNS = [
  'number',
  'status',
  'worker',
  'submittedAtBlock',
  'challengeDeadline',
] as const;
export type RoundSortColumn = (typeof ROUND_SORT_COLUMNS)[number];
export const ROUND_STATUSES = [
  'Claimed',
  'Submitted',
  'Challenged',
  'Finalized',
  'Invalidated',
  'Expired',
] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];
export const PAGE_SIZES = [10, 25, 50, 100] as const;
/** graph-node rejects skip > 5000; deeper pages must narrow the filter instead. */
export const MAX_SKIP = 5000;

export type RoundsTableState = {
  sort: RoundSortColumn;
  dir: 'asc' | 'desc';
  status: RoundStatus | null;
  worker: string | null;
  page: number;
  size: number;
};

export type RoundsVariables = {
  first: number;
  skip: number;
  orderBy: RoundSortColumn;
  orderDirection: 'asc' | 'desc';
  where: { run: string; status?: RoundStatus; worker?: string };
};

export class RoundsQueryParamError extends Error {
  override name = 'RoundsQueryParamError';
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}

export const DEFAULT_ROUNDS_STATE: RoundsTableState = {
  sort: 'number',
  dir: 'desc',
  status: null,
  worker: null,
  page: 1,
  size: 25,
};

function oneOf<T extends string | number>(list: readonly T[], value: unknown): value is T {
  return (list as readonly unknown[]).includes(value);
}

/** Parses and validates the table state from a URL; throws RoundsQueryParamError on bad input. */
export function parseRoundsTableState(params: URLSearchParams): RoundsTableState {
  const state = { ...DEFAULT_ROUNDS_STATE };
  const sort = params.get('sort');
  if (sort !== null && sort !== '') {
    if (!oneOf(ROUND_SORT_COLUMNS, sort)) {
      throw new RoundsQueryParamError(
        'sort',
        `sort must be one of ${ROUND_SORT_COLUMNS.join(', ')}; got "${sort}"`,
      );
    }
    state.sort = sort;
  }
  const dir = params.get('dir');
  if (dir !== null && dir !== '') {
    if (dir !== 'asc' && dir !== 'desc')
      throw new RoundsQueryParamError('dir', `dir must be asc or desc; got "${dir}"`);
    state.dir = dir;
  }
  const status = params.get('status');
  if (status !== null && status !== '') {
    if (!oneOf(ROUND_STATUSES, status)) {
      throw new RoundsQueryParamError(
        'status',
        `status must be one of ${ROUND_STATUSES.join(', ')}; got "${status}"`,
      );
    }
    state.status = status;
  }
  const worker = params.get('worker')?.trim();
  if (worker) {
    if (!/^0x[0-9a-fA-F]{40}$/.test(worker)) {
      throw new RoundsQueryParamError(
        'worker',
        `worker must be a 0x-prefixed 20-byte address; got "${worker}"`,
      );
    }
    state.worker = worker.toLowerCase(); // entity ids are lowercase hex
  }
  const size = params.get('size');
  if (size !== null && size !== '') {
    const n = Number(size);
    if (!oneOf(PAGE_SIZES, n))
      throw new RoundsQueryParamError(
        'size',
        `size must be one of ${PAGE_SIZES.join(', ')}; got "${size}"`,
      );
    state.size = n;
  }
  const page = params.get('page');
  if (page !== null && page !== '') {
    const n = Number(page);
    if (!Number.isInteger(n) || n < 1)
      throw new RoundsQueryParamError('page', `page must be a positive integer; got "${page}"`);
    if ((n - 1) * state.size > MAX_SKIP) {
      throw new RoundsQueryParamError(
        'page',
        `page ${n} is beyond the ${MAX_SKIP} rows the subgraph can skip; filter by status or worker, or reverse the sort`,
      );
    }
    state.page = n;
  }
  return state;
}

/** GraphQL variables for RunQuery's rounds. Asks for one extra row to know whether a next page exists. */
export function buildRoundsVariables(runId: string, state: RoundsTableState): RoundsVariables {
  const where: RoundsVariables['where'] = { run: runId.toLowerCase() };
  if (state.status) where.status = state.status;
  if (state.worker) where.worker = state.worker;
  return {
    first: state.size + 1,
    skip: (state.page - 1) * state.size,
    orderBy: state.sort,
    orderDirection: state.dir,
    where,
  };
}

/** The search string for a table state, leaving defaults out so URLs stay short and canonical. */
export function roundsTableSearch(state: RoundsTableState): string {
  const p = new URLSearchParams();
  if (state.sort !== DEFAULT_ROUNDS_STATE.sort) p.set('sort', state.sort);
  if (state.dir !== DEFAULT_ROUNDS_STATE.dir) p.set('dir', state.dir);
  if (state.status) p.set('status', state.status);
  if (state.worker) p.set('worker', state.worker);
  if (state.size !== DEFAULT_ROUNDS_STATE.size) p.set('size', String(state.size));
  if (state.page !== 1) p.set('page', String(state.page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Clicking a header: a new column sorts descending first; the same column flips; the page resets. */
export function toggleSort(state: RoundsTableState, column: RoundSortColumn): RoundsTableState {
  const dir = state.sort === column ? (state.dir === 'desc' ? 'asc' : 'desc') : 'desc';
  return { ...state, sort: column, dir, page: 1 };
}
