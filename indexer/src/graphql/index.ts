export { buildApiSchema, type CollectionLimits } from './api.js';
export {
  runQuery,
  type GraphQLRequest,
  type GraphQLResponse,
  type QueryLimits,
} from './execute.js';
export { RequestContext, type EntityNode } from './context.js';
export {
  BigDecimalScalar,
  BigIntScalar,
  BytesScalar,
  Int8Scalar,
  TimestampScalar,
  normaliseDecimal,
} from './scalars.js';
