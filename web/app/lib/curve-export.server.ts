import { querySubgraph } from '../graphql/client.server.js';
import { fetchLossCurve } from '../graphql/curve.server.js';
import { RunCurveHeadQuery } from '../graphql/queries.js';
import { badRequest, fromSubgraph, notFound } from './load.server.js';

export async function loadCurveForExport(rawId: string | undefined, signal: AbortSignal) {
  const id = (rawId ?? '').toLowerCase();
  if (!/^0x[0-9a-f]{40}$/.test(id))
    badRequest(`"${rawId}" is not a run address.`, 'That run address is not valid');
  const head = await fromSubgraph(() => querySubgraph(RunCurveHeadQuery, { id }, { signal }));
  if (!head.run) notFound(`Run ${id}`);
  const stepsPerRound = BigInt(head.run.stepsPerRound);
  // Pin the read to the block the head query saw would need block-pinned step queries; the curve
  // is append-only apart from status changes, so the block is reported as a lower bound.
  const rows = await fromSubgraph(() =>
    fetchLossCurve(id, BigInt(head.run!.stats.roundNumbers) * stepsPerRound, { signal }),
  );
  return { id, rows, stepsPerRound, block: head._meta?.block.number ?? null };
}
