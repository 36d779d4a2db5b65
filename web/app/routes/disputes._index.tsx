import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { Countdown, Empty, StatusBadge } from '../components/ui.js';
import { querySubgraph } from '../graphql/client.server.js';
import { DisputesQuery } from '../graphql/queries.js';
import type { DisputeSummary } from '../graphql/types.js';
import { formatTokens } from '../lib/format.js';
import { badRequest, fromSubgraph } from '../lib/load.server.js';

export const meta: MetaFunction = () => [{ title: 'Disputes · Unstoppable Models' }];

const PAGE = 50;

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const status = url.searchParams.get('status') ?? '';
  if (status && status !== 'Open' && status !== 'Resolved')
    badRequest('status must be Open or Resolved');
  const account = (url.searchParams.get('account') ?? '').toLowerCase();
  if (account && !/^0x[0-9a-f]{40}$/.test(account)) badRequest('account must be an address');
  const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
  const data = await fromSubgraph(() =>
    querySubgraph(
      DisputesQuery,
      { first: PAGE + 1, skip: (page - 1) * PAGE, where: status ? { status } : {}, account },
      { signal: request.signal },
    ),
  );
  const voted = new Set(data.myBallots.map((v) => v.dispute.id));
  // "Needs my action": open disputes this account has not voted on, closest deadline first.
  const needsAction = account ? data.open.filter((d) => !voted.has(d.id)) : [];
  return json({
    disputes: data.disputes.slice(0, PAGE),
    hasNext: data.disputes.length > PAGE,
    page,
    status,
    account,
    needsAction,
    _meta: data._meta,
  });
}

function DisputeRows({ rows, now }: { rows: DisputeSummary[]; now: number | null }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Dispute</th>
            <th scope="col">Status</th>
            <th scope="col">Run / round / step</th>
            <th scope="col">Fraud</th>
            <th scope="col">Valid</th>
            <th scope="col">Deadline</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id}>
              <td>
                <Link to={`/disputes/${d.id}`}>#{d.id}</Link>
              </td>
              <td>
                <StatusBadge status={d.status} />
                {d.status === 'Resolved' ? <> {d.fraud ? 'fraud' : 'claim stands'}</> : null}
              </td>
              <td>
                <Link to={`/runs/${d.run.id}`}>Run {d.run.runId}</Link> / {d.roundNumber} /{' '}
                {d.challenge?.step ?? '?'}
              </td>
              <td>{formatTokens(d.fraudVotes)}</td>
              <td>{formatTokens(d.validVotes)}</td>
              <td>
                {d.status === 'Open' ? (
                  <Countdown deadline={d.revealDeadline} chainNow={now} />
                ) : (
                  'closed'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function Disputes() {
  const { disputes, hasNext, page, status, account, needsAction, _meta } =
    useLoaderData<typeof loader>();
  const now = _meta?.block.timestamp ?? null;
  return (
    <>
      <h1>Disputes</h1>
      <section aria-labelledby="mine-title" className="card">
        <h2 id="mine-title" style={{ marginTop: 0 }}>
          Needs my action
        </h2>
        <Form method="get" className="filters">
          <label>
            Your address
            <input name="account" defaultValue={account} placeholder="0x…" size={44} />
          </label>
          <input type="hidden" name="status" value={status} />
          <button type="submit">Show</button>
        </Form>
        {!account ? (
          <p className="muted">
            Enter your address (or pick an account on a dispute page) to list open disputes you have
            not voted on.
          </p>
        ) : needsAction.length === 0 ? (
          <Empty>Nothing needs your vote right now.</Empty>
        ) : (
          <DisputeRows rows={needsAction} now={now} />
        )}
      </section>
      <h2>All disputes</h2>
      <nav className="filters" aria-label="Filter by status">
        {['', 'Open', 'Resolved'].map((s) => (
          <Link
            key={s}
            to={`?status=${s}${account ? `&account=${account}` : ''}`}
            aria-current={s === status ? 'page' : undefined}
          >
            {s || 'All'}
          </Link>
        ))}
      </nav>
      {disputes.length === 0 ? (
        <Empty>
          No disputes{status ? ` with status ${status}` : ''}. Every round so far went unchallenged.
        </Empty>
      ) : (
        <DisputeRows rows={disputes} now={now} />
      )}
      <nav className="pager" aria-label="Dispute pages">
        {page > 1 ? (
          <Link to={`?status=${status}&page=${page - 1}`}>← Previous</Link>
        ) : (
          <span className="muted">← Previous</span>
        )}
        <span>Page {page}</span>
        {hasNext ? (
          <Link to={`?status=${status}&page=${page + 1}`}>Next →</Link>
        ) : (
          <span className="muted">Next →</span>
        )}
      </nav>
    </>
  );
}
