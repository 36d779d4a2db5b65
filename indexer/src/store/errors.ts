import { IndexerError } from '../errors.js';

/** The database failed or refused a statement (wraps the driver's error). */
export class StoreError extends IndexerError {
  override name = 'StoreError';
}

/** A block was written out of order or twice (the host must revert first). */
export class BlockOrderError extends StoreError {
  override name = 'BlockOrderError';
}

/** An immutable entity was written again in a later block, or removed. */
export class ImmutableEntityError extends StoreError {
  override name = 'ImmutableEntityError';
}

/** The data directory or database holds a different subgraph schema than the one being served. */
export class SchemaMismatchError extends StoreError {
  override name = 'SchemaMismatchError';
}

/** A query the store cannot answer (bad ordering, filter on a derived field, …). */
export class QueryError extends StoreError {
  override name = 'QueryError';
}
