import { GraphQLError } from 'graphql';
import type { PostgresSubgraphStore } from '../store/index.js';
import type { BlockPtr, EntityData } from '../store/types.js';
import { layoutsFor } from '../store/query.js';

/** An entity as GraphQL resolvers see it: its concrete type, its fields, and the block it was read at. */
export interface EntityNode {
  readonly __typename: string;
  readonly data: EntityData;
  readonly block: number;
}

/** The block a root field reads at, after resolving `block: {number | hash | number_gte}`. */
export interface QueryBlock {
  readonly number: number;
  /** Null for `block: {number}` (graph-node does not look the hash up then). */
  readonly hash: string | null;
  readonly ptr: BlockPtr | null;
}

export interface BlockHeightInput {
  readonly number?: number | null;
  readonly hash?: Uint8Array | null;
  readonly number_gte?: number | null;
}

/**
 * Per-request state: batches entity lookups by (type, block) so a list of 100 tokens with an
 * `owner { … }` costs one query instead of 100, and remembers indexing-error policy outcomes.
 */
export class RequestContext {
  /** Root fields that hit an indexing error under `subgraphError: deny`. */
  readonly deniedFields = new Set<string>();
  /** True if any root field ran with `subgraphError: allow` at a block with errors. */
  allowedErrors = false;
  private readonly pending = new Map<
    string,
    {
      type: string;
      block: number;
      ids: Map<string, ((node: EntityNode | null) => void)[]>;
      reject: ((e: unknown) => void)[];
    }
  >();
  private scheduled = false;

  constructor(
    readonly store: PostgresSubgraphStore,
    readonly deployment: string,
  ) {}

  load(type: string, id: string, block: number): Promise<EntityNode | null> {
    const key = `${type}@${block}`;
    let batch = this.pending.get(key);
    if (!batch) this.pending.set(key, (batch = { type, block, ids: new Map(), reject: [] }));
    const waiting = batch.ids.get(id) ?? [];
    batch.ids.set(id, waiting);
    const promise = new Promise<EntityNode | null>((resolve, reject) => {
      waiting.push(resolve);
      batch.reject.push(reject);
    });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
    return promise;
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batches = [...this.pending.values()];
    this.pending.clear();
    await Promise.all(
      batches.map(async (batch) => {
        try {
          const ids = [...batch.ids.keys()];
          const found = new Map<string, EntityNode>();
          for (const layout of layoutsFor(this.store, batch.type)) {
            const rows = await this.store.getMany(layout.type.name, ids, batch.block);
            for (const [id, data] of rows)
              found.set(id, { __typename: layout.type.name, data, block: batch.block });
          }
          for (const [id, resolvers] of batch.ids)
            for (const resolve of resolvers) resolve(found.get(id) ?? null);
        } catch (error) {
          for (const reject of batch.reject) reject(error);
        }
      }),
    );
  }

  /** Resolves a `block` argument with graph-node's errors. */
  async resolveBlock(input: BlockHeightInput | null | undefined): Promise<QueryBlock> {
    const head = await this.store.head();
    const headNumber = head?.number ?? -1;
    const notYet = (number: number): GraphQLError =>
      new GraphQLError(
        `subgraph ${this.deployment} has only indexed up to block number ${headNumber} and data for block number ${number} is therefore not yet available`,
      );
    if (input?.hash) {
      const hash = `0x${Buffer.from(input.hash).toString('hex')}`;
      const ptr = await this.store.blockByHash(hash);
      if (!ptr) throw new GraphQLError('no block with that hash found');
      return { number: ptr.number, hash: ptr.hash, ptr };
    }
    if (input?.number !== undefined && input.number !== null) {
      if (input.number > headNumber) throw notYet(input.number);
      if (input.number < 0)
        throw new GraphQLError(`Invalid value provided for argument \`number\`: ${input.number}`);
      return { number: input.number, hash: null, ptr: await this.store.blockPtr(input.number) };
    }
    if (input?.number_gte !== undefined && input.number_gte !== null) {
      if (input.number_gte > headNumber) throw notYet(input.number_gte);
    }
    return { number: headNumber, hash: head?.hash ?? null, ptr: head };
  }
}
