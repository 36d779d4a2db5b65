/**
 * "Data as of block N": polls the subgraph's _meta through urql every few seconds (paused while the
 * tab is hidden). When a new block is indexed, the route loaders revalidate so the page updates in
 * place, without a reload; the status line keeps a fixed width so nothing jumps.
 */
import { useMatches, useRevalidator } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { useQuery } from 'urql';
import { MetaQuery } from '../graphql/queries.js';
import type { Meta } from '../graphql/types.js';

export const POLL_MS = 3000;

function loaderMeta(matches: ReturnType<typeof useMatches>): Meta | null {
  for (let i = matches.length - 1; i >= 0; i--) {
    const data = matches[i]?.data as { _meta?: Meta | null } | undefined;
    if (data && data._meta) return data._meta;
  }
  return null;
}

export function LiveStatus() {
  const matches = useMatches();
  const fromLoader = loaderMeta(matches);
  const revalidator = useRevalidator();
  const [hydrated, setHydrated] = useState(false);
  const [result, reexecute] = useQuery<{ _meta: Meta | null }>({
    query: MetaQuery.source,
    pause: !hydrated,
    requestPolicy: 'network-only',
  });
  useEffect(() => setHydrated(true), []);
  useEffect(() => {
    if (!hydrated) return;
    const id = setInterval(() => {
      if (document.visibilityState === 'visible') reexecute({ requestPolicy: 'network-only' });
    }, POLL_MS);
    return () => clearInterval(id);
  }, [hydrated, reexecute]);

  const polled = result.data?._meta?.block.number ?? null;
  // Pages without indexed data (/graphql, error pages) have no loader block: show the polled one,
  // so the header never waits for a loader that will not come.
  const loaderBlock = fromLoader?.block.number ?? null;
  const shown = loaderBlock ?? polled;
  const lastRevalidated = useRef<number | null>(null);
  useEffect(() => {
    if (polled === null || loaderBlock === null || polled <= loaderBlock) return;
    if (revalidator.state !== 'idle' || lastRevalidated.current === polled) return;
    lastRevalidated.current = polled;
    revalidator.revalidate();
  }, [polled, loaderBlock, revalidator]);

  const reconnecting = hydrated && !!result.error;
  const hasErrors = result.data?._meta?.hasIndexingErrors ?? fromLoader?.hasIndexingErrors ?? false;
  return (
    <p
      className="live-status"
      role="status"
      aria-live="polite"
      data-state={reconnecting ? 'reconnecting' : 'live'}
      data-block={shown ?? ''}
    >
      {reconnecting
        ? 'Indexer unreachable — retrying…'
        : shown === null
          ? 'Waiting for the indexer…'
          : loaderBlock === null
            ? `Indexer at block ${shown}`
            : `Data as of block ${shown}${polled !== null && polled > shown ? ` (block ${polled} arriving)` : ''}`}
      {hasErrors ? ' · indexing errors' : ''}
    </p>
  );
}
