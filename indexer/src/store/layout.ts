import type {
  EntityTypeDefinition,
  FieldDefinition,
  IdType,
  SubgraphSchema,
} from '../schema/index.js';
import { SchemaError } from '../schema/index.js';
import type { EntityData, StoreValue } from './types.js';

/**
 * How entities map onto Postgres, following graph-node's relational layout: one table per entity
 * type named in snake_case, one column per stored field, `vid` as the version's primary key, and
 * either `block_range int4range` (mutable types: the blocks in which this version is current) or
 * `block$ int` (immutable types: the creation block).
 */

/** The SQL element type of a column (lists are arrays of it). */
export type ColumnKind = 'text' | 'bytea' | 'int4' | 'int8' | 'numeric' | 'boolean' | 'timestamptz';

/** Which StoreValue kind a column holds, so values can be decoded exactly. */
export type ValueKind =
  'String' | 'Bytes' | 'Int' | 'Int8' | 'BigInt' | 'BigDecimal' | 'Bool' | 'Timestamp';

export interface ColumnLayout {
  readonly field: FieldDefinition;
  /** Quoted column name. */
  readonly sqlName: string;
  readonly kind: ColumnKind;
  readonly valueKind: ValueKind;
  readonly list: boolean;
  /** The entity type (or interface) referenced, for child filters and nested ordering. */
  readonly references: string | null;
}

export interface TableLayout {
  readonly type: EntityTypeDefinition;
  /** Fully qualified, quoted table name. */
  readonly qualified: string;
  readonly columns: readonly ColumnLayout[];
  readonly columnsByField: ReadonlyMap<string, ColumnLayout>;
  readonly id: ColumnLayout;
  readonly immutable: boolean;
}

const RESERVED = new Set(['vid', 'block_range', 'block$', 'causality_region']);

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** graph-node's SqlName: snake_case of a GraphQL name (`TokenDayData` → `token_day_data`). */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

function idKinds(idType: IdType): { kind: ColumnKind; valueKind: ValueKind } {
  switch (idType) {
    case 'Bytes':
      return { kind: 'bytea', valueKind: 'Bytes' };
    case 'Int8':
      return { kind: 'int8', valueKind: 'Int8' };
    default:
      return { kind: 'text', valueKind: 'String' };
  }
}

export function columnKinds(
  schema: SubgraphSchema,
  field: FieldDefinition,
): { kind: ColumnKind; valueKind: ValueKind } {
  switch (field.type.kind) {
    case 'enum':
      return { kind: 'text', valueKind: 'String' };
    case 'entity':
    case 'interface': {
      const target = schema.entities.get(field.type.name) ?? schema.interfaces.get(field.type.name);
      return idKinds(target?.idType ?? 'ID');
    }
    case 'scalar':
      switch (field.type.name) {
        case 'ID':
        case 'String':
          return { kind: 'text', valueKind: 'String' };
        case 'Bytes':
          return { kind: 'bytea', valueKind: 'Bytes' };
        case 'Int':
          return { kind: 'int4', valueKind: 'Int' };
        case 'Int8':
          return { kind: 'int8', valueKind: 'Int8' };
        case 'BigInt':
          return { kind: 'numeric', valueKind: 'BigInt' };
        case 'BigDecimal':
          return { kind: 'numeric', valueKind: 'BigDecimal' };
        case 'Boolean':
          return { kind: 'boolean', valueKind: 'Bool' };
        case 'Timestamp':
          return { kind: 'timestamptz', valueKind: 'Timestamp' };
      }
  }
}

export function tableLayout(
  schema: SubgraphSchema,
  type: EntityTypeDefinition,
  namespace: string,
): TableLayout {
  const seen = new Map<string, string>();
  const columns: ColumnLayout[] = [];
  for (const field of type.fields) {
    if (field.derivedFrom !== null) continue;
    const name = snakeCase(field.name);
    if (RESERVED.has(name))
      throw new SchemaError(
        `Field \`${type.name}.${field.name}\` uses the reserved column name \`${name}\``,
      );
    const clash = seen.get(name);
    if (clash)
      throw new SchemaError(
        `Fields \`${type.name}.${clash}\` and \`${field.name}\` map to the same column \`${name}\``,
      );
    seen.set(name, field.name);
    columns.push({
      field,
      sqlName: quoteIdent(name),
      ...columnKinds(schema, field),
      list: field.list,
      references:
        field.type.kind === 'entity' || field.type.kind === 'interface' ? field.type.name : null,
    });
  }
  const columnsByField = new Map(columns.map((column) => [column.field.name, column]));
  return {
    type,
    qualified: `${quoteIdent(namespace)}.${quoteIdent(snakeCase(type.name))}`,
    columns,
    columnsByField,
    id: columnsByField.get('id')!,
    immutable: type.immutable,
  };
}

