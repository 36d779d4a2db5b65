/**
 * Same-origin proxy for the browser's live queries (urql), so the indexer needs no CORS and its URL
 * stays a server setting. Only queries pass; the body size is bounded. The indexer enforces
 * graph-node's query limits (depth, complexity, first/skip, timeout, result size) itself and
 * answers a refused query with a GraphQL error, which is passed on unchanged.
 */
import type { ActionFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { graphqlUrl } from '../graphql/client.server.js';

const MAX_BODY = 64 * 1024;

export async function action({ request }: ActionFunctionArgs) {
  const body = await request.text();
  if (body.length > MAX_BODY)
    return json({ errors: [{ message: 'query too large' }] }, { status: 413 });
  let parsed: { query?: unknown };
  try {
    parsed = JSON.parse(body) as { query?: unknown };
  } catch {
    return json({ errors: [{ message: 'body must be JSON' }] }, { status: 400 });
  }
  if (typeof parsed.query !== 'string' || /^\s*(mutation|subscription)\b/.test(parsed.query)) {
    return json({ errors: [{ message: 'only queries are forwarded' }] }, { status: 400 });
  }
  try {
    const res = await fetch(graphqlUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      // Longer than the indexer's own GRAPH_GRAPHQL_QUERY_TIMEOUT (10 s), so its precise
      // "Query timed out" reaches the browser rather than a generic abort.
      signal: AbortSignal.timeout(15_000),
    });
    return new Response(await res.text(), {
      status: res.status,
      headers: { 'content-type': 'application/json' },
    });
  } catch (err) {
    return json(
      {
        errors: [
          { message: `indexer unreachable: ${err instanceof Error ? err.message : String(err)}` },
        ],
      },
      { status: 503 },
    );
  }
}

export async function loader() {
  return json({ errors: [{ message: 'POST GraphQL queries here' }] }, { status: 405 });
}
