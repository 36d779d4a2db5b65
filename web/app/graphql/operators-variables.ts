/**
 * The operators table's URL state (?sort=&dir=&q=&page=&size=) → the subgraph's orderBy/where/
 * first/skip, like the rounds table: sorting, paging and search happen in the subgraph, so the
 * page stays small however many operators register. Bad values are a typed error naming the
 * parameter (a 400 page).
 */
export const OPERATOR_SORTS = [
  'stake',
  'attestationCount',
  'feesEarned',
  'lastAttestationTimestamp',
  'totalSlashed',
] as const;
export type OperatorSort = (typeof OPERATOR_SORTS)[number];
export const OPERATOR_PAGE_SIZES = [25, 50, 100] as const;
const MAX_SKIP = 5000; // graph-node's skip limit

export class OperatorsQueryParamError extends Error {
  override name = 'OperatorsQueryParamError';
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}

export type OperatorsTableState = {
  sort: OperatorSort;
  dir: 'asc' | 'desc';
  q: string;
  page: number;
  size: number;
};

export function parseOperatorsTableState(params: URLSearchParams): OperatorsTableState {
  const sort = (params.get('sort') ?? 'stake') as OperatorSort;
  if (!OPERATOR_SORTS.includes(sort))
    throw new OperatorsQueryParamError('sort', `sort must be one of ${OPERATOR_SORTS.join(', ')}`);
  const dir = params.get('dir') ?? 'desc';
  if (dir !== 'asc' && dir !== 'desc')
    throw new OperatorsQueryParamError('dir', 'dir must be asc or desc');
  const q = (params.get('q') ?? '').trim().toLowerCase();
  if (q && !/^(0x)?[0-9a-f]{1,40}$/.test(q))
    throw new OperatorsQueryParamError('q', 'q must be (part of) an address in hex');
  const page = Number(params.get('page') ?? '1');
  if (!Number.isInteger(page) || page < 1)
    throw new OperatorsQueryParamError('page', 'page must be a positive integer');
  const size = Number(params.get('size') ?? '25');
  if (!(OPERATOR_PAGE_SIZES as readonly number[]).includes(size))
    throw new OperatorsQueryParamError(
      'size',
      `size must be one of ${OPERATOR_PAGE_SIZES.join(', ')}`,
    );
  if ((page - 1) * size > MAX_SKIP)
    throw new OperatorsQueryParamError('page', `page is past the subgraph's limit; search instead`);
  return { sort, dir, q, page, size };
}

export function buildOperatorsVariables(s: OperatorsTableState) {
  return {
    // One row more than a page tells whether a next page exists.
    first: s.size + 1,
    skip: (s.page - 1) * s.size,
    orderBy: s.sort,
    orderDirection: s.dir,
    where: s.q ? { id_contains: s.q } : {},
  };
}
