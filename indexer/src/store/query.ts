import type { SubgraphSchema } from '../schema/index.js';
import { QueryError } from './errors.js';
import { paramSql, toListParam, toParam, type ColumnLayout, type TableLayout } from './layout.js';
import type { StoreValue } from './types.js';

/** graph-node's filter operators (the `where` suffixes; `eq` is the bare field). */
export const FILTER_OPS = [
  'eq',
  'not',
  'gt',
  'lt',
  'gte',
  'lte',
  'in',
  'not_in',
  'contains',
  'contains_nocase',
  'not_contains',
  'not_contains_nocase',
  'starts_with',
  'starts_with_nocase',
  'not_starts_with',
  'not_starts_with_nocase',
  'ends_with',
  'ends_with_nocase',
  'not_ends_with',
  'not_ends_with_nocase',
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

/** A `where` argument after type coercion, as the store evaluates it. */
export type EntityFilter =
  | { readonly kind: 'and'; readonly filters: readonly EntityFilter[] }
  | { readonly kind: 'or'; readonly filters: readonly EntityFilter[] }
  | {
      readonly kind: 'compare';
      readonly field: string;
      readonly op: FilterOp;
      /** For `in`/`not_in` and list fields: a List value. */
      readonly value: StoreValue;
    }
  /** `field_: {...}`: entities whose referenced (or deriving) entity matches. */
  | { readonly kind: 'child'; readonly field: string; readonly filter: EntityFilter }
  /** `_change_block: {number_gte}`. */
  | { readonly kind: 'changedSince'; readonly block: number };

export interface EntityOrder {
  readonly field: string;
  /** `parent__child`: order by `child` of the entity referenced by `field`. */
  readonly child?: string;
  readonly direction: 'asc' | 'desc';
}

export interface EntityQuery {
  /** An entity type or an interface (then results union its implementers). */
  readonly type: string;
  readonly filter?: EntityFilter | undefined;
  readonly order?: EntityOrder | undefined;
  readonly first: number;
  readonly skip: number;
  /** The block to read at (time travel); versions current at that block are visible. */
  readonly block: number;
}

/** Collects positional parameters while SQL is built. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export interface QueryContext {
  readonly schema: SubgraphSchema;
  readonly layouts: ReadonlyMap<string, TableLayout>;
  readonly params: Params;
  /** Placeholder holding the block number. */
  readonly block: string;
}

export function visibleSql(layout: TableLayout, alias: string, block: string): string {
  return layout.immutable
    ? `${alias}."block$" <= ${block}::int4`
    : `${alias}.block_range @> ${block}::int4`;
}

/** The concrete tables behind an entity type or interface name. */
export function layoutsFor(
  context: Pick<QueryContext, 'schema' | 'layouts'>,
  typeName: string,
): TableLayout[] {
  const single = context.layouts.get(typeName);
  if (single) return [single];
  const iface = context.schema.interfaces.get(typeName);
  if (!iface) throw new QueryError(`Type \`${typeName}\` is not an entity type or interface`);
  return iface.implementers.map((name) => context.layouts.get(name)!);
}

function column(layout: TableLayout, field: string): ColumnLayout {
  const found = layout.columnsByField.get(field);
  if (!found) {
    const derived = layout.type.fieldsByName.get(field);
    if (derived)
      throw new QueryError(
        `Field \`${layout.type.name}.${field}\` is derived and can only be filtered with \`${field}_\``,
      );
    throw new QueryError(`Type \`${layout.type.name}\` has no field \`${field}\``);
  }
  return found;
}

/** The id column is indexed whole (btree), not by prefix. */
function isId(layout: TableLayout, col: ColumnLayout): boolean {
  return col === layout.id;
}

function likePattern(op: FilterOp, placeholder: string): string {
  if (op.includes('contains')) return `'%' || ${placeholder} || '%'`;
  if (op.includes('starts_with')) return `${placeholder} || '%'`;
  return `'%' || ${placeholder}`;
}

