/**
 * Market scores are the evaluation spec's metric × 1e6: classification accuracy (0..1, shown as a
 * percentage) or regression R² (at most 1, negative when the model is worse than predicting the
 * mean, shown as a plain number). An R² of −1.3213 is not "−132.13 % accuracy".
 */
import { formatFixed, SCORE_SCALE } from './fixed-point.js';

export type ScoreMetric = 'accuracy' | 'r2' | null;

/** The metric named by an evaluation spec document ({ metric } or { evaluation: { metric } }). */
export function parseEvalMetric(doc: unknown): ScoreMetric {
  if (!doc || typeof doc !== 'object') return null;
  const d = doc as { metric?: unknown; evaluation?: { metric?: unknown } };
  const m = d.metric ?? d.evaluation?.metric;
  return m === 'accuracy' || m === 'r2' ? m : null;
}

export function scoreName(metric: ScoreMetric): string {
  return metric === 'accuracy' ? 'Accuracy' : metric === 'r2' ? 'R²' : 'Score';
}

/** For display: "91.20%" for accuracy, "−1.3213" for R² or an unknown metric. */
export function formatScore(raw: bigint, metric: ScoreMetric): string {
  if (metric === 'accuracy') return `${formatFixed(raw * 100n, SCORE_SCALE, 2)}%`;
  return formatFixed(raw, SCORE_SCALE, 4).replace(/^-/, '−');
}

/** For charts: percent for accuracy, the plain value otherwise. */
export function scoreValue(raw: string | bigint, metric: ScoreMetric): number {
  const v = Number(raw) / Number(SCORE_SCALE);
  return metric === 'accuracy' ? v * 100 : v;
}

/**
 * A JSON document as "path = value" rows for a config panel (W&B's run config): nested objects
 * joined with dots, arrays of scalars printed inline, at most `limit` rows.
 */
export function flattenConfig(doc: unknown, limit = 80): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (v: unknown, path: string) => {
    if (out.length >= limit) return;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
    } else if (Array.isArray(v) && v.some((x) => x !== null && typeof x === 'object')) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`));
    } else {
      const s = JSON.stringify(v);
      out.push([path, s.length > 120 ? `${s.slice(0, 117)}…` : s]);
    }
  };
  walk(doc, '');
  return out;
}
