import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { AddressLink, Empty, StatusBadge } from '../components/ui.js';
import { querySubgraph } from '../graphql/client.server.js';
import { OperatorsQuery } from '../graphql/queries.js';
import { formatEth, formatTime, formatTokens } from '../lib/format.js';
import { fromSubgraph } from '../lib/load.server.js';

export const meta: MetaFunction = () => [{ title: 'Operators · Unstoppable Models' }];

export async function loader({ request }: LoaderFunctionArgs) {
  return json(
    await fromSubgraph(() => querySubgraph(OperatorsQuery, {}, { signal: request.signal })),
  );
}

export default function Operators() {
  const { operators, _meta } = useLoaderData<typeof loader>();
  const total = operators
    .filter((o) => o.status === 'Active')
    .reduce((s, o) => s + BigInt(o.stake), 0n);
  const now = _meta?.block.timestamp ?? null;
  return (
    <>
      <h1>Operators</h1>
      <p className="muted">
        Staked operators attest market scores; a quorum needs more than two thirds of the stake.
      </p>
      {operators.length === 0 ? (
        <Empty>No operators registered.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Operator</th>
                <th scope="col">Status</th>
                <th scope="col">Stake</th>
                <th scope="col">Share</th>
                <th scope="col">Attestations</th>
                <th scope="col">Last attestation</th>
                <th scope="col">Fees</th>
                <th scope="col">Slashed</th>
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
                  <tr key={o.id}>
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
    </>
  );
}
