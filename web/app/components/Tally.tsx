/** The live tally: weight per side, quorum progress and what a tie or a missing quorum means. */
import { formatTokens } from '../lib/format.js';

export function Tally({
  fraud,
  valid,
  abstain,
  quorum,
}: {
  fraud: string;
  valid: string;
  abstain: string;
  quorum: string;
}) {
  const f = BigInt(fraud);
  const v = BigInt(valid);
  const a = BigInt(abstain);
  const total = f + v + a;
  const q = BigInt(quorum);
  const pct = (x: bigint, of: bigint) => (of === 0n ? 0 : Number((x * 10_000n) / of) / 100);
  const quorumPct = Math.min(100, pct(total, q));
  const rows: Array<[string, bigint, string]> = [
    ['Fraud', f, 'var(--bad)'],
    ['Valid', v, 'var(--good)'],
    ['Abstain', a, 'var(--fg-muted)'],
  ];
  return (
    <div>
      <div className="tally" role="table" aria-label="Votes by side">
        {rows.map(([label, w, color]) => (
          <div key={label} role="row" style={{ display: 'contents' }}>
            <span role="rowheader">{label}</span>
            <div className="bar" role="cell" aria-label={`${pct(w, total)}% of the votes cast`}>
              <div style={{ width: `${pct(w, total)}%`, background: color }} />
            </div>
            <span role="cell" className="mono" data-side={label.toLowerCase()}>
              {formatTokens(w)}
            </span>
          </div>
        ))}
      </div>
      <p style={{ marginBottom: '0.25rem' }}>
        Quorum: {formatTokens(total)} of {formatTokens(q)} votes ({quorumPct.toFixed(1)}%)
      </p>
      <div
        className="quorum"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={quorumPct}
        aria-label="Quorum progress"
      >
        <div style={{ width: `${quorumPct}%` }} />
      </div>
      <p className="muted" style={{ fontSize: '0.85rem' }}>
        Fraud wins only with quorum and more Fraud than Valid votes. A tie or no quorum keeps the
        worker&apos;s claim.
      </p>
    </div>
  );
}
