import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { LossChart } from '../components/LossChart.js';
import { RoundsTable } from '../components/RoundsTable.js';
import { AddressLink, CidLink, Hash, Stats, StatusBadge } from '../components/ui.js';
import { querySubgraph } from '../graphql/client.server.js';
import { loadCurveView } from '../graphql/curve-view.server.js';
import { RunQuery } from '../graphql/queries.js';
import {
  buildRoundsVariables,
  parseRoundsTableState,
  RoundsQueryParamError,
} from '../graphql/rounds-variables.js';
import { ipfsGateway, readIpfsJson } from '../lib/ipfs-json.server.js';
import { formatLoss } from '../lib/fixed-point.js';
import { flattenConfig } from '../lib/score.js';
import { formatEth, formatTime } from '../lib/format.js';
import { badRequest, fromSubgraph, notFound } from '../lib/load.server.js';
import { CurveRangeError, parseCurveRange } from '../lib/curve-view.js';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Run ${data.run.runId} · Unstoppable Models` : 'Run · Unstoppable Models' },
];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const id = (params.id ?? '').toLowerCase();
  if (!/^0x[0-9a-f]{40}$/.test(id))
    badRequest(
      `"${params.id}" is not a run address (0x followed by 40 hex digits).`,
      'That run address is not valid',
    );
  const search = new URL(request.url).searchParams;
  let state;
  let range;
  try {
    state = parseRoundsTableState(search);
    range = parseCurveRange(search);
  } catch (err) {
    if (err instanceof RoundsQueryParamError || err instanceof CurveRangeError)
      badRequest(err.message);
    throw err;
  }
  const data = await fromSubgraph(() =>
    querySubgraph(RunQuery, { id, ...buildRoundsVariables(id, state) }, { signal: request.signal }),
  );
  if (!data.run) notFound(`Run ${id}`);
  const run = data.run;
  // A bounded read whatever the run length: round summaries for wide ranges, steps for narrow ones.
  // The run spec (model, optimizer, data, seed…) for the config panel, read from IPFS meanwhile.
  const [curve, spec] = await Promise.all([
    fromSubgraph(() => loadCurveView(run, range, { signal: request.signal })),
    readIpfsJson(run.specURI),
  ]);
  const hasNext = data.rounds.length > state.size;
  return json({
    run,
    rounds: data.rounds.slice(0, state.size),
    hasNext,
    state,
    curve,
    config: spec === null ? null : flattenConfig(spec),
    gateway: ipfsGateway(),
    _meta: data._meta,
  });
}

export default function RunPage() {
  const { run, rounds, hasNext, state, curve, config, gateway, _meta } =
    useLoaderData<typeof loader>();
  const runPath = `/runs/${run.id}`;
  return (
    <>
      <h1>
        Run {run.runId} <StatusBadge status={run.status} />
      </h1>
      <Stats
        items={[
          [
            'Latest loss',
            run.stats.lastLossRaw === null ? '—' : formatLoss(BigInt(run.stats.lastLossRaw)),
          ],
          [
            'Lowest loss',
            run.stats.minLossRaw === null ? '—' : formatLoss(BigInt(run.stats.minLossRaw)),
          ],
          ['Valid steps', run.stats.validStepCount],
          [
            'Rounds',
            `${run.stats.roundsFinalized} final / ${run.stats.roundNumbers}${run.maxRounds !== '0' ? ` of ${run.maxRounds}` : ''}`,
          ],
          ['Reward / round', `${formatEth(run.rewardPerRound)} ETH`],
          ['Pool', `${formatEth(run.poolBalance)} ETH`],
        ]}
      />
      <LossChart view={curve} exportBase={runPath} />
      <RoundsTable
        rows={rounds}
        hasNext={hasNext}
        state={state}
        runPath={runPath}
        chainNow={_meta?.block.timestamp ?? null}
      />
      <h2>Run configuration</h2>
      <dl className="grid-2">
        <div>
          <dt className="muted">Contract</dt>
          <dd className="mono">{run.id}</dd>
          <dt className="muted">Creator</dt>
          <dd>
            <AddressLink address={run.creator} />
          </dd>
          <dt className="muted">Created</dt>
          <dd>{formatTime(run.createdAtTimestamp)}</dd>
        </div>
        <div>
          <dt className="muted">Spec</dt>
          <dd className="mono">
            <CidLink uri={run.specURI} gateway={gateway} />
          </dd>
          <dt className="muted">Spec hash</dt>
          <dd>
            <Hash value={run.specHash} />
          </dd>
          <dt className="muted">Steps per round · challenge window</dt>
          <dd>
            {run.stepsPerRound} · {Number(run.challengeWindow) / 60} min
          </dd>
        </div>
      </dl>
      <h3 id="config-title">Config (run spec)</h3>
      {config === null ? (
        <p className="muted">
          The run spec could not be read from the IPFS gateway ({gateway}); its hash is above.
        </p>
      ) : (
        <div className="table-wrap">
          <table id="config-table" aria-labelledby="config-title">
            <tbody>
              {config.map(([k, v]) => (
                <tr key={k}>
                  <th scope="row" className="mono">
                    {k}
                  </th>
                  <td className="mono">{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
