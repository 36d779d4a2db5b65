import { ContentNotFoundError, type ContentStore } from '@um/engine';
import { EmbeddedIpfs, KuboStore } from '@um/engine/node';
import { ConfigError, ContentUnavailableError } from '../errors.js';

export type { ContentStore } from '@um/engine';

/** Strips an `ipfs://` prefix: URIs on chain may carry it or be bare CIDs. */
export const cidOf = (uri: string): string => uri.replace(/^ipfs:\/\//, '').replace(/\/+$/, '');

/**
 * Reads through an HTTP gateway (`GET <gateway>/ipfs/<cid>[/<path>]`); cannot store. Whatever a
 * gateway serves is checked by the caller against the hash committed on chain, so a lying gateway
 * is detected, not trusted.
 */
export class GatewayStore implements ContentStore {
  constructor(readonly gateway: string) {}
  async addBytes(): Promise<string> {
    throw new ConfigError(
      'a read-only gateway cannot store content: use --ipfs embedded or kubo:<url>',
    );
  }
  async addDirectory(): Promise<string> {
    return this.addBytes();
  }
  async cat(cid: string, path?: string): Promise<Uint8Array> {
    const url = `${this.gateway.replace(/\/+$/, '')}/ipfs/${cid}${path ? `/${path}` : ''}`;
    const response = await fetch(url);
    if (response.status === 404) throw new ContentNotFoundError(cid, path);
    if (!response.ok) throw new ContentUnavailableError(cid, `gateway answered ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }
  async close(): Promise<void> {}
}

/** Writes to one store and reads from it first, then from read-only fallbacks (gateways). */
export class LayeredStore implements ContentStore {
  constructor(
    private readonly primary: ContentStore,
    private readonly fallbacks: readonly ContentStore[],
  ) {}
  addBytes(bytes: Uint8Array): Promise<string> {
    return this.primary.addBytes(bytes);
  }
  addDirectory(files: Readonly<Record<string, Uint8Array>>): Promise<string> {
    return this.primary.addDirectory(files);
  }
  async cat(cid: string, path?: string): Promise<Uint8Array> {
    let last: unknown;
    for (const store of [this.primary, ...this.fallbacks]) {
      try {
        return await store.cat(cid, path);
      } catch (error) {
        last = error;
      }
    }
    throw last;
  }
  async close(): Promise<void> {
    await Promise.all([this.primary, ...this.fallbacks].map((s) => s.close()));
  }
}

/**
 * Opens the configured store:
 *   embedded:<dir>   the engine's embedded IPFS node (Helia over a filesystem blockstore)
 *   kubo:<rpc-url>   a Kubo node's RPC API, e.g. kubo:http://127.0.0.1:5001
 *   gateway:<url>    read-only HTTP gateway
 * `readGateways` are tried, in order, for content the store does not have.
 */
export async function openContentStore(
  spec: string,
  readGateways: readonly string[] = [],
): Promise<ContentStore> {
  const colon = spec.indexOf(':');
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  const target = colon < 0 ? '' : spec.slice(colon + 1);
  let primary: ContentStore;
  if (kind === 'embedded') {
    if (!target) throw new ConfigError('--ipfs embedded:<dir> needs a directory');
    primary = await EmbeddedIpfs.open(target);
  } else if (kind === 'kubo') {
    if (!target) throw new ConfigError('--ipfs kubo:<rpc-url> needs a URL');
    primary = new KuboStore(target);
  } else if (kind === 'gateway') {
    if (!target) throw new ConfigError('--ipfs gateway:<url> needs a URL');
    primary = new GatewayStore(target);
  } else {
    throw new ConfigError(
      `unknown --ipfs "${spec}"; expected embedded:<dir>, kubo:<url> or gateway:<url>`,
    );
  }
  return readGateways.length === 0
    ? primary
    : new LayeredStore(
        primary,
        readGateways.map((g) => new GatewayStore(g)),
      );
}

/** cat with a deadline: an unreachable CID becomes ContentUnavailableError instead of a hang. */
export async function catWithin(
  store: ContentStore,
  uri: string,
  path: string | undefined,
  timeoutMs: number,
): Promise<Uint8Array> {
  const cid = cidOf(uri);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ContentUnavailableError(cid, `no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([store.cat(cid, path), deadline]);
  } catch (error) {
    if (error instanceof ContentUnavailableError) throw error;
    throw new ContentUnavailableError(cid, (error as Error).message);
  } finally {
    clearTimeout(timer);
  }
}
