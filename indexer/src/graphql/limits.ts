import {
  Kind,
  Lexer,
  SchemaMetaFieldDef,
  Source,
  TokenKind,
  TypeMetaFieldDef,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/**
 * Query limits with graph-node's environment variable names and semantics
 * (graph/src/env/graphql.rs). Defaults differ where graph-node's "unlimited" would let one
 * query take the process down; docs/indexer.md lists both.
 */
export interface QueryLimits {
  /** GRAPH_GRAPHQL_MAX_DEPTH (graph-node: 255). Nested selection sets, fragments included. */
  readonly maxDepth: number;
  /** GRAPH_GRAPHQL_MAX_COMPLEXITY: potential entities, page sizes multiplied down the tree. */
  readonly maxComplexity: number;
  /** GRAPH_GRAPHQL_MAX_FIRST (graph-node: 1000). */
  readonly maxFirst: number;
  /** GRAPH_GRAPHQL_MAX_SKIP (graph-node: unlimited). */
  readonly maxSkip: number;
  /** GRAPH_GRAPHQL_QUERY_TIMEOUT in seconds (graph-node: unlimited); here in milliseconds. */
  readonly queryTimeoutMs: number;
  /** GRAPH_GRAPHQL_ERROR_RESULT_SIZE in bytes (graph-node: unlimited). */
  readonly errorResultSize: number;
  /** GRAPH_GRAPHQL_WARN_RESULT_SIZE in bytes (graph-node: unlimited): log, but answer. */
  readonly warnResultSize: number;
}

/** graph-node's `first` when a list field has none. */
export const DEFAULT_FIRST = 100;
/** graph-node reports an overflowing complexity as u64::MAX. */
const U64_MAX = 2n ** 64n - 1n;
/**
 * Selection-set nodes the complexity walk visits before giving up. Fragments spread several
 * times can make a small document describe an exponentially large tree; graph-node walks it
 * unbounded, here the walk itself is bounded so the check stays cheap.
 */
const MAX_WALK = 100_000;

/** A query refused by a limit, with graph-node's message for that limit. */
export class QueryLimitError extends Error {
  override readonly name = 'QueryLimitError';
  constructor(
    /** graph-node's environment variable for the limit that refused the query. */
    readonly limit: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const tooDeep = (maxDepth: number): QueryLimitError =>
  new QueryLimitError(
    'GRAPH_GRAPHQL_MAX_DEPTH',
    `query has a depth that exceeds the limit of \`${maxDepth}\``,
  );

export const tooComplex = (complexity: bigint, maxComplexity: number): QueryLimitError =>
  new QueryLimitError(
    'GRAPH_GRAPHQL_MAX_COMPLEXITY',
    `query potentially returns \`${complexity}\` entities or more and thereby exceeds the limit of \`${maxComplexity}\` entities. Possible solutions are reducing the depth of the query, querying fewer relationships or using \`first\` to return smaller collections`,
  );

/**
 * Refuses a query text whose brackets nest deeper than any query within `maxDepth` could,
 * before graphql-js's recursive-descent parser (which would overflow the stack on a deep
 * enough nesting) sees it. Uses graphql-js's own lexer, so strings and comments are skipped.
 */
export function checkNesting(text: string, maxDepth: number): void {
  // A selection set at depth d sits inside d+1 braces; arguments add `(`, `{`, `[` of their own.
  const allowed = maxDepth + 64;
  let nesting = 0;
  let lexer: Lexer;
  try {
    lexer = new Lexer(new Source(text));
  } catch {
    return; // the parser reports the syntax error
  }
  for (;;) {
    let token;
    try {
      token = lexer.advance();
    } catch {
      return; // the parser reports the syntax error
    }
    switch (token.kind) {
      case TokenKind.EOF:
        return;
      case TokenKind.BRACE_L:
      case TokenKind.BRACKET_L:
      case TokenKind.PAREN_L:
        if (++nesting > allowed) throw tooDeep(maxDepth);
        break;
      case TokenKind.BRACE_R:
      case TokenKind.BRACKET_R:
      case TokenKind.PAREN_R:
        nesting--;
        break;
      default:
    }
  }
}

/**
 * graph-node's complexity (graphql/src/execution/query.rs): the sum over fields of
 * `first × (1 + complexity of the selection)` for list fields — `first` defaulting to 100 —
 * and the selection's complexity for single objects, so nested lists multiply. Depth counts
 * nested selection sets and fragments from 0 at the root; reaching `maxDepth` refuses the query.
 * Unlike graph-node, a `first: $var` counts with the variable's value (graph-node measures
 * before expanding variables and counts 100), and fields unknown to the schema count 0 instead
 * of zeroing the whole query (validation reports them).
 */
export function checkComplexity(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  limits: Pick<QueryLimits, 'maxDepth' | 'maxComplexity'>,
): bigint {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  }
  const defaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue)
      defaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const firstOf = (node: ValueNode | undefined): bigint => {
    if (!node) return BigInt(DEFAULT_FIRST);
    if (node.kind === Kind.INT) return BigInt(node.value);
    if (node.kind === Kind.VARIABLE) {
      const value = variables[node.name.value];
      if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
      const fallback = defaults.get(node.name.value);
      if (fallback?.kind === Kind.INT) return BigInt(fallback.value);
    }
    return BigInt(DEFAULT_FIRST);
  };
  let visits = 0;
  const over = (): QueryLimitError => tooComplex(U64_MAX, limits.maxComplexity);

  const walk = (
    type: GraphQLNamedType | undefined,
    set: SelectionSetNode,
    depth: number,
    seen: ReadonlySet<string>,
  ): bigint => {
    if (depth >= limits.maxDepth) throw tooDeep(limits.maxDepth);
    if (++visits > MAX_WALK) throw over();
    let total = 0n;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!selection.selectionSet) continue;
        const field = fieldOf(schema, type, selection.name.value);
        if (!field) continue;
        const inner = walk(getNamedType(field.type), selection.selectionSet, depth + 1, seen);
        if (!isListType(getNullableType(field.type))) {
          total += inner;
        } else {
          const first = firstOf(selection.arguments?.find((a) => a.name.value === 'first')?.value);
          total += first + first * inner;
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : type;
        total += walk(condition ?? undefined, selection.selectionSet, depth + 1, seen);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Unknown fragments and cycles are validation errors graphql-js reports.
        if (!fragment || seen.has(name)) continue;
        total += walk(
          schema.getType(fragment.typeCondition.name.value) ?? undefined,
          fragment.selectionSet,
          depth + 1,
          new Set([...seen, name]),
        );
      }
      if (total > U64_MAX) throw over();
    }
    return total;
  };
  const complexity = walk(schema.getQueryType() ?? undefined, operation.selectionSet, 0, new Set());
  if (complexity > BigInt(limits.maxComplexity)) throw tooComplex(complexity, limits.maxComplexity);
  return complexity;
}

