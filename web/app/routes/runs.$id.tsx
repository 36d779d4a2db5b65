import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useMemo } from 'react';
import { LossChart } from '../components/LossChart.js';
import { RoundsTable } from '../components/RoundsTable.js';
import { AddressLink, Hash, Stats, StatusBadge } from '../components/ui.js';
import { querySubgraph } from '../graphql/client.server.js';
import { fetchLossCurve } from '../graphql/curve.server.js';
import { RunQuery } from '../graphql/queries.js';
import {
  buildRoundsVariables,
  parseRoundsTableState,
  RoundsQueryParamError,
} from '../graphql/rounds-variables.js';
import { formatLoss } from '../lib/fixed-point.js';
import { formatEth, formatTime } from '../lib/format.js';
import { badRequest, fromSubgraph, notFound } from '../lib/load.server.js';
import { fromWireCurve, toWireCurve } from '../lib/loss-curve.js';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Run ${data.run.runId} · Unstoppable Models` : 'Run · Unstoppable Models' },
];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const id = (params.id ?? '').toLowerCase();
  if (!/^0x[0-9a-f]{40}$/.test(id))
    badRequest(`"${params.id}" is not a run address (0x followed by 40 hex digits).`);
  let state;
  try {
    state = parseRoundsTableState(new URL(request.url).searchParams);
  } catch (err) {
    if (err instanceof RoundsQueryParamError) badRequest(err.message);
    throw err;
  }
  const data = await fromSubgraph(() =>
    querySubgraph(
      RunQuery,
      { id, ref: id, ...buildRoundsVariables(id, state) },
      { signal: request.signal },
    ),
  );
  if (!data.run) notFound(`Run ${id}`);
  const maxStep = BigInt(data.run.stats.roundNumbers) * BigInt(data.run.stepsPerRound);
  const rows = await fromSubgraph(() => fetchLossCurve(id, maxStep, { signal: request.signal }));
  const curve = toWireCurve(rows);
  const hasNext = data.rounds.length > state.size;
  return json({
    run: data.run,
    rounds: data.rounds.slice(0, state.size),
    hasNext,
    state,
    checkpoints: data.checkpoints,
    curve,
    _meta: data._meta,
  });
}

export default function RunPage() {
  const { run, rounds, hasNext, state, checkpoints, curve, _meta } = useLoaderData<typeof loader>();
  const marks = useMemo(
    () =>
      // The subgraph has no evaluation scores for training checkpoints yet: the overlay stays off.
      checkpoints.map((c) => ({ step: Number(c.step), accuracy: null })),
    [checkpoints],
  );
  const lossCurve = useMemo(() => fromWireCurve(curve), [curve]);
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
      <LossChart curve={lossCurve} checkpoints={marks} exportBase={runPath} />
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
          <dd className="mono">{run.specURI}</dd>
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
    </>
  );
}
