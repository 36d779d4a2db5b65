import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { Empty, Stats, StatusBadge } from '../components/ui.js';
import { querySubgraph } from '../graphql/client.server.js';
import { WorkerQuery } from '../graphql/queries.js';
import { formatEth, formatTime, formatTokens } from '../lib/format.js';
import { badRequest, fromSubgraph } from '../lib/load.server.js';

export const meta: MetaFunction = ({ params }) => [
  { title: `${params.address} · Unstoppable Models` },
];

/** One address across roles: worker history, operator stake and voter record, whichever exist. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const id = (params.address ?? '').toLowerCase();
  if (!/^0x[0-9a-f]{40}$/.test(id))
    badRequest(`"${params.address}" is not an address.`, 'That address is not valid');
  const data = await fromSubgraph(() =>
    querySubgraph(WorkerQuery, { id, ref: id }, { signal: request.signal }),
  );
  return json({ ...data, id });
}

export default function WorkerPage() {
  const { id, worker, rounds, operator, voter } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="mono" style={{ wordBreak: 'break-all' }}>
        {id}
      </h1>
      {!worker && !operator && !voter ? (
        <Empty>This address has no recorded activity.</Empty>
      ) : null}
      {worker ? (
        <>
          <h2>Worker</h2>
          <Stats
            items={[
              ['Rounds claimed', worker.roundsClaimed],
              ['Submitted', worker.roundsSubmitted],
              ['Finalized', worker.roundsFinalized],
              ['Invalidated', worker.roundsInvalidated],
              ['Rewards', `${formatEth(worker.totalRewards)} ETH`],
              ['Deposits forfeited', `${formatEth(worker.totalForfeited)} ETH`],
            ]}
          />
          <h2>Rounds</h2>
          {rounds.length === 0 ? (
            <Empty>No rounds.</Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Run</th>
                    <th scope="col">Round</th>
                    <th scope="col">Status</th>
                    <th scope="col">Claimed</th>
                  </tr>
                </thead>
                <tbody>
                  {rounds.map((r) => (
                    <tr key={r.id}>
                      <td>
                        <Link to={`/runs/${r.run.id}`}>Run {r.run.runId}</Link>
                      </td>
                      <td>
                        <Link to={`/runs/${r.run.id}/rounds/${r.number}`}>#{r.number}</Link>
                      </td>
                      <td>
                        <StatusBadge status={r.status} />
                      </td>
                      <td>{formatTime(r.claimedAtTimestamp)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : null}
      {operator ? (
        <>
          <h2>Operator</h2>
          <Stats
            items={[
              ['Stake', `${formatTokens(operator.stake)} UM`],
              ['Status', operator.status],
              ['Attestations', operator.attestationCount],
              ['Fees earned', `${formatEth(operator.feesEarned)} ETH`],
              ['Slashed', `${formatTokens(operator.totalSlashed)} UM`],
              ['Last attestation', formatTime(operator.lastAttestationTimestamp)],
            ]}
          />
        </>
      ) : null}
      {voter ? (
        <>
          <h2>Voter</h2>
          <Stats
            items={[
              ['Court stake', formatTokens(voter.stake)],
              ['Pending unstake', formatTokens(voter.pendingUnstake)],
              [
                'Ballots committed / revealed',
                `${voter.ballotsCommitted} / ${voter.ballotsRevealed}`,
              ],
              ['Weight revealed', formatTokens(voter.weightRevealed)],
              ['Rewards claimed', `${formatEth(voter.rewardsClaimed)} ETH`],
            ]}
          />
        </>
      ) : null}
    </>
  );
}
