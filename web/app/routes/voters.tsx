import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { AddressLink, Empty } from '../components/ui.js';
import { querySubgraph } from '../graphql/client.server.js';
import { VotersQuery } from '../graphql/queries.js';
import { formatEth, formatTokens, shortHex } from '../lib/format.js';
import { fromSubgraph } from '../lib/load.server.js';

export const meta: MetaFunction = () => [{ title: 'Voters · Unstoppable Models' }];

export async function loader({ request }: LoaderFunctionArgs) {
  return json(await fromSubgraph(() => querySubgraph(VotersQuery, {}, { signal: request.signal })));
}

export default function Voters() {
  const { voters } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Voters</h1>
      <p className="muted">
        UM holders resolve disputes. Voting power is what has been delegated to an address — tokens
        count only once delegated.
      </p>
      {voters.length === 0 ? (
        <Empty>No token holders have delegated yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Voter</th>
                <th scope="col">Voting power</th>
                <th scope="col">Delegates to</th>
                <th scope="col">Votes cast</th>
                <th scope="col">Weight used</th>
                <th scope="col">Rewards claimed</th>
              </tr>
            </thead>
            <tbody>
              {voters.map((v) => (
                <tr key={v.id}>
                  <td>
                    <AddressLink address={v.id} />
                  </td>
                  <td>{formatTokens(v.votingPower)}</td>
                  <td className="mono">
                    {v.delegate === null
                      ? 'nobody'
                      : v.delegate.id.toLowerCase() === v.id.toLowerCase()
                        ? 'self'
                        : shortHex(v.delegate.id)}
                  </td>
                  <td>{v.votesCast}</td>
                  <td>{formatTokens(v.weightUsed)}</td>
                  <td>{formatEth(v.rewardsClaimed)} ETH</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
