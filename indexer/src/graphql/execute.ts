import {
  Kind,
  execute,
  parse,
  validate,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { PostgresSubgraphStore } from '../store/index.js';
import { RequestContext } from './context.js';
import {
  QueryBudget,
  QueryLimitError,
  checkComplexity,
  checkNesting,
  timedOut,
  type QueryLimits,
} from './limits.js';

export type { QueryLimits } from './limits.js';

/** What a finished query reports besides its answer (for metrics and logs). */
export interface QueryOutcome {
  /** The graph-node environment variable of the limit that refused the query, if one did. */
  limit?: string;
  /** Estimated bytes of entities the query loaded. */
  resultBytes: number;
}

export interface GraphQLRequest {
  readonly query: string;
  readonly variables?: Record<string, unknown> | null;
  readonly operationName?: string | null;
}

export interface GraphQLErrorJson {
  readonly message: string;
  readonly locations?: readonly { line: number; column: number }[];
}

export interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: GraphQLErrorJson[];
}

const META_FIELDS = new Set(['_meta', '__schema', '__type', '__typename']);

function errorJson(error: GraphQLError): GraphQLErrorJson {
  // graph-node reports a message and, where it has one, a location; no `path` or extensions.
  const locations = error.locations?.map(({ line, column }) => ({ line, column }));
  return locations && locations.length > 0
    ? { message: error.message, locations }
    : { message: error.message };
}

/**
 * Runs one GraphQL request against the store the way graph-node answers it: validation errors
 * and execution errors come back as `{errors: [{message, locations}]}` without data; indexing
 * errors follow the `subgraphError` policy (`deny` keeps only `_meta`). Limits are checked before
 * execution (nesting, depth, complexity — before graphql-js's validation, whose cost grows with
 * the document) and during it (deadline, result size); a refused query gets one error naming the
 * limit and `outcome.limit` says which.
 */
export async function runQuery(
  schema: GraphQLSchema,
  store: PostgresSubgraphStore,
  deployment: string,
  request: GraphQLRequest,
  limits: QueryLimits,
  outcome: QueryOutcome = { resultBytes: 0 },
): Promise<GraphQLResponse> {
  const refused = (error: QueryLimitError): GraphQLResponse => {
    outcome.limit = error.limit;
    return { errors: [{ message: error.message }] };
  };
  let document: DocumentNode;
  try {
    checkNesting(request.query, limits.maxDepth);
    document = parse(request.query);
  } catch (error) {
    if (error instanceof QueryLimitError) return refused(error);
    return { errors: [errorJson(error as GraphQLError)] };
  }
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = request.operationName
    ? operations.find((o) => o.name?.value === request.operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (operation?.operation === 'query') {
    try {
      checkComplexity(schema, document, operation, request.variables ?? {}, limits);
    } catch (error) {
      if (error instanceof QueryLimitError) return refused(error);
      throw error;
    }
  }
  const validationErrors = validate(schema, document);
  if (validationErrors.length > 0) return { errors: validationErrors.map(errorJson) };
  if (!operation) {
    return {
      errors: [
        {
          message: request.operationName
            ? `Operation name not found \`${request.operationName}\``
            : 'Operation name required',
        },
      ],
    };
  }
  if (operation.operation !== 'query')
    return { errors: [{ message: `Not supported: ${operation.operation}` }] };
  const budget = new QueryBudget(limits);
  const context = new RequestContext(store, deployment, budget);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), budget.remainingMs());
  });
  let result: Awaited<ReturnType<typeof execute>> | 'timeout';
  try {
    result = await Promise.race([
      Promise.resolve(
        execute({
          schema,
          document,
          contextValue: context,
          variableValues: request.variables ?? undefined,
          operationName: request.operationName ?? undefined,
        }),
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
    outcome.resultBytes = budget.resultBytes;
  }
  if (result === 'timeout') {
    // Resolvers still in flight fail at their next store read.
    budget.exhausted ??= timedOut();
    return refused(budget.exhausted);
  }
  if (budget.exhausted) return refused(budget.exhausted);
  if (result.errors && result.errors.length > 0) {
    // graph-node fails the whole query on an execution error; unwrap store errors' messages.
    // Execution errors carry no location in graph-node's responses.
    return { errors: result.errors.map((error) => ({ message: error.message })) };
  }
  const data = (result.data ?? null) as Record<string, unknown> | null;
  if (context.deniedFields.size > 0) {
    const kept = Object.fromEntries(
      Object.entries(data ?? {}).filter(
        ([key]) => !context.deniedFields.has(key) && isMetaAlias(operation, key),
      ),
    );
    return { data: kept, errors: [{ message: 'indexing_error' }] };
  }
  if (context.allowedErrors) return { data, errors: [{ message: 'indexing_error' }] };
  return { data };
}

/** True if the response key belongs to `_meta`, `__schema`, `__type` or `__typename`. */
function isMetaAlias(operation: OperationDefinitionNode, key: string): boolean {
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const responseKey = selection.alias?.value ?? selection.name.value;
    if (responseKey === key) return META_FIELDS.has(selection.name.value);
  }
  return false;
}
