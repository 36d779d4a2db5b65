import type { AddOptions } from '@helia/unixfs';
import { cidSettings } from '../storage.js';

type Chunker = NonNullable<AddOptions['chunker']>;
type Layout = NonNullable<AddOptions['layout']>;
type Reducer = Parameters<Layout>[1];
type Node = Parameters<Reducer>[0][number];

/** Fixed-size chunks of `size` bytes; the last may be shorter; an empty file is one empty chunk. */
export function fixedSizeChunker(size: number): Chunker {
  return async function* chunk(source) {
    let pending: Uint8Array[] = [];
    let pendingLength = 0;
    let emitted = false;
    for await (const buffer of source) {
      let data = buffer;
      while (pendingLength + data.length >= size) {
        const take = size - pendingLength;
        pending.push(data.subarray(0, take));
        yield concat(pending, size);
        emitted = true;
        data = data.subarray(take);
        pending = [];
        pendingLength = 0;
      }
      if (data.length > 0) {
        pending.push(data);
        pendingLength += data.length;
      }
    }
    if (!emitted || pendingLength > 0) yield concat(pending, pendingLength);
  };
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Balanced DAG: group the leaves into parents of at most `maxChildren` in order, then group those
 * parents the same way, until one root remains (the shape Kubo's balanced builder produces).
 */
export function balancedLayout(maxChildren: number): Layout {
  const reduceLevel = async (nodes: Node[], reduce: Reducer): Promise<Node> => {
    const parents: Node[] = [];
    for (let i = 0; i < nodes.length; i += maxChildren)
      parents.push(await reduce(nodes.slice(i, i + maxChildren)));
    return parents.length > 1 ? reduceLevel(parents, reduce) : parents[0]!;
  };
  return async (source, reduce) => {
    const leaves: Node[] = [];
    for await (const leaf of source) leaves.push(leaf);
    return reduceLevel(leaves, reduce);
  };
}

/** The importer options for cidSettings (see storage.ts). */
export const importerOptions = {
  cidVersion: cidSettings.cidVersion,
  rawLeaves: cidSettings.rawLeaves,
  reduceSingleLeafToSelf: true,
  chunker: fixedSizeChunker(cidSettings.chunkSize),
  layout: balancedLayout(cidSettings.maxChildrenPerNode),
} satisfies Partial<AddOptions>;
