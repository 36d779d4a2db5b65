import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { AddressLink, Empty, StatusBadge } from '../components/ui.js';
import { querySubgraph } from '../graphql/client.server.js';
import { TasksQuery } from '../graphql/queries.js';
import { readEvalMetric } from '../lib/ipfs-json.server.js';
import { formatScore } from '../lib/score.js';
import { formatEth } from '../lib/format.js';
import { fromSubgraph } from '../lib/load.server.js';

export const meta: MetaFunction = () => [{ title: 'Model market · Unstoppable Models' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const data = await fromSubgraph(() => querySubgraph(TasksQuery, {}, { signal: request.signal }));
  // Each task's metric (accuracy or R²) from its evaluation spec; cached per CID.
  const metrics = await Promise.all(data.tasks.map((t) => readEvalMetric(t.evalSpecURI)));
  return json({ ...data, tasks: data.tasks.map((t, i) => ({ ...t, metric: metrics[i]! })) });
}

export default function Tasks() {
  const { tasks } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Model-improvement market</h1>
      {tasks.length === 0 ? (
        <Empty>No tasks posted yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Status</th>
                <th scope="col">Owner</th>
                <th scope="col">Baseline</th>
                <th scope="col">Best</th>
                <th scope="col">Candidates</th>
                <th scope="col">Reward / improvement</th>
                <th scope="col">Funds</th>
              </tr>
            </thead>
            <tbody>
              {tasks.map((t) => (
                <tr key={t.id}>
                  <td>
                    <Link to={`/tasks/${t.id}`}>Task {t.taskId}</Link>
                  </td>
                  <td>
                    <StatusBadge status={t.status} />
                  </td>
                  <td>
                    <AddressLink address={t.owner} />
                  </td>
                  <td>{formatScore(BigInt(t.baselineScoreRaw), t.metric)}</td>
                  <td>{formatScore(BigInt(t.bestScoreRaw), t.metric)}</td>
                  <td>{t.candidateCount}</td>
                  <td>{formatEth(t.rewardPerImprovement)} ETH</td>
                  <td>{formatEth(t.balance)} ETH</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
