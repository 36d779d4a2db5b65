/**
 * A query playground against the subgraph: prefilled example queries, the endpoint URL to copy,
 * the entity list from introspection. Queries run through this route's action, so it works without
 * JavaScript and without CORS on the indexer.
 */
import type {
  ActionFunctionArgs,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from '@remix-run/node';
import { json } from '@remix-run/node';
import {
  Form,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from '@remix-run/react';
import { lazy, Suspense, useEffect, useState } from 'react';
import graphiqlCss from 'graphiql/graphiql.css?url';
import { graphqlUrl } from '../graphql/client.server.js';
import { EXAMPLE_QUERIES } from '../graphql/examples.js';

export const meta: MetaFunction = () => [{ title: 'GraphQL · Unstoppable Models' }];
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: graphiqlCss }];

// GraphiQL needs the DOM: it is loaded after hydration; without JavaScript the form below works.
const GraphiqlPanel = lazy(() => import('../components/GraphiqlPanel.js'));

const INTROSPECT = `{ __schema { queryType { fields { name description } } } }`;

async function post(query: string, signal: AbortSignal): Promise<{ status: number; body: string }> {
  const res = await fetch(graphqlUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    signal: AbortSignal.any([signal, AbortSignal.timeout(15_000)]),
  });
  return { status: res.status, body: await res.text() };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const endpoint = process.env.UM_PUBLIC_GRAPHQL_URL || graphqlUrl();
  let rootFields: string[] = [];
  let problem: string | null = null;
  try {
    const r = await post(INTROSPECT, request.signal);
    const parsed = JSON.parse(r.body) as {
      data?: { __schema: { queryType: { fields: Array<{ name: string }> } } };
    };
    rootFields = parsed.data?.__schema.queryType.fields.map((f) => f.name) ?? [];
  } catch (err) {
    problem = `The indexer at ${graphqlUrl()} is unreachable: ${err instanceof Error ? err.message : String(err)}`;
  }
  return json({ endpoint, rootFields, problem });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const query = String(form.get('query') ?? '');
  if (!query.trim())
    return json({ query, result: null, error: 'Write a query first.' }, { status: 400 });
  if (query.length > 20_000)
    return json({ query, result: null, error: 'The query is too long.' }, { status: 413 });
  try {
    const r = await post(query, request.signal);
    let pretty = r.body;
    try {
      pretty = JSON.stringify(JSON.parse(r.body), null, 2);
    } catch {
      /* not JSON: show as is */
    }
    return json({ query, result: pretty, error: r.status === 200 ? null : `HTTP ${r.status}` });
  } catch (err) {
    return json(
      {
        query,
        result: null,
        error: `The indexer is unreachable: ${err instanceof Error ? err.message : String(err)}`,
      },
      { status: 503 },
    );
  }
}

export default function GraphqlPage() {
  const { endpoint, rootFields, problem } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const nav = useNavigation();
  const [params] = useSearchParams();
  const example =
    EXAMPLE_QUERIES.find((e) => e.id === params.get('example')) ?? EXAMPLE_QUERIES[0]!;
  const [query, setQuery] = useState(actionData?.query ?? example.query);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  useEffect(() => {
    if (!actionData) setQuery(example.query);
  }, [example, actionData]);
  return (
    <>
      <h1>GraphQL</h1>
      <p>
        Endpoint: <code id="endpoint">{endpoint}</code>{' '}
        <button type="button" onClick={() => void navigator.clipboard?.writeText(endpoint)}>
          Copy
        </button>
      </p>
      <p className="muted">
        Any GraphQL client works against this URL (POST). Add <code>block: {'{ number: N }'}</code>{' '}
        to any field to query history.
      </p>
      {problem ? (
        <p className="error-page" role="alert">
          {problem}
        </p>
      ) : null}
      <nav aria-label="Example queries" className="filters">
        {EXAMPLE_QUERIES.map((e) => (
          <a
            key={e.id}
            href={`?example=${e.id}`}
            aria-current={e.id === example.id ? 'true' : undefined}
          >
            {e.title}
          </a>
        ))}
      </nav>
      {hydrated ? (
        <div className="graphiql-box" id="graphiql">
          <Suspense fallback={<div className="placeholder">Loading GraphiQL…</div>}>
            <GraphiqlPanel key={example.id} query={actionData?.query ?? example.query} />
          </Suspense>
        </div>
      ) : (
        <Form method="post">
          <label htmlFor="query" className="visually-hidden">
            Query
          </label>
          <textarea
            id="query"
            name="query"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            spellCheck={false}
          />
          <p>
            <button className="primary" type="submit" disabled={nav.state === 'submitting'}>
              {nav.state === 'submitting' ? 'Running…' : 'Run query'}
            </button>
          </p>
        </Form>
      )}
      {actionData?.error ? (
        <p role="alert" className="error-page">
          {actionData.error}
        </p>
      ) : null}
      {actionData?.result ? (
        <section aria-labelledby="result-title">
          <h2 id="result-title">Result</h2>
          <pre id="result">{actionData.result}</pre>
        </section>
      ) : null}
      {rootFields.length > 0 ? (
        <details>
          <summary>Schema: {rootFields.length} query fields</summary>
          <p className="mono">{rootFields.join(' · ')}</p>
        </details>
      ) : null}
    </>
  );
}
