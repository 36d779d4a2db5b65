import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { AddressLink, Countdown, Empty, Stats, StatusBadge } from '../components/ui.js';
import { querySubgraph } from '../graphql/client.server.js';
import { OverviewQuery } from '../graphql/queries.js';
import { formatLoss } from '../lib/fixed-point.js';
import { formatTime } from '../lib/format.js';
import { fromSubgraph } from '../lib/load.server.js';

export const meta: MetaFunction = () => [
  { title: 'Unstoppable Models' },
  { name: 'description', content: 'Public models, trained in the open, verified by anyone.' },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const data = await fromSubgraph(() =>
    querySubgraph(OverviewQuery, {}, { signal: request.signal }),
  );
  // One activity feed, newest first, from the latest rounds, disputes and market submissions.
  const feed = [
    ...data.recentRounds.map((r) => ({
      key: `r-${r.id}`,
      at: Number(r.submittedAtTimestamp ?? r.claimedAtTimestamp),
      kind: 'round' as const,
      text: `Round ${r.number} of run ${r.run.runId} ${r.status.toLowerCase()}`,
      href: `/runs/${r.run.id}/rounds/${r.number}`,
      who: r.worker.id,
    })),
    ...data.recentDisputes.map((d) => ({
      key: `d-${d.id}`,
      at: Number(d.openedAtTimestamp),
      kind: 'dispute' as const,
      text: `Dispute #${d.id} on round ${d.roundNumber} of run ${d.run.runId}`,
      href: `/disputes/${d.id}`,
      who: d.challenger,
    })),
    ...data.recentCandidates.map((c) => ({
      key: `c-${c.id}`,
      at: Number(c.submittedAtTimestamp),
      kind: 'candidate' as const,
      text: `Candidate ${c.id} for task ${c.task.taskId} (${c.status.toLowerCase()})`,
      href: `/tasks/${c.task.id}`,
      who: c.optimizer.id,
    })),
  ]
    .sort((a, b) => b.at - a.at)
    .slice(0, 12);
  return json({ ...data, feed });
}

export default function Overview() {
  const { protocol, runs, workers, openDisputes, feed, _meta } = useLoaderData<typeof loader>();
  const now = _meta?.block.timestamp ?? null;
  return (
    <>
      <h1>Public models, trained in the open</h1>
      {protocol ? (
        <Stats
          items={[
            ['Runs', protocol.runCount],
            ['Valid steps', protocol.validStepCount],
            ['Rounds claimed', protocol.roundsClaimed],
            [
              'Open disputes',
              protocol.disputeCount - protocol.disputesUpheld - protocol.disputesRejected,
            ],
            ['Workers', protocol.workerCount],
            ['Market tasks', protocol.taskCount],
          ]}
        />
      ) : null}
      <h2>Runs</h2>
      {runs.length === 0 ? (
        <Empty>
          No training runs yet. Create one with the worker CLI; it appears here as soon as it is
          indexed.
        </Empty>
      ) : (
        <div className="table-wrap">
          <table id="runs-table">
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">Latest loss</th>
                <th scope="col">Progress</th>
                <th scope="col">Steps</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/runs/${r.id}`}>Run {r.runId}</Link>
                  </td>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td>
                    {r.stats.lastLossRaw === null ? '—' : formatLoss(BigInt(r.stats.lastLossRaw))}
                  </td>
                  <td>
                    {r.maxRounds === '0' ? (
                      `${r.stats.roundsFinalized} rounds final (open-ended)`
                    ) : (
                      <>
                        <progress
                          max={Number(r.maxRounds)}
                          value={r.stats.roundsFinalized}
                          aria-label={`Run ${r.runId} progress`}
                        />{' '}
                        {r.stats.roundsFinalized}/{r.maxRounds}
                      </>
                    )}
                  </td>
                  <td>{r.stats.validStepCount}</td>
                  <td>{formatTime(r.createdAtTimestamp)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="grid-2">
        <section aria-labelledby="disputes-title">
          <h2 id="disputes-title">Open disputes</h2>
          {openDisputes.length === 0 ? (
            <Empty>No open disputes.</Empty>
          ) : (
            <ul className="feed">
              {openDisputes.map((d) => (
                <li key={d.id}>
                  <Link to={`/disputes/${d.id}`}>
                    #{d.id}: step {d.challenge?.step ?? '?'} of run {d.run.runId}
                  </Link>{' '}
                  — <Countdown deadline={d.revealDeadline} chainNow={now} />
                </li>
              ))}
            </ul>
          )}
          <h2>Active workers</h2>
          {workers.length === 0 ? (
            <Empty>No workers yet.</Empty>
          ) : (
            <ul className="feed">
              {workers.map((w) => (
                <li key={w.id}>
                  <AddressLink address={w.id} /> — {w.roundsFinalized} rounds final, last active at
                  block {w.lastActiveBlock}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="feed-title">
          <h2 id="feed-title">Recent activity</h2>
          {feed.length === 0 ? (
            <Empty>Nothing has happened yet.</Empty>
          ) : (
            <ol className="feed">
              {feed.map((f) => (
                <li key={f.key}>
                  <Link to={f.href}>{f.text}</Link>{' '}
                  <span className="muted">· {formatTime(f.at)}</span>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </>
  );
}
