import type { LoaderFunctionArgs } from '@remix-run/node';
import { curveToJson } from '../lib/curve-export.js';
import { loadCurveForExport } from '../lib/curve-export.server.js';

/** GET /runs/:id/curve.json — the curve with the block it was read at and the fixed-point scale. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const { id, rows, stepsPerRound, block } = await loadCurveForExport(params.id, request.signal);
  return new Response(JSON.stringify(curveToJson(id, block, rows, stepsPerRound)), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="run-${id}-loss.json"`,
    },
  });
}
