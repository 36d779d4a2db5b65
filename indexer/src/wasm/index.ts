export { MappingModule, UnsupportedHostFunctionError } from './runtime.js';
export { EntityCache } from './entity-cache.js';
export {
  readSchemaInfo,
  SchemaError,
  type SchemaInfo,
  type EntityTypeInfo,
} from './schema-info.js';
export { DeterministicError, NonDeterministicError, AsyncDataNeeded } from './errors.js';
export type * from './context.js';
export type * from './chain-types.js';
export { writeEvent, writeBlock, type EventTrigger } from './marshal.js';
export { decodeEventParams } from './ethereum-value.js';
