export { PostgresSubgraphStore, idKey, type EntityRecord, type StoreOptions } from './store.js';
export { openPglite, openPostgres, type Database } from './db.js';
export {
  BlockOrderError,
  ImmutableEntityError,
  QueryError,
  SchemaMismatchError,
  StoreError,
} from './errors.js';
export {
  FILTER_OPS,
  type EntityFilter,
  type EntityOrder,
  type EntityQuery,
  type FilterOp,
} from './query.js';
export type * from './types.js';
