import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useMemo } from 'react';
import { AccuracyChart } from '../components/AccuracyChart.js';
import { AddressLink, CidLink, Empty, Hash, Stats, StatusBadge } from '../components/ui.js';
import { querySubgraph } from '../graphql/client.server.js';
import { TaskQuery } from '../graphql/queries.js';
import { ipfsGateway, readEvalMetric } from '../lib/ipfs-json.server.js';
import { formatScore, scoreName, scoreValue } from '../lib/score.js';
import { formatEth, formatTime, shortHex } from '../lib/format.js';
import { badRequest, fromSubgraph, notFound } from '../lib/load.server.js';

export const meta: MetaFunction = ({ params }) => [
  { title: `Task ${params.id} · Unstoppable Models` },
];

export async function loader({ params, request }: LoaderFunctionArgs) {
  if (!/^[0-9a-zA-Zx-]+$/.test(params.id ?? ''))
    badRequest(`"${params.id}" is not a task id.`, 'That task id is not valid');
  const data = await fromSubgraph(() =>
    querySubgraph(TaskQuery, { id: params.id! }, { signal: request.signal }),
  );
  if (!data.task) notFound(`Task ${params.id}`);
  // Accuracy or R²: the score's meaning comes from the evaluation spec (unknown if unreadable).
  const metric = await readEvalMetric(data.task.evalSpecURI);
  return json({ ...data, metric, gateway: ipfsGateway() });
}

export default function TaskPage() {
  const { task, metric, gateway } = useLoaderData<typeof loader>();
  const name = scoreName(metric);
  const t = task!;
  const leaderboard = useMemo(
    () =>
      [...t.candidates]
        .filter((c) => c.scoreRaw !== null)
        .sort((a, b) =>
          BigInt(b.scoreRaw!) > BigInt(a.scoreRaw!)
            ? 1
            : BigInt(b.scoreRaw!) < BigInt(a.scoreRaw!)
              ? -1
              : 0,
        ),
    [t.candidates],
  );
  // Every attested score over time, and the best-so-far line from BestModelChange events.
  const history = useMemo(() => {
    const changes = t.bestModelChanges.map((b) => ({
      t: Number(b.timestamp),
      best: scoreValue(b.newScoreRaw, metric),
    }));
    let best = scoreValue(t.baselineScoreRaw, metric);
    return t.candidates
      .filter((c) => c.attestation)
      .map((c) => {
        const at = Number(c.attestation!.timestamp);
        for (const ch of changes) if (ch.t <= at) best = Math.max(best, ch.best);
        return { t: at, score: scoreValue(c.attestation!.scoreRaw, metric), best };
      });
  }, [t, metric]);
  return (
    <>
      <p>
        <Link to="/tasks">← Market</Link>
      </p>
      <h1>
        Task {t.taskId} <StatusBadge status={t.status} />
      </h1>
      <Stats
        items={[
          [
            `Best ${name.toLowerCase() === 'r²' ? 'R²' : name.toLowerCase()}`,
            formatScore(BigInt(t.bestScoreRaw), metric),
          ],
          ['Baseline', formatScore(BigInt(t.baselineScoreRaw), metric)],
          ['Min improvement', formatScore(BigInt(t.minImprovementRaw), metric)],
          ['Reward / improvement', `${formatEth(t.rewardPerImprovement)} ETH`],
          ['Funds', `${formatEth(t.balance)} ETH`],
          ['Candidates', t.candidateCount],
        ]}
      />
      <p>
        Owner <AddressLink address={t.owner} /> · architecture{' '}
        <CidLink uri={t.archURI} gateway={gateway} /> · evaluation{' '}
        <CidLink uri={t.evalSpecURI} gateway={gateway} />
      </p>
      <h2>{name} history</h2>
      <AccuracyChart points={history} metric={metric} />
      <h2>Leaderboard</h2>
      {leaderboard.length === 0 ? (
        <Empty>No candidate has an attested score yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table id="leaderboard">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Candidate</th>
                <th scope="col">Optimizer</th>
                <th scope="col">{name}</th>
                <th scope="col">Status</th>
                <th scope="col">Signers (stake share)</th>
                <th scope="col">Seed</th>
              </tr>
            </thead>
            <tbody>
              {leaderboard.map((c, i) => (
                <tr key={c.id}>
                  <td>{i + 1}</td>
                  <td className="mono">{c.id}</td>
                  <td>
                    <AddressLink address={c.optimizer.id} />
                  </td>
                  <td>{formatScore(BigInt(c.scoreRaw!), metric)}</td>
                  <td>
                    <StatusBadge status={c.status} />
                  </td>
                  <td>
                    {c.attestation ? (
                      <details>
                        <summary>
                          {c.attestation.signers.length} signers,{' '}
                          {(
                            Number(
                              (BigInt(c.attestation.stakeSigned) * 10_000n) /
                                (BigInt(c.attestation.totalStake) || 1n),
                            ) / 100
                          ).toFixed(2)}
                          % of stake
                        </summary>
                        <ul>
                          {c.attestation.signers.map((s) => (
                            <li key={s} className="mono">
                              {shortHex(s)}
                            </li>
                          ))}
                        </ul>
                      </details>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    <Hash value={c.attestation?.seed} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>All submissions</h2>
      {t.candidates.length === 0 ? (
        <Empty>No submissions yet.</Empty>
      ) : (
        <ul className="feed">
          {t.candidates.map((c) => (
            <li key={c.id}>
              {c.id} by <AddressLink address={c.optimizer.id} /> · <StatusBadge status={c.status} />{' '}
              · seed block {c.seedBlock} · {formatTime(c.submittedAtTimestamp)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
