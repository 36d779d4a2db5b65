/**
 * EIP-6963 multi-wallet discovery: wallets announce themselves with `eip6963:announceProvider`
 * events after the page dispatches `eip6963:requestProvider`, so several injected wallets can
 * coexist without fighting over window.ethereum. This store collects the announcements for
 * React's useSyncExternalStore.
 */
export type Eip1193Provider = {
  request(args: { method: string; params?: unknown[] | Record<string, unknown> }): Promise<unknown>;
  on?(event: string, listener: (...args: unknown[]) => void): void;
  removeListener?(event: string, listener: (...args: unknown[]) => void): void;
};

export type Eip6963ProviderInfo = { uuid: string; name: string; icon: string; rdns: string };
export type Eip6963ProviderDetail = { info: Eip6963ProviderInfo; provider: Eip1193Provider };

export type WalletStore = {
  subscribe(listener: () => void): () => void;
  getSnapshot(): readonly Eip6963ProviderDetail[];
  /** Asks wallets to (re-)announce; call after subscribing. */
  request(): void;
  destroy(): void;
};

const EMPTY: readonly Eip6963ProviderDetail[] = Object.freeze([]);

function isValidDetail(d: unknown): d is Eip6963ProviderDetail {
  if (!d || typeof d !== 'object') return false;
  const { info, provider } = d as Partial<Eip6963ProviderDetail>;
  return (
    !!info &&
    typeof info.uuid === 'string' &&
    info.uuid.length > 0 &&
    typeof info.name === 'string' &&
    typeof info.rdns === 'string' &&
    // The spec requires a data URI so an icon can never load a remote resource.
    typeof info.icon === 'string' &&
    info.icon.startsWith('data:image/') &&
    !!provider &&
    typeof provider.request === 'function'
  );
}

export function createWalletStore(target: EventTarget): WalletStore {
  let providers: readonly Eip6963ProviderDetail[] = EMPTY;
  const listeners = new Set<() => void>();
  const onAnnounce = (event: Event) => {
    const detail = (event as CustomEvent<unknown>).detail;
    if (!isValidDetail(detail)) return;
    // A wallet re-announcing (same uuid) replaces its entry; order of first announcement is kept.
    const idx = providers.findIndex((p) => p.info.uuid === detail.info.uuid);
    const next = [...providers];
    if (idx >= 0) next[idx] = detail;
    else next.push(detail);
    providers = Object.freeze(next);
    for (const l of listeners) l();
  };
  target.addEventListener('eip6963:announceProvider', onAnnounce);
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => providers,
    request() {
      target.dispatchEvent(new Event('eip6963:requestProvider'));
    },
    destroy() {
      target.removeEventListener('eip6963:announceProvider', onAnnounce);
      listeners.clear();
    },
  };
}

/** The server snapshot: no wallets exist during SSR. */
export const serverWalletSnapshot = (): readonly Eip6963ProviderDetail[] => EMPTY;
