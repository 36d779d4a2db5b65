export { buildApiSchema, type CollectionLimits } from './api.js';
export {
  runQuery,
  type GraphQLRequest,
  type GraphQLResponse,
  type QueryLimits,
  type QueryOutcome,
} from './execute.js';
export { QueryLimitError, QueryBudget, DEFAULT_FIRST } from './limits.js';
export { RequestContext, type EntityNode } from './context.js';
export {
  BigDecimalScalar,
  BigIntScalar,
  BytesScalar,
  Int8Scalar,
  TimestampScalar,
  normaliseDecimal,
} from './scalars.js';