function sqlType(column: Pick<ColumnLayout, 'kind' | 'list'>): string {
  return column.list ? `${column.kind}[]` : column.kind;
}

/** DDL for one entity table, with graph-node's indexes (exclusion constraint on id × block_range). */
export function createTableSql(layout: TableLayout): string[] {
  const columns = layout.columns.map(
    (column) => `${column.sqlName} ${sqlType(column)}${column.field.nonNull ? ' not null' : ''}`,
  );
  const versioning = layout.immutable
    ? ['"block$" int not null']
    : ['block_range int4range not null'];
  const table = layout.qualified;
  const bare = table.split('.')[1]!.replaceAll('"', '');
  // Index names live in the same namespace as tables: `run` + `_stats` would be the RunStats table.
  // Table names are snake_case and never contain `$`, so this separator cannot collide.
  const indexName = (suffix: string): string => quoteIdent(`${bare}$${suffix}`);
  const statements = [
    `create table if not exists ${table} (vid bigserial primary key, ${[...versioning, ...columns].join(', ')}${
      layout.immutable ? `, unique (${layout.id.sqlName})` : ''
    })`,
  ];
  if (layout.immutable) {
    statements.push(`create index if not exists ${indexName('block')} on ${table} ("block$")`);
  } else {
    // graph-node keeps versions apart with a GiST exclusion constraint (id =, block_range &&).
    // Here the write path guarantees it (blocks are written once, in order, closing the current
    // version before inserting the next), and a unique btree on (id, first block) catches a
    // second version of an entity in one block. GiST made PGlite inserts ~9x slower (measured:
    // 2 900 vs 26 000 rows/s), and a btree also serves `id = any($ids)`, which GiST cannot.
    statements.push(
      `create unique index if not exists ${indexName('id_block')} on ${table} (${layout.id.sqlName}, lower(block_range))`,
    );
    statements.push(
      `create index if not exists ${indexName('block_range_lower')} on ${table} (lower(block_range))`,
    );
    statements.push(
      `create index if not exists ${indexName('block_range_upper')} on ${table} (coalesce(upper(block_range), 2147483647))`,
    );
  }
  // Text ids are ordered byte-wise (`collate "C"`, graph-node's order), but the unique index above
  // has the database's default collation, which such an `order by` cannot use: without this
  // index, `first: 1000` ordered by id sorts every visible row (issue 15: 77 ms at 100k rows).
  if (layout.id.kind === 'text') {
    statements.push(
      `create index if not exists ${indexName('id_c')} on ${table} (${layout.id.sqlName} collate "C")`,
    );
  }
  // graph-node indexes every attribute; we index scalar columns (not lists, not the id which the
  // constraint covers) with btree, which serves filters, ordering and reverse lookups.
  for (const column of layout.columns) {
    if (column.list || column === layout.id) continue;
    const expression = column.kind === 'text' ? `left(${column.sqlName}, 256)` : column.sqlName;
    statements.push(
      `create index if not exists ${indexName(column.sqlName.replaceAll('"', ''))} on ${table} (${expression})`,
    );
  }
  return statements;
}

// ---- values in and out -------------------------------------------------------------------

/** A parameter as text (or text[] for lists) plus the SQL that turns `$n` into the column type. */
export function paramSql(kind: ColumnKind, list: boolean, placeholder: string): string {
  if (!list) {
    switch (kind) {
      case 'text':
        return `${placeholder}::text`;
      case 'bytea':
        return `decode(${placeholder}::text, 'hex')`;
      case 'timestamptz':
        return `(timestamptz 'epoch' + ${placeholder}::int8 * interval '1 microsecond')`;
      default:
        return `${placeholder}::${kind}`;
    }
  }
  switch (kind) {
    case 'bytea':
      return `array(select decode(x, 'hex') from unnest(${placeholder}::text[]) with ordinality u(x, o) order by o)`;
    case 'timestamptz':
      return `array(select timestamptz 'epoch' + x::int8 * interval '1 microsecond' from unnest(${placeholder}::text[]) with ordinality u(x, o) order by o)`;
    default:
      return `${placeholder}::text[]::${kind}[]`;
  }
}

