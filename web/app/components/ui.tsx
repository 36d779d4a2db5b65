/** Small presentational pieces shared by the pages. */
import { Link } from '@remix-run/react';
import { useEffect, useState, type ReactNode } from 'react';
import { CHALLENGE_WINDOW_TEXT, challengeWindowState, formatCountdown } from '../lib/countdown.js';
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

/** A round's challenge window: a live countdown while open, otherwise why there is none. */
export function ChallengeWindow({
  status,
  deadline,
  chainNow,
}: {
  status: string;
  deadline: string | number | null;
  chainNow: number | null;
}) {
  const state = challengeWindowState(status);
  if (state === 'open') return <Countdown deadline={deadline} chainNow={chainNow} />;
  return (
    <span className="muted" data-window={state}>
      {CHALLENGE_WINDOW_TEXT[state]}
    </span>
  );
}

/** An IPFS CID as a link to the gateway (opens the document), the full URI in the title. */
export function CidLink({ uri, gateway }: { uri: string | null | undefined; gateway: string }) {
  if (!uri) return <>—</>;
  const cid = uri.replace(/^ipfs:\/\//, '').replace(/^\/?ipfs\//, '');
  if (!/^[A-Za-z0-9]+(\/[\w.-]+)*$/.test(cid)) return <span className="mono">{uri}</span>;
  const short = cid.length > 20 ? `${cid.slice(0, 10)}…${cid.slice(-6)}` : cid;
  return (
    <a
      href={`${gateway}/ipfs/${cid}`}
      className="mono cid-link"
      title={uri}
      rel="noreferrer"
      target="_blank"
    >
      {short}
    </a>
  );
}
