/**
 * /runs: every training run, and a comparison of the ones ticked (W&B's run table + overlay).
 * The choice lives in the URL (?compare=0x…&compare=0x…&x=step|relative|time&smoothing=), so a
 * comparison is a link; each compared run costs one bounded curve read (see curve-view.server.ts).
 */
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { CompareChart, type CompareMode } from '../components/CompareChart.js';
import { Empty, StatusBadge } from '../components/ui.js';
import { querySubgraph } from '../graphql/client.server.js';
import { loadCurveView } from '../graphql/curve-view.server.js';
import { RunsQuery } from '../graphql/queries.js';
import { formatLoss } from '../lib/fixed-point.js';
import { formatTime } from '../lib/format.js';
import { badRequest, fromSubgraph } from '../lib/load.server.js';

export const meta: MetaFunction = () => [{ title: 'Runs · Unstoppable Models' }];

export const MAX_COMPARED = 6;
const MODES: CompareMode[] = ['step', 'relative', 'time'];

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const compare = [...new Set(params.getAll('compare').map((a) => a.toLowerCase()))];
  for (const a of compare)
    if (!/^0x[0-9a-f]{40}$/.test(a))
      badRequest(
        `compare must be run addresses; "${a}" is not one.`,
        'That run address is not valid',
      );
  if (compare.length > MAX_COMPARED)
    badRequest(`compare at most ${MAX_COMPARED} runs at a time (got ${compare.length}).`);
  const mode = (params.get('x') ?? 'step') as CompareMode;
  if (!MODES.includes(mode)) badRequest(`x must be one of ${MODES.join(', ')}.`);
  const smoothing = Number(params.get('smoothing') ?? '0.6');
  if (!(smoothing >= 0 && smoothing < 1)) badRequest('smoothing must be in [0, 1).');
  const data = await fromSubgraph(() =>
    querySubgraph(RunsQuery, { first: 200 }, { signal: request.signal }),
  );
  const picked = data.runs.filter((r) => compare.includes(r.id));
  const compared = await fromSubgraph(() =>
    Promise.all(
      picked.map(async (r) => ({
        id: r.id,
        runId: r.runId,
        view: await loadCurveView(r, null, { signal: request.signal }),
      })),
    ),
  );
  return json({ runs: data.runs, compare, compared, mode, smoothing, _meta: data._meta });
}

export default function RunsPage() {
  const { runs, compare, compared, mode, smoothing } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Runs</h1>
      {runs.length === 0 ? (
        <Empty>No training runs yet: a run appears here when the RunFactory creates it.</Empty>
      ) : (
        <Form method="get" id="compare-form">
          <div className="table-wrap">
            <table id="runs-table">
              <thead>
                <tr>
                  <th scope="col">Compare</th>
                  <th scope="col">Run</th>
                  <th scope="col">Status</th>
                  <th scope="col">Valid steps</th>
                  <th scope="col">Latest loss</th>
                  <th scope="col">Lowest loss</th>
                  <th scope="col">Rounds final</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.id} data-run={r.runId}>
                    <td>
                      <input
                        type="checkbox"
                        name="compare"
                        value={r.id}
                        defaultChecked={compare.includes(r.id)}
                        aria-label={`Compare run ${r.runId}`}
                      />
                    </td>
                    <td>
                      <Link to={`/runs/${r.id}`}>Run {r.runId}</Link>
                    </td>
                    <td>
                      <StatusBadge status={r.status} />
                    </td>
                    <td>{Number(r.stats.validStepCount).toLocaleString('en')}</td>
                    <td>
                      {r.stats.lastLossRaw === null ? '—' : formatLoss(BigInt(r.stats.lastLossRaw))}
                    </td>
                    <td>
                      {r.stats.minLossRaw === null ? '—' : formatLoss(BigInt(r.stats.minLossRaw))}
                    </td>
                    <td>
                      {r.stats.roundsFinalized} / {r.stats.roundNumbers}
                    </td>
                    <td>{formatTime(r.createdAtTimestamp)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="chart-controls" style={{ marginTop: '0.75rem' }}>
            <label>
              X axis{' '}
              <select name="x" defaultValue={mode}>
                <option value="step">step</option>
                <option value="relative">relative step (% of the run)</option>
                <option value="time">wall time (UTC)</option>
              </select>
            </label>
            <label>
              Smoothing (EMA){' '}
              <input
                type="number"
                name="smoothing"
                min={0}
                max={0.99}
                step={0.01}
                defaultValue={smoothing}
                className="step-input"
              />
            </label>
            <button type="submit">Compare</button>
            <span className="muted">Up to {MAX_COMPARED} runs.</span>
          </div>
        </Form>
      )}
      <h2>Comparison</h2>
      <CompareChart runs={compared} mode={mode} smoothing={smoothing} />
    </>
  );
}
