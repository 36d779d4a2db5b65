/**
 * GraphiQL (the `graphiql` package, bundled: no CDN) against the portal's same-origin proxy
 * /api/graphql. Loaded only in the browser, on /graphql; its documentation explorer browses the
 * subgraph's schema from introspection.
 */
import { GraphiQL } from 'graphiql';

async function fetcher(params: {
  query: string;
  operationName?: string | null;
  variables?: unknown;
}): Promise<Record<string, unknown>> {
  const res = await fetch('/api/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(params),
  });
  return (await res.json()) as Record<string, unknown>;
}

export default function GraphiqlPanel({ query }: { query: string }) {
  return (
    <GraphiQL
      fetcher={fetcher}
      defaultQuery={query}
      query={query}
      defaultEditorToolsVisibility={false}
      isHeadersEditorEnabled={false}
      shouldPersistHeaders={false}
      storage={{
        // Nothing from a previous visit overrides the example picked in the URL.
        getItem: () => null,
        setItem: () => undefined,
        removeItem: () => undefined,
        clear: () => undefined,
        length: 0,
      }}
    />
  );
}
