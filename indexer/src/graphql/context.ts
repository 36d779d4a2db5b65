import { GraphQLError } from 'graphql';
import type { PostgresSubgraphStore } from '../store/index.js';
import type { BlockPtr, EntityData, StoreValue } from '../store/types.js';
import { idKey } from '../store/store.js';
import { layoutsFor, type EntityQuery } from '../store/query.js';
import type { EntityRecord } from '../store/store.js';
import { QueryBudget, entityWeight } from './limits.js';

const UNLIMITED = new QueryBudget({
  queryTimeoutMs: Number.POSITIVE_INFINITY,
  errorResultSize: Number.POSITIVE_INFINITY,
});

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
    /** Deadline and result size; every store read checks it before and charges it after. */
    readonly budget: QueryBudget = UNLIMITED,
  ) {}

  /** `store.find` within the request's budget. */
  async find(query: EntityQuery): Promise<EntityRecord[]> {
    this.budget.check();
    const records = await this.store.find(query);
    this.charge(records);
    return records;
  }

  /** `store.findForParents` within the request's budget. */
  async findForParents(
    query: EntityQuery,
    field: string,
    parentIds: readonly StoreValue[],
  ): Promise<Map<string, EntityRecord[]>> {
    this.budget.check();
    const found = await this.store.findForParents(query, field, parentIds);
    for (const records of found.values()) this.charge(records);
    return found;
  }

  private charge(records: readonly { data: EntityData }[]): void {
    let bytes = 0;
    for (const record of records) bytes += entityWeight(record.data);
    this.budget.charge(bytes);
  }

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
            this.budget.check();
            const rows = await this.store.getMany(layout.type.name, ids, batch.block);
            this.charge([...rows.values()].map((data) => ({ data })));
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

  private readonly childBatches = new Map<
    string,
    {
      readonly run: (ids: StoreValue[]) => Promise<Map<string, EntityNode[]>>;
      readonly ids: StoreValue[];
      readonly waiters: Map<
        string,
        { resolve: (nodes: EntityNode[]) => void; reject: (e: unknown) => void }[]
      >;
    }
  >();
  private childScheduled = false;
  private readonly batchKeys = new WeakMap<object, string>();
  private nextBatchKey = 0;

  /**
   * Collects the same child collection (one field of a query, one block) for every parent in a
   * result list, so `run(ids)` answers all of them in one store query.
   */
  loadChildren(
    field: object,
    block: number,
    parentId: StoreValue,
    run: (ids: StoreValue[]) => Promise<Map<string, EntityNode[]>>,
  ): Promise<EntityNode[]> {
    let fieldKey = this.batchKeys.get(field);
    if (fieldKey === undefined) this.batchKeys.set(field, (fieldKey = String(this.nextBatchKey++)));
    const key = `${fieldKey}@${block}`;
    let batch = this.childBatches.get(key);
    if (!batch) this.childBatches.set(key, (batch = { run, ids: [], waiters: new Map() }));
    const parent = idKey(parentId);
    let waiting = batch.waiters.get(parent);
    if (!waiting) {
      batch.waiters.set(parent, (waiting = []));
      batch.ids.push(parentId);
    }
    const promise = new Promise<EntityNode[]>((resolve, reject) =>
      waiting.push({ resolve, reject }),
    );
    if (!this.childScheduled) {
      this.childScheduled = true;
      setImmediate(() => void this.flushChildren());
    }
    return promise;
  }

  private async flushChildren(): Promise<void> {
    this.childScheduled = false;
    const batches = [...this.childBatches.values()];
    this.childBatches.clear();
    await Promise.all(
      batches.map(async (batch) => {
        try {
          const found = await batch.run(batch.ids);
          for (const [parent, waiters] of batch.waiters) {
            for (const waiter of waiters) waiter.resolve(found.get(parent) ?? []);
          }
        } catch (error) {
          for (const waiters of batch.waiters.values())
            for (const waiter of waiters) waiter.reject(error);
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
