import type { LoaderFunctionArgs } from '@remix-run/node';
import { curveToCsv } from '../lib/curve-export.js';
import { loadCurveForExport } from '../lib/curve-export.server.js';

/** GET /runs/:id/curve.csv — every step (valid and invalidated) with exact fixed-point losses. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const { id, rows, stepsPerRound } = await loadCurveForExport(params.id, request.signal);
  return new Response(curveToCsv(rows, stepsPerRound), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="run-${id}-loss.csv"`,
    },
  });
}
