import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { AddressLink, ChallengeWindow, Empty, Hash, Stats, StatusBadge } from '../components/ui.js';
import { querySubgraph } from '../graphql/client.server.js';
import { RoundQuery } from '../graphql/queries.js';
import { formatLoss } from '../lib/fixed-point.js';
import { formatEth, formatTime } from '../lib/format.js';
import { badRequest, fromSubgraph, notFound } from '../lib/load.server.js';

export const meta: MetaFunction = ({ params }) => [
  { title: `Round ${params.r} · Unstoppable Models` },
];

/** IPFS gateway for checkpoint downloads (the engine's embedded gateway locally). */
const gateway = () => process.env.UM_IPFS_GATEWAY || 'http://127.0.0.1:8080';

export async function loader({ params, request }: LoaderFunctionArgs) {
  const run = (params.id ?? '').toLowerCase();
  if (!/^0x[0-9a-f]{40}$/.test(run))
    badRequest(`"${params.id}" is not a run address.`, 'That run address is not valid');
  if (!/^\d+$/.test(params.r ?? ''))
    badRequest(`"${params.r}" is not a round number.`, 'That round number is not valid');
  const data = await fromSubgraph(() =>
    querySubgraph(RoundQuery, { id: `${run}-${params.r}` }, { signal: request.signal }),
  );
  if (!data.roundSlot || data.roundSlot.rounds.length === 0)
    notFound(`Round ${params.r} of run ${run}`);
  return json({ ...data, gateway: gateway() });
}

function gatewayUrl(gw: string, uri: string): string {
  return uri.startsWith('ipfs://') ? `${gw}/ipfs/${uri.slice(7)}` : uri;
}

export default function RoundPage() {
  const { roundSlot, _meta, gateway: gw } = useLoaderData<typeof loader>();
  const attempts = roundSlot!.rounds;
  const r = attempts[0]!;
  const dispute =
    r.challenges[0]?.dispute ??
    (r.invalidatedBy ? { id: r.invalidatedBy.id, status: 'Resolved' } : null);
  const checkpointUrl = r.stateURI
    ? `${gatewayUrl(gw, r.stateURI).replace(/\/$/, '')}/model.json`
    : null;
  return (
    <>
      <p>
        <Link to={`/runs/${r.run.id}`}>← Run {r.run.runId}</Link>
      </p>
      <h1>
        Round {r.number} <StatusBadge status={r.status} />
      </h1>
      <Stats
        items={[
          ['Worker', <AddressLink key="w" address={r.worker.id} />],
          ['Steps', r.firstStep === null ? '—' : `${r.firstStep}–${r.lastStep ?? '?'}`],
          ['Claimed', formatTime(r.claimedAtTimestamp)],
          ['Submitted', formatTime(r.submittedAtTimestamp)],
          [
            'Challenge window',
            <ChallengeWindow
              key="c"
              status={r.status}
              deadline={r.challengeDeadline}
              chainNow={_meta?.block.timestamp ?? null}
            />,
          ],
          ['Reward', r.reward ? `${formatEth(r.reward)} ETH` : '—'],
        ]}
      />
      <h2>Proof data</h2>
      <dl className="grid-2">
        <div>
          <dt className="muted">Base state hash (end of previous round)</dt>
          <dd>
            <Hash value={r.baseStateHash} />
          </dd>
          <dt className="muted">Final state hash</dt>
          <dd>
            <Hash value={r.finalStateHash} />
          </dd>
        </div>
        <div>
          <dt className="muted">Lease (claim id)</dt>
          <dd>{r.claimId}</dd>
          <dt className="muted">Submission transaction</dt>
          <dd>
            <Hash value={r.submittedAtTransaction} />
          </dd>
        </div>
      </dl>
      <h2 id="checkpoint">Checkpoint</h2>
      {checkpointUrl ? (
        <p>
          <a href={checkpointUrl} download>
            Download model.json (TF.js)
          </a>{' '}
          <span className="mono muted">{r.stateURI}</span>
        </p>
      ) : (
        <Empty>No checkpoint yet: the round has not been submitted.</Empty>
      )}
      {dispute ? (
        <>
          <h2>Dispute</h2>
          <p>
            <Link to={`/disputes/${dispute.id}`}>
              Dispute #{dispute.id}
              {r.challenges[0] ? ` over step ${r.challenges[0].step}` : ''}
            </Link>{' '}
            <StatusBadge status={dispute.status} />
          </p>
        </>
      ) : null}
      {attempts.length > 1 ? (
        <>
          <h2>Earlier attempts at this round</h2>
          <div className="table-wrap">
            <table id="attempts">
              <thead>
                <tr>
                  <th scope="col">Attempt</th>
                  <th scope="col">Worker</th>
                  <th scope="col">Status</th>
                  <th scope="col">Final state hash</th>
                  <th scope="col">Invalidated by</th>
                </tr>
              </thead>
              <tbody>
                {attempts.slice(1).map((a) => (
                  <tr key={a.id}>
                    <td>{a.attempt + 1}</td>
                    <td>
                      <AddressLink address={a.worker.id} />
                    </td>
                    <td>
                      <StatusBadge status={a.status} />
                    </td>
                    <td>
                      <Hash value={a.finalStateHash} />
                    </td>
                    <td>
                      {a.invalidatedBy ? (
                        <Link to={`/disputes/${a.invalidatedBy.id}`}>#{a.invalidatedBy.id}</Link>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      <h2>Steps and leaves</h2>
      {r.steps.length === 0 ? (
        <Empty>No steps submitted.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col">Loss</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {r.steps.map((s) => (
                <tr key={s.step}>
                  <td>{s.step}</td>
                  <td>{formatLoss(BigInt(s.lossRaw), 6)}</td>
                  <td>
                    <StatusBadge status={s.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