function fieldOf(
  schema: GraphQLSchema,
  type: GraphQLNamedType | undefined,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (type === schema.getQueryType()) {
    if (name === '__schema') return SchemaMetaFieldDef;
    if (name === '__type') return TypeMetaFieldDef;
  }
  if (isObjectType(type) || isInterfaceType(type)) return type.getFields()[name];
  return undefined;
}

/**
 * Per-request budget enforced while the query runs: the deadline (GRAPH_GRAPHQL_QUERY_TIMEOUT)
 * and the size of the entities loaded so far (GRAPH_GRAPHQL_ERROR_RESULT_SIZE). Every store read
 * checks it before and charges it after, so a query that passed the static checks but turns out
 * large or slow stops at its next read instead of growing without bound.
 */
export class QueryBudget {
  private bytes = 0;
  private readonly deadline: number;
  /** Set when the budget ran out; later reads fail at once. */
  exhausted: QueryLimitError | null = null;

  constructor(private readonly limits: Pick<QueryLimits, 'queryTimeoutMs' | 'errorResultSize'>) {
    this.deadline = performance.now() + limits.queryTimeoutMs;
  }

  get resultBytes(): number {
    return this.bytes;
  }

  /** Throws if the deadline passed or the budget ran out earlier. */
  check(): void {
    if (this.exhausted) throw this.exhausted;
    if (performance.now() > this.deadline) {
      this.exhausted = timedOut();
      throw this.exhausted;
    }
  }

  /** Milliseconds left before the deadline. */
  remainingMs(): number {
    return Math.max(0, this.deadline - performance.now());
  }

  /** Adds the estimated size of loaded entities; throws past GRAPH_GRAPHQL_ERROR_RESULT_SIZE. */
  charge(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes > this.limits.errorResultSize) {
      this.exhausted = new QueryLimitError(
        'GRAPH_GRAPHQL_ERROR_RESULT_SIZE',
        `the result size of ${this.bytes} is larger than the allowed limit of ${this.limits.errorResultSize}`,
      );
      throw this.exhausted;
    }
    this.check();
  }
}

export const timedOut = (): QueryLimitError =>
  new QueryLimitError('GRAPH_GRAPHQL_QUERY_TIMEOUT', 'Query timed out');

/** Rough in-memory size of an entity's values, in bytes (graph-node's `CacheWeight` idea). */
export function entityWeight(data: Record<string, { kind: string; value?: unknown }>): number {
  let bytes = 16;
  for (const key in data) {
    bytes += 16 + key.length;
    bytes += valueWeight(data[key]!);
  }
  return bytes;
}

function valueWeight(value: { kind: string; value?: unknown }): number {
  switch (value.kind) {
    case 'String':
      return 8 + (value.value as string).length;
    case 'Bytes':
      return 8 + (value.value as Uint8Array).length;
    case 'List': {
      let bytes = 16;
      for (const item of value.value as { kind: string; value?: unknown }[])
        bytes += valueWeight(item);
      return bytes;
    }
    case 'BigDecimal':
      return 8 + String(value.value).length;
    default:
      return 16;
  }
}
