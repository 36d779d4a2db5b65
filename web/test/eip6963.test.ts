import { describe, expect, it } from 'vitest';
import { createWalletStore, type Eip6963ProviderDetail } from '../app/lib/eip6963.js';

const icon = 'data:image/svg+xml;base64,PHN2Zy8+';
const detail = (uuid: string, name: string): Eip6963ProviderDetail => ({
  info: { uuid, name, icon, rdns: `io.example.${name.toLowerCase()}` },
  provider: { request: async () => null },
});
const announce = (t: EventTarget, d: unknown) =>
  t.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: d }));

describe('EIP-6963 wallet discovery store', () => {
  it('asks wallets to announce and collects each one once, in order', () => {
    const target = new EventTarget();
    // A wallet that answers requestProvider, as real extensions do.
    target.addEventListener('eip6963:requestProvider', () =>
      announce(target, detail('a', 'Alpha')),
    );
    const store = createWalletStore(target);
    let notified = 0;
    store.subscribe(() => notified++);
    store.request();
    announce(target, detail('b', 'Beta'));
    store.request(); // Alpha re-announces: replaced, not duplicated
    expect(store.getSnapshot().map((p) => p.info.name)).toEqual(['Alpha', 'Beta']);
    expect(notified).toBe(3);
  });

  it('keeps snapshots stable between changes (useSyncExternalStore needs this)', () => {
    const target = new EventTarget();
    const store = createWalletStore(target);
    const before = store.getSnapshot();
    expect(store.getSnapshot()).toBe(before);
    announce(target, detail('x', 'X'));
    expect(store.getSnapshot()).not.toBe(before);
  });

  it('ignores malformed announcements and remote icons', () => {
    const target = new EventTarget();
    const store = createWalletStore(target);
    announce(target, {
      info: { uuid: 'u', name: 'N', rdns: 'r', icon: 'https://evil.example/i.png' },
      provider: { request: async () => 1 },
    });
    announce(target, { info: { uuid: 'u', name: 'N', rdns: 'r', icon }, provider: {} });
    announce(target, null);
    expect(store.getSnapshot()).toHaveLength(0);
  });

  it('stops listening after destroy', () => {
    const target = new EventTarget();
    const store = createWalletStore(target);
    store.destroy();
    announce(target, detail('a', 'Alpha'));
    expect(store.getSnapshot()).toHaveLength(0);
  });
});
