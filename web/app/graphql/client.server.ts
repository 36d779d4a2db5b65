/**
 * Server-side access to the subgraph's GraphQL endpoint (the indexer or graph-node). Failures are
 * typed so loaders can render "the indexer is unreachable" instead of crashing.
 */
import type { TypedQuery } from './document.js';

export const DEFAULT_GRAPHQL_URL = 'http://127.0.0.1:8000/subgraphs/name/unstoppable-models';
const TIMEOUT_MS = 15_000;

export function graphqlUrl(): string {
  return process.env.UM_GRAPHQL_URL || DEFAULT_GRAPHQL_URL;
}

export class SubgraphError extends Error {
  override name = 'SubgraphError';
}
/** The endpoint could not be reached at all (connection refused, DNS, timeout). */
export class SubgraphUnreachableError extends SubgraphError {
  override name = 'SubgraphUnreachableError';
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(
      `the subgraph at ${url} is unreachable: ${cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause)}`,
      { cause },
    );
  }
}
/** The endpoint answered with a non-2xx status or something that is not GraphQL JSON. */
export class SubgraphHttpError extends SubgraphError {
  override name = 'SubgraphHttpError';
  constructor(
    readonly url: string,
    readonly status: number,
    body: string,
  ) {
    super(`the subgraph at ${url} answered HTTP ${status}: ${body.slice(0, 300)}`);
  }
}
/** The query ran but the subgraph returned GraphQL errors (schema mismatch, limits, indexing error). */
export class SubgraphQueryError extends SubgraphError {
  override name = 'SubgraphQueryError';
  constructor(
    readonly queryName: string,
    readonly messages: string[],
  ) {
    super(`query ${queryName} failed: ${messages.join('; ')}`);
  }
}

export async function querySubgraph<TData, TVariables extends Record<string, unknown>>(
  query: TypedQuery<TData, TVariables>,
  variables: TVariables,
  opts: { url?: string; signal?: AbortSignal } = {},
): Promise<TData> {
  const url = opts.url ?? graphqlUrl();
  const signal = opts.signal
    ? AbortSignal.any([opts.signal, AbortSignal.timeout(TIMEOUT_MS)])
    : AbortSignal.timeout(TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: query.source, variables, operationName: query.name }),
      signal,
    });
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    throw new SubgraphUnreachableError(url, err);
  }
  const text = await res.text();
  if (!res.ok) throw new SubgraphHttpError(url, res.status, text);
  let body: { data?: TData; errors?: Array<{ message: string }> };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new SubgraphHttpError(url, res.status, text);
  }
  if (body.errors?.length)
    throw new SubgraphQueryError(
      query.name,
      body.errors.map((e) => e.message),
    );
  if (!body.data) throw new SubgraphQueryError(query.name, ['no data in the response']);
  return body.data;
}