function compareSql(
  context: QueryContext,
  layout: TableLayout,
  alias: string,
  filter: Extract<EntityFilter, { kind: 'compare' }>,
): string {
  const col = column(layout, filter.field);
  const ref = `${alias}.${col.sqlName}`;
  const { op, value } = filter;
  const p = context.params;
  if (col.list) {
    if ((op === 'eq' || op === 'not') && value.kind === 'Null')
      return op === 'eq' ? `${ref} is null` : `${ref} is not null`;
    const array = paramSql(col.kind, true, p.add(toListParam(value)));
    switch (op) {
      case 'eq':
        return `${ref} = ${array}`;
      case 'not':
        return `${ref} <> ${array}`;
      case 'contains':
        return `${ref} @> ${array}`;
      case 'not_contains':
        return `not (${ref} @> ${array})`;
      case 'contains_nocase':
      case 'not_contains_nocase': {
        const sql = `array(select lower(x) from unnest(${ref}) x) @> array(select lower(y) from unnest(${array}) y)`;
        return op === 'contains_nocase' ? sql : `not (${sql})`;
      }
      default:
        throw new QueryError(`Filter \`${filter.field}_${op}\` is not supported on list fields`);
    }
  }
  if (op === 'eq' || op === 'not') {
    if (value.kind === 'Null') return op === 'eq' ? `${ref} is null` : `${ref} is not null`;
    const param = paramSql(col.kind, false, p.add(toParam(value)));
    if (op === 'not') return `${ref} <> ${param}`;
    // Text columns are indexed on left(…, 256) (as graph-node does, so long strings fit a btree);
    // the extra prefix comparison lets Postgres use that index.
    return col.kind === 'text' && !isId(layout, col)
      ? `(left(${ref}, 256) = left(${param}, 256) and ${ref} = ${param})`
      : `${ref} = ${param}`;
  }
  if (op === 'in' || op === 'not_in') {
    const array = paramSql(col.kind, true, p.add(toListParam(value)));
    if (op === 'not_in') return `not (${ref} = any(${array}))`;
    return col.kind === 'text' && !isId(layout, col)
      ? `(left(${ref}, 256) = any(array(select left(x, 256) from unnest(${array}) x)) and ${ref} = any(${array}))`
      : `${ref} = any(${array})`;
  }
  if (op === 'gt' || op === 'lt' || op === 'gte' || op === 'lte') {
    const symbol = { gt: '>', lt: '<', gte: '>=', lte: '<=' }[op];
    const collate = col.kind === 'text' ? ' collate "C"' : '';
    return `${ref}${collate} ${symbol} ${paramSql(col.kind, false, p.add(toParam(value)))}${collate}`;
  }
  // String-like operators.
  const negate = op.startsWith('not_');
  const nocase = op.endsWith('_nocase');
  let sql: string;
  if (col.kind === 'text') {
    sql = `${ref} ${nocase ? 'ilike' : 'like'} ${likePattern(op, p.add(toParam(value)))}`;
  } else if (
    col.kind === 'bytea' &&
    col.references === null &&
    (op === 'contains' || op === 'not_contains')
  ) {
    sql = `position(${paramSql('bytea', false, p.add(toParam(value)))} in ${ref}) > 0`;
  } else if (col.kind === 'bytea') {
    // A reference to a Bytes id takes String operators on its `0x…` text, as graph-node exposes them.
    const text =
      value.kind === 'Bytes' ? `0x${Buffer.from(value.value).toString('hex')}` : toParam(value);
    sql = `('0x' || encode(${ref}, 'hex')) ${nocase ? 'ilike' : 'like'} ${likePattern(op, p.add(text))}`;
  } else {
    throw new QueryError(`Filter \`${filter.field}_${op}\` is not supported for this field's type`);
  }
  return negate ? `not (${sql})` : sql;
}

