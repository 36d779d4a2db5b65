import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { AddressLink, Empty, StatusBadge } from '../components/ui.js';
import { querySubgraph } from '../graphql/client.server.js';
import { OperatorsQuery } from '../graphql/queries.js';
import { formatEth, formatTime, formatTokens } from '../lib/format.js';
import { badRequest, fromSubgraph } from '../lib/load.server.js';
import {
  buildOperatorsVariables,
  OPERATOR_PAGE_SIZES,
  OperatorsQueryParamError,
  parseOperatorsTableState,
  type OperatorSort,
  type OperatorsTableState,
} from '../graphql/operators-variables.js';

export const meta: MetaFunction = () => [{ title: 'Operators · Unstoppable Models' }];

export async function loader({ request }: LoaderFunctionArgs) {
  let state: OperatorsTableState;
  try {
    state = parseOperatorsTableState(new URL(request.url).searchParams);
  } catch (err) {
    if (err instanceof OperatorsQueryParamError) badRequest(err.message);
    throw err;
  }
  const data = await fromSubgraph(() =>
    querySubgraph(OperatorsQuery, buildOperatorsVariables(state), { signal: request.signal }),
  );
  return json({
    operators: data.operators.slice(0, state.size),
    hasNext: data.operators.length > state.size,
    totalStake: data.protocol?.totalOperatorStake ?? null,
    state,
    _meta: data._meta,
  });
}

const COLUMNS: Array<[OperatorSort | null, string]> = [
  [null, 'Operator'],
  [null, 'Status'],
  ['stake', 'Stake'],
  [null, 'Share'],
  ['attestationCount', 'Attestations'],
  ['lastAttestationTimestamp', 'Last attestation'],
  ['feesEarned', 'Fees'],
  ['totalSlashed', 'Slashed'],
];

export default function Operators() {
  const { operators, hasNext, totalStake, state, _meta } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const total =
    totalStake !== null
      ? BigInt(totalStake)
      : operators.filter((o) => o.status === 'Active').reduce((s, o) => s + BigInt(o.stake), 0n);
  const link = (changes: Record<string, string | null>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) p.delete(k);
      else p.set(k, v);
    }
    return `?${p}`;
  };
  const now = _meta?.block.timestamp ?? null;
  return (
    <>
      <h1>Operators</h1>
      <p className="muted">
        Staked operators attest market scores; a quorum needs more than two thirds of the stake.
      </p>
      <Form method="get" className="filters" role="search">
        <label>
          Search address <input type="search" name="q" defaultValue={state.q} placeholder="0x…" />
        </label>
        <input type="hidden" name="sort" value={state.sort} />
        <input type="hidden" name="dir" value={state.dir} />
        <label>
          Rows{' '}
          <select name="size" defaultValue={state.size}>
            {OPERATOR_PAGE_SIZES.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <button type="submit">Search</button>
      </Form>
      {operators.length === 0 ? (
        <Empty>
          {state.q ? `No operator address contains "${state.q}".` : 'No operators registered.'}
        </Empty>
      ) : (
        <div className="table-wrap">
          <table id="operators-table">
            <thead>
              <tr>
                {COLUMNS.map(([key, label]) => (
                  <th
                    key={label}
                    scope="col"
                    aria-sort={
                      key === state.sort
                        ? state.dir === 'asc'
                          ? 'ascending'
                          : 'descending'
                        : undefined
                    }
                  >
                    {key ? (
                      <Link
                        to={link({
                          sort: key,
                          dir: key === state.sort && state.dir === 'desc' ? 'asc' : 'desc',
                          page: null,
                        })}
                      >
                        {label}
                        {key === state.sort ? (state.dir === 'asc' ? ' ↑' : ' ↓') : ''}
                      </Link>
                    ) : (
                      label
                    )}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {operators.map((o) => {
                // Warn when an active operator has not attested for a day of chain time.
                const stale =
                  o.status === 'Active' &&
                  now !== null &&
                  (o.lastAttestationTimestamp === null ||
                    now - Number(o.lastAttestationTimestamp) > 86_400);
                return (
                  <tr key={o.id} data-operator={o.id}>
                    <td>
                      <AddressLink address={o.id} />
                    </td>
                    <td>
                      <StatusBadge status={o.status} />
                      {stale ? (
                        <span title="No attestation in the last 24 h"> ⚠ behind</span>
                      ) : null}
                    </td>
                    <td>{formatTokens(o.stake)} UM</td>
                    <td>
                      {total === 0n || o.status !== 'Active'
                        ? '—'
                        : `${(Number((BigInt(o.stake) * 10_000n) / total) / 100).toFixed(2)}%`}
                    </td>
                    <td>{o.attestationCount}</td>
                    <td>{formatTime(o.lastAttestationTimestamp)}</td>
                    <td>{formatEth(o.feesEarned)} ETH</td>
                    <td>{formatTokens(o.totalSlashed)} UM</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Operator pages" className="pager">
        {state.page > 1 ? (
          <Link to={link({ page: String(state.page - 1) })}>← Previous</Link>
        ) : null}{' '}
        <span className="muted">Page {state.page}</span>{' '}
        {hasNext ? <Link to={link({ page: String(state.page + 1) })}>Next →</Link> : null}
      </nav>
    </>
  );
}
