import {
  Kind,
  execute,
  parse,
  validate,
  type DocumentNode,
  type GraphQLError,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { PostgresSubgraphStore } from '../store/index.js';
import { RequestContext } from './context.js';

export interface QueryLimits {
  /** graph-node's GRAPH_GRAPHQL_MAX_DEPTH (default 255). */
  readonly maxDepth: number;
  /** Entities a query may potentially return (graph-node's GRAPH_GRAPHQL_MAX_COMPLEXITY idea). */
  readonly maxComplexity: number;
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

/** Depth and potential result size of an operation, following fragments. */
function measure(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): { depth: number; complexity: number } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  }
  const intValue = (node: ValueNode | undefined, fallback: number): number => {
    if (!node) return fallback;
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.VARIABLE) {
      const value = variables[node.name.value];
      return typeof value === 'number' ? value : fallback;
    }
    return fallback;
  };
  const walk = (
    set: SelectionSetNode,
    seen: ReadonlySet<string>,
  ): { depth: number; complexity: number } => {
    let depth = 0;
    let complexity = 0;
    const visit = (fields: readonly FieldNode[]): void => {
      for (const field of fields) {
        if (!field.selectionSet) continue;
        const inner = walk(field.selectionSet, seen);
        depth = Math.max(depth, inner.depth + 1);
        const first = field.arguments?.find((a) => a.name.value === 'first');
        // A field with collection arguments (or a plural root field) may return `first` entities.
        const isCollection =
          Boolean(first) ||
          field.arguments?.some((a) => ['skip', 'where', 'orderBy'].includes(a.name.value));
        const count = isCollection ? intValue(first?.value, 100) : 1;
        complexity += count * (1 + inner.complexity);
      }
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) visit([selection]);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const inner = walk(selection.selectionSet, seen);
        depth = Math.max(depth, inner.depth);
        complexity += inner.complexity;
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) continue;
        const inner = walk(fragment.selectionSet, new Set([...seen, name]));
        depth = Math.max(depth, inner.depth);
        complexity += inner.complexity;
      }
    }
    return { depth, complexity };
  };
  return walk(operation.selectionSet, new Set());
}

/**
 * Runs one GraphQL request against the store the way graph-node answers it: validation errors
 * and execution errors come back as `{errors: [{message, locations}]}` without data; indexing
 * errors follow the `subgraphError` policy (`deny` keeps only `_meta`).
 */
export async function runQuery(
  schema: GraphQLSchema,
  store: PostgresSubgraphStore,
  deployment: string,
  request: GraphQLRequest,
  limits: QueryLimits,
): Promise<GraphQLResponse> {
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    return { errors: [errorJson(error as GraphQLError)] };
  }
  const validationErrors = validate(schema, document);
  if (validationErrors.length > 0) return { errors: validationErrors.map(errorJson) };
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = request.operationName
    ? operations.find((o) => o.name?.value === request.operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
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
  const { depth, complexity } = measure(document, operation, request.variables ?? {});
  if (depth > limits.maxDepth)
    return {
      errors: [{ message: `query has a depth that exceeds the limit of \`${limits.maxDepth}\`` }],
    };
  if (complexity > limits.maxComplexity) {
    return {
      errors: [
        {
          message: `query potentially returns \`${complexity}\` entities or more and thereby exceeds the limit of \`${limits.maxComplexity}\` entities. Possible solutions are reducing the depth of the query, querying fewer relationships or using \`first\` to return smaller collections`,
        },
      ],
    };
  }
  const context = new RequestContext(store, deployment);
  const result = await execute({
    schema,
    document,
    contextValue: context,
    variableValues: request.variables ?? undefined,
    operationName: request.operationName ?? undefined,
  });
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