/** SQL reading a column as something both drivers return exactly (text for wide numbers). */
export function readSql(column: Pick<ColumnLayout, 'kind' | 'list'>, ref: string): string {
  if (!column.list) {
    switch (column.kind) {
      case 'bytea':
        return `encode(${ref}, 'hex')`;
      case 'int8':
      case 'numeric':
        return `${ref}::text`;
      case 'timestamptz':
        return `(extract(epoch from ${ref}) * 1000000)::int8::text`;
      default:
        return ref;
    }
  }
  switch (column.kind) {
    case 'bytea':
      return `case when ${ref} is null then null else array(select encode(x, 'hex') from unnest(${ref}) with ordinality u(x, o) order by o) end`;
    case 'timestamptz':
      return `case when ${ref} is null then null else array(select (extract(epoch from x) * 1000000)::int8::text from unnest(${ref}) with ordinality u(x, o) order by o) end`;
    case 'int8':
    case 'numeric':
      return `${ref}::text[]`;
    default:
      return ref;
  }
}

/** A StoreValue as the text parameter `paramSql` expects (null stays null). */
export function toParam(value: StoreValue): string | null {
  switch (value.kind) {
    case 'Null':
      return null;
    case 'String':
      return value.value;
    case 'Bytes':
      return Buffer.from(value.value).toString('hex');
    case 'Bool':
      return value.value ? 'true' : 'false';
    case 'List':
      throw new TypeError('lists go through toListParam');
    default:
      return String(value.value);
  }
}

export function toListParam(value: StoreValue): (string | null)[] | null {
  if (value.kind === 'Null') return null;
  if (value.kind !== 'List') throw new TypeError(`expected a list, got ${value.kind}`);
  return value.value.map(toParam);
}

/** An id string (hex for Bytes ids, decimal for Int8) as a text parameter. */
export function idToParam(kind: ValueKind, id: string): string {
  if (kind === 'Bytes')
    return id.startsWith('0x') || id.startsWith('0X')
      ? id.slice(2).toLowerCase()
      : id.toLowerCase();
  return id;
}

/** Decodes one value read with `readSql`. */
export function fromSql(valueKind: ValueKind, list: boolean, raw: unknown): StoreValue {
  if (raw === null || raw === undefined) return { kind: 'Null' };
  if (list) {
    return {
      kind: 'List',
      value: (raw as unknown[]).map((element) => fromSql(valueKind, false, element)),
    };
  }
  switch (valueKind) {
    case 'String':
      return { kind: 'String', value: String(raw) };
    case 'Bytes':
      return { kind: 'Bytes', value: new Uint8Array(Buffer.from(String(raw), 'hex')) };
    case 'Int':
      return { kind: 'Int', value: Number(raw) };
    case 'Int8':
      return { kind: 'Int8', value: BigInt(String(raw)) };
    case 'BigInt':
      return { kind: 'BigInt', value: BigInt(String(raw)) };
    case 'BigDecimal':
      return { kind: 'BigDecimal', value: normalizeDecimalText(String(raw)) };
    case 'Bool':
      return { kind: 'Bool', value: raw === true || raw === 't' || raw === 'true' };
    case 'Timestamp':
      return { kind: 'Timestamp', value: BigInt(String(raw)) };
  }
}

/** Postgres keeps a numeric's scale (`1.50`); graph-node prints normalised decimals (`1.5`). */
export function normalizeDecimalText(text: string): string {
  if (!text.includes('.')) return text === '-0' ? '0' : text;
  let result = text.replace(/0+$/, '').replace(/\.$/, '');
  if (result === '-0' || result === '') result = '0';
  return result;
}

/** Decodes a row of `c0…cn` columns into entity data (null fields omitted). */
export function rowToEntity(layout: TableLayout, row: Record<string, unknown>): EntityData {
  const data: Record<string, StoreValue> = {};
  layout.columns.forEach((column, index) => {
    const value = fromSql(column.valueKind, column.list, row[`c${index}`]);
    if (value.kind !== 'Null') data[column.field.name] = value;
  });
  return data;
}

/** The select list for `rowToEntity`, reading from table alias `alias`. */
export function selectColumnsSql(layout: TableLayout, alias: string): string {
  return layout.columns
    .map((column, index) => `${readSql(column, `${alias}.${column.sqlName}`)} as c${index}`)
    .join(', ');
}
