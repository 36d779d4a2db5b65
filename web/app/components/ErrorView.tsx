/** The error page: says what failed in words, and what to do about it. */
import { isRouteErrorResponse, Link } from '@remix-run/react';
import type { PortalErrorBody } from '../lib/load.server.js';

export function ErrorView({ error }: { error: unknown }) {
  if (isRouteErrorResponse(error)) {
    const body = error.data as PortalErrorBody | string | null;
    if (body && typeof body === 'object') {
      switch (body.kind) {
        case 'subgraph-unreachable':
          return (
            <section
              className="error-page"
              aria-labelledby="error-title"
              data-error="subgraph-unreachable"
            >
              <h1 id="error-title">The indexer is unreachable</h1>
              <p>
                The portal reads everything from the subgraph&apos;s GraphQL endpoint at{' '}
                <code>{body.url}</code>, and it did not answer.
              </p>
              <p>
                Start the local stack with <code>npm run dev</code>, or point{' '}
                <code>UM_GRAPHQL_URL</code> at a running indexer or graph-node, then reload this
                page.
              </p>
              <p className="muted mono">{body.message}</p>
            </section>
          );
        case 'subgraph-http':
        case 'subgraph-query':
          return (
            <section className="error-page" aria-labelledby="error-title" data-error={body.kind}>
              <h1 id="error-title">The indexer could not answer</h1>
              <p>
                The subgraph returned an error for this page&apos;s query. It may still be syncing,
                or its schema may not match this portal version.
              </p>
              <p className="muted mono">{body.message}</p>
            </section>
          );
        case 'not-found':
          return (
            <section className="error-page" aria-labelledby="error-title" data-error="not-found">
              <h1 id="error-title">Not found</h1>
              <p>{body.what} does not exist in the indexed data (yet).</p>
              <p>
                <Link to="/">Back to the overview</Link>
              </p>
            </section>
          );
        case 'bad-request':
          return (
            <section className="error-page" aria-labelledby="error-title" data-error="bad-request">
              <h1 id="error-title">{body.title ?? 'That request is not valid'}</h1>
              <p>{body.message}</p>
            </section>
          );
      }
    }
    return (
      <section className="error-page" aria-labelledby="error-title">
        <h1 id="error-title">
          {error.status} {error.statusText}
        </h1>
      </section>
    );
  }
  return (
    <section className="error-page" aria-labelledby="error-title">
      <h1 id="error-title">Something went wrong</h1>
      <p className="mono">{error instanceof Error ? error.message : String(error)}</p>
    </section>
  );
}