function childSql(
  context: QueryContext,
  layout: TableLayout,
  alias: string,
  filter: Extract<EntityFilter, { kind: 'child' }>,
  depth: number,
): string {
  const field = layout.type.fieldsByName.get(filter.field);
  if (!field || (field.type.kind !== 'entity' && field.type.kind !== 'interface')) {
    throw new QueryError(
      `Field \`${layout.type.name}.${filter.field}\` does not reference entities; \`${filter.field}_\` is not available`,
    );
  }
  if (depth > 0)
    throw new QueryError(`Child filter nesting not supported by value \`${filter.field}_\``);
  const childAlias = `c${depth + 1}`;
  const parts = layoutsFor(context, field.type.name).map((child) => {
    let link: string;
    if (field.derivedFrom !== null) {
      const back = column(child, field.derivedFrom);
      link = back.list
        ? `${alias}.${layout.id.sqlName} = any(${childAlias}.${back.sqlName})`
        : `${childAlias}.${back.sqlName} = ${alias}.${layout.id.sqlName}`;
    } else {
      const own = column(layout, field.name);
      link = own.list
        ? `${childAlias}.${child.id.sqlName} = any(${alias}.${own.sqlName})`
        : `${childAlias}.${child.id.sqlName} = ${alias}.${own.sqlName}`;
    }
    const inner = filterSql(context, child, childAlias, filter.filter, depth + 1);
    return `exists (select 1 from ${child.qualified} ${childAlias} where ${link} and ${visibleSql(child, childAlias, context.block)} and ${inner})`;
  });
  return parts.length === 0 ? 'false' : `(${parts.join(' or ')})`;
}

/** SQL for a filter evaluated against table `layout` aliased `alias`. */
export function filterSql(
  context: QueryContext,
  layout: TableLayout,
  alias: string,
  filter: EntityFilter,
  depth = 0,
): string {
  switch (filter.kind) {
    case 'and':
      return filter.filters.length === 0
        ? 'true'
        : `(${filter.filters.map((f) => filterSql(context, layout, alias, f, depth)).join(' and ')})`;
    case 'or':
      return filter.filters.length === 0
        ? 'false'
        : `(${filter.filters.map((f) => filterSql(context, layout, alias, f, depth)).join(' or ')})`;
    case 'compare':
      return compareSql(context, layout, alias, filter);
    case 'child':
      return childSql(context, layout, alias, filter, depth);
    case 'changedSince': {
      const block = context.params.add(filter.block);
      return layout.immutable
        ? `${alias}."block$" >= ${block}::int4`
        : `lower(${alias}.block_range) >= ${block}::int4`;
    }
  }
}

/** The expression an `orderBy` sorts on, and whether it is text (sorted bytewise, "C" collation). */
export function orderKeySql(
  context: QueryContext,
  layout: TableLayout,
  alias: string,
  order: EntityOrder,
): { sql: string; text: boolean } {
  const col = column(layout, order.field);
  if (col.list) throw new QueryError(`Ordering by list field \`${order.field}\` is not supported`);
  if (order.child === undefined)
    return { sql: `${alias}.${col.sqlName}`, text: col.kind === 'text' };
  if (col.references === null)
    throw new QueryError(
      `\`${order.field}\` is not an entity reference; cannot order by \`${order.field}__${order.child}\``,
    );
  const childLayouts = layoutsFor(context, col.references);
  let text = false;
  const keys = childLayouts.map((child) => {
    const childCol = column(child, order.child!);
    if (childCol.list || childCol.references !== null) {
      throw new QueryError(
        `Cannot order by \`${order.field}__${order.child}\`: only scalar child fields can be used`,
      );
    }
    text = childCol.kind === 'text';
    return `(select o.${childCol.sqlName} from ${child.qualified} o where o.${child.id.sqlName} = ${alias}.${col.sqlName} and ${visibleSql(child, 'o', context.block)} limit 1)`;
  });
  return { sql: keys.length === 1 ? keys[0]! : `coalesce(${keys.join(', ')})`, text };
}
