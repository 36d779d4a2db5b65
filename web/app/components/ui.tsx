/** Small presentational pieces shared by the pages. */
import { Link } from '@remix-run/react';
import { useEffect, useState, type ReactNode } from 'react';
import { formatCountdown } from '../lib/countdown.js';
import { shortHex } from '../lib/format.js';

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className="badge" data-status={status}>
      {status}
    </span>
  );
}

export function AddressLink({ address }: { address: string }) {
  return (
    <Link to={`/workers/${address}`} className="mono" title={address}>
      {shortHex(address)}
    </Link>
  );
}

export function Hash({ value }: { value: string | null | undefined }) {
  return (
    <span className="mono" title={value ?? undefined}>
      {shortHex(value, 10, 6)}
    </span>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function Stats({ items }: { items: Array<[string, ReactNode]> }) {
  return (
    <dl className="stats">
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * A countdown to a chain timestamp. The server renders it against the indexed block's time; in the
 * browser it ticks every second against the local clock, offset by the chain's clock at load.
 */
export function Countdown({
  deadline,
  chainNow,
}: {
  deadline: string | number | null;
  chainNow: number | null;
}) {
  const [now, setNow] = useState(chainNow ?? 0);
  useEffect(() => {
    if (chainNow === null) return;
    const offset = chainNow - Math.floor(Date.now() / 1000);
    const tick = () => setNow(Math.floor(Date.now() / 1000) + offset);
    const id = setInterval(tick, 1000);
    return () => clearInterval(id);
  }, [chainNow]);
  if (deadline === null || chainNow === null) return <span className="muted">—</span>;
  const c = formatCountdown(Number(deadline), now);
  return (
    <time
      dateTime={new Date(Number(deadline) * 1000).toISOString()}
      className={c.ended ? 'muted' : undefined}
    >
      {c.text}
    </time>
  );
}
