/**
 * The boundary between the two halves of the indexer:
 *   - the host (src/wasm, src/ingest): runs mappings, keeps the per-block entity cache, and hands
 *     each finished block's changes to the store;
 *   - the store (src/store, src/schema, src/graphql): keeps entity versions with block ranges in
 *     Postgres (PGlite or a server) and answers GraphQL, including time travel.
 * Values carry their graph-node kind explicitly, because Int and BigInt, or String and Bytes, must
 * not be confused on the way in or out.
 */

/** A store value, tagged with graph-node's value kind (graph::data::store::Value). */
export type StoreValue =
  | { readonly kind: 'String'; readonly value: string }
  | { readonly kind: 'Int'; readonly value: number }
  | { readonly kind: 'Int8'; readonly value: bigint }
  | { readonly kind: 'Timestamp'; readonly value: bigint } // microseconds since the epoch, as graph-node
  | { readonly kind: 'BigInt'; readonly value: bigint }
  | { readonly kind: 'BigDecimal'; readonly value: string } // canonical decimal text, graph-node precision
  | { readonly kind: 'Bool'; readonly value: boolean }
  | { readonly kind: 'Bytes'; readonly value: Uint8Array }
  | { readonly kind: 'List'; readonly value: readonly StoreValue[] }
  | { readonly kind: 'Null' };

/** One entity's fields (including `id`). Absent fields are null. */
export type EntityData = Readonly<Record<string, StoreValue>>;

export interface BlockPtr {
  readonly number: number;
  readonly hash: `0x${string}`;
  readonly timestamp: number; // seconds
  readonly parentHash: `0x${string}`;
}

/** One change to one entity, as the host's cache flushes it at the end of a block. */
export type EntityOperation =
  | {
      readonly op: 'set';
      readonly entityType: string;
      readonly id: string;
      readonly data: EntityData;
    }
  | { readonly op: 'remove'; readonly entityType: string; readonly id: string };

/** A data source created from a template while indexing (persisted so a restart restores it). */
export interface DynamicDataSource {
  readonly template: string;
  readonly address: `0x${string}`;
  readonly context: EntityData | null;
  readonly createdAtBlock: number;
}

/** A deterministic indexing error: the subgraph stops at `block`, as graph-node reports it. */
export interface IndexingError {
  readonly block: BlockPtr;
  readonly handler: string;
  readonly message: string;
}

/** What the host needs from the store. Implemented by src/store (PGlite or pg). */
export interface SubgraphStore {
  /** The last block fully written, or null before the first block. */
  head(): Promise<BlockPtr | null>;
  /** The block pointer recorded for a block number at or below head (for reorg detection). */
  blockPtr(number: number): Promise<BlockPtr | null>;
  /** The entity as of the latest block (or as of `block`), or null. */
  get(entityType: string, id: string, block?: number): Promise<EntityData | null>;
  /** Entities whose `field` (a scalar or a list of IDs) references `id`, for loadRelated. */
  findReferencing(entityType: string, field: string, id: string): Promise<EntityData[]>;
  /**
   * Atomically writes one block: its operations (new versions start at `block.number`), the data
   * sources it created, and the new head. Writing the same block number twice is an error.
   */
  transactBlock(
    block: BlockPtr,
    operations: readonly EntityOperation[],
    dataSources: readonly DynamicDataSource[],
  ): Promise<void>;
  /** Reverts every entity version, data source and block pointer above `blockNumber`. */
  revertTo(blockNumber: number): Promise<void>;
  dynamicDataSources(): Promise<DynamicDataSource[]>;
  recordIndexingError(error: IndexingError): Promise<void>;
  indexingErrors(): Promise<IndexingError[]>;
  close(): Promise<void>;
}
