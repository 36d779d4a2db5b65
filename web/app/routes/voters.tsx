import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { AddressLink, Empty } from '../components/ui.js';
import { querySubgraph } from '../graphql/client.server.js';
import { VotersQuery } from '../graphql/queries.js';
import { formatEth, formatTime, formatTokens } from '../lib/format.js';
import { fromSubgraph } from '../lib/load.server.js';

export const meta: MetaFunction = () => [{ title: 'Court stakers · Unstoppable Models' }];

const SORTS = ['stake', 'pending', 'ballots', 'rewards'] as const;
type Sort = (typeof SORTS)[number];

export async function loader({ request }: LoaderFunctionArgs) {
  return json(await fromSubgraph(() => querySubgraph(VotersQuery, {}, { signal: request.signal })));
}

/**
 * Court stakers: voting weight in disputes is UM staked in the DisputeCourt, so only accounts with
 * stake are listed (the query filters stake > 0, which also leaves out contracts that merely hold
 * UM). Sortable by stake, pending unstake, ballots and rewards (`?sort=`, `?dir=asc|desc`).
 */
export default function Voters() {
  const { voters, protocol } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const sort: Sort = (SORTS as readonly string[]).includes(params.get('sort') ?? '')
    ? (params.get('sort') as Sort)
    : 'stake';
  const asc = params.get('dir') === 'asc';
  const total = BigInt(protocol?.courtTotalStake ?? '0');
  const key = (v: (typeof voters)[number]): bigint =>
    sort === 'stake'
      ? BigInt(v.stake)
      : sort === 'pending'
        ? BigInt(v.pendingUnstake)
        : sort === 'ballots'
          ? BigInt(v.ballotsRevealed)
          : BigInt(v.rewardsClaimed);
  const rows = [...voters].sort((a, b) => {
    const d = key(a) - key(b);
    return (d === 0n ? 0 : d < 0n ? -1 : 1) * (asc ? 1 : -1);
  });
  const header = (s: Sort, label: string) => (
    <th scope="col" aria-sort={sort === s ? (asc ? 'ascending' : 'descending') : 'none'}>
      <Link to={`?sort=${s}&dir=${sort === s && !asc ? 'asc' : 'desc'}`} preventScrollReset>
        {label}
        {sort === s ? (asc ? ' ▲' : ' ▼') : ''}
      </Link>
    </th>
  );
  return (
    <>
      <h1>Court stakers</h1>
      <p className="muted">
        Disputes are decided by UM staked in the court, weighed at each dispute&apos;s snapshot
        block. Total stake {formatTokens(total.toString())} UM across{' '}
        {protocol?.courtStakerCount ?? 0} stakers;{' '}
        {formatTokens(protocol?.courtPendingUnstake ?? '0')} UM waiting out the unstaking cooldown.
      </p>
      {rows.length === 0 ? (
        <Empty>Nobody has staked in the court yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table id="stakers-table">
            <thead>
              <tr>
                <th scope="col">Account</th>
                {header('stake', 'Stake (UM)')}
                <th scope="col">Share of total stake</th>
                {header('pending', 'Pending unstake (UM)')}
                <th scope="col">Unlocks</th>
                {header('ballots', 'Ballots revealed')}
                {header('rewards', 'Rewards (ETH)')}
              </tr>
            </thead>
            <tbody>
              {rows.map((v) => (
                <tr key={v.id} data-account={v.id}>
                  <td>
                    <AddressLink address={v.id} />
                  </td>
                  <td>{formatTokens(v.stake)}</td>
                  <td>
                    {total === 0n
                      ? '—'
                      : `${(Number((BigInt(v.stake) * 10_000n) / total) / 100).toFixed(2)}%`}
                  </td>
                  <td>{v.pendingUnstake === '0' ? '—' : formatTokens(v.pendingUnstake)}</td>
                  <td>{v.pendingUnstake !== '0' && v.unlockAt ? formatTime(v.unlockAt) : '—'}</td>
                  <td>
                    {v.ballotsRevealed} / {v.ballotsCommitted}
                  </td>
                  <td>{formatEth(v.rewardsClaimed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
