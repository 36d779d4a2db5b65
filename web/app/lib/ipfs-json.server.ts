/**
 * Small JSON documents from IPFS through UM_IPFS_GATEWAY: a task's evaluation spec (which metric
 * its scores are) and a run's spec (the config panel). Bounded: 1.5 s, 64 KiB per document; a CID
 * never changes, so answers are cached (up to 500 CIDs). When the gateway cannot answer the result
 * is null and the page says the document is unavailable.
 */
import { parseEvalMetric, type ScoreMetric } from './score.js';

const TIMEOUT_MS = 1500;
const MAX_BYTES = 64 * 1024;
const cache = new Map<string, unknown>();

export const ipfsGateway = () =>
  (process.env.UM_IPFS_GATEWAY || 'http://127.0.0.1:8080').replace(/\/$/, '');

/** The CID (and path) of an `ipfs://` URI or bare CID; null for anything else. */
export function cidOf(uri: string): string | null {
  const cid = uri.replace(/^ipfs:\/\//, '').replace(/^\/?ipfs\//, '');
  return /^[A-Za-z0-9]+(\/[\w.-]+)*$/.test(cid) ? cid : null;
}

export async function readIpfsJson(uri: string): Promise<unknown> {
  const cid = cidOf(uri);
  if (!cid) return null;
  if (cache.has(cid)) return cache.get(cid);
  let doc: unknown;
  try {
    const res = await fetch(`${ipfsGateway()}/ipfs/${cid}`, {
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!res.ok) return null; // not cached: the gateway may have it later
    const text = await res.text();
    if (text.length > MAX_BYTES) return null;
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  if (cache.size >= 500) cache.delete(cache.keys().next().value!);
  cache.set(cid, doc);
  return doc;
}

export async function readEvalMetric(uri: string): Promise<ScoreMetric> {
  return parseEvalMetric(await readIpfsJson(uri));
}
