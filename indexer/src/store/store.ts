import type { SubgraphSchema } from '../schema/index.js';
import { UnknownEntityTypeError } from '../schema/index.js';
import { decodeEntityJson, encodeEntityJson } from './codec.js';
import { openPglite, openPostgres, type Database, type Queryable } from './db.js';
import {
  BlockOrderError,
  ImmutableEntityError,
  QueryError,
  SchemaMismatchError,
} from './errors.js';
import {
  createTableSql,
  idToParam,
  paramSql,
  quoteIdent,
  rowToEntity,
  selectColumnsSql,
  tableLayout,
  toListParam,
  toParam,
  readSql,
  fromSql,
  type TableLayout,
} from './layout.js';
import {
  filterSql,
  layoutsFor,
  orderKeySql,
  Params,
  visibleSql,
  type EntityFilter,
  type EntityQuery,
  type QueryContext,
} from './query.js';
import type {
  BlockPtr,
  DynamicDataSource,
  EntityData,
  EntityOperation,
  IndexingError,
  StoreValue,
  SubgraphStore,
} from './types.js';

export interface StoreOptions {
  readonly schema: SubgraphSchema;
  /** Postgres URL (a server through `pg`); when absent, embedded PGlite in `dataDir`. */
  readonly databaseUrl?: string | undefined;
  /** PGlite data directory (created if missing, reopened after a restart). */
  readonly dataDir?: string | undefined;
  /** Postgres schema holding this subgraph's tables (graph-node uses `sgdN`). */
  readonly namespace?: string | undefined;
}

/** An entity with its concrete type (interfaces resolve to the implementing type). */
export interface EntityRecord {
  readonly typename: string;
  readonly data: EntityData;
}

/** Rows per INSERT statement (bounds the size of each array parameter). */
const ROWS_PER_INSERT = 5_000;

interface BlockRow {
  number: number;
  hash: string;
  parent_hash: string;
  timestamp: string;
}

function toBlockPtr(row: BlockRow): BlockPtr {
  return {
    number: Number(row.number),
    hash: row.hash as `0x${string}`,
    parentHash: row.parent_hash as `0x${string}`,
    timestamp: Number(row.timestamp),
  };
}

/**
 * The subgraph store: entity versions with block ranges in Postgres (PGlite or a server), so
 * queries can read any past block and reorgs revert exactly; block pointers, dynamic data sources
 * and indexing errors live beside the entity tables in the same schema and are written in the same
 * transaction as the block's entities.
 */
export class PostgresSubgraphStore implements SubgraphStore {
  readonly layouts: ReadonlyMap<string, TableLayout>;
  private cachedHead: BlockPtr | null = null;
  /** Entity writes since the last ANALYZE, and the rows counted then (PGlite only). */
  private writesSinceAnalyze = 0;
  private rowsAtAnalyze = 0;
  private cachedErrors: IndexingError[] = [];

  private constructor(
    readonly db: Database,
    readonly schema: SubgraphSchema,
    readonly namespace: string,
  ) {
    this.layouts = new Map(
      [...schema.entities.values()].map((type) => [
        type.name,
        tableLayout(schema, type, namespace),
      ]),
    );
  }

  /** Opens (and on first use creates) the store; resumes from the recorded head. */
  static async open(options: StoreOptions): Promise<PostgresSubgraphStore> {
    const db = options.databaseUrl
      ? await openPostgres(options.databaseUrl)
      : await openPglite(options.dataDir ?? '.data/indexer');
    const store = new PostgresSubgraphStore(db, options.schema, options.namespace ?? 'subgraph');
    try {
      await store.migrate();
    } catch (error) {
      await db.close();
      throw error;
    }
    return store;
  }

  private table(name: string): string {
    return `${quoteIdent(this.namespace)}.${quoteIdent(name)}`;
  }

  private layout(entityType: string): TableLayout {
    const layout = this.layouts.get(entityType);
    if (!layout) throw new UnknownEntityTypeError(entityType);
    return layout;
  }

  private async migrate(): Promise<void> {
    await this.db.exec(`create schema if not exists ${quoteIdent(this.namespace)}`);
    const ddl = [
      `create table if not exists ${this.table('_deployment_')} (singleton boolean primary key default true check (singleton), schema_sdl text not null, head_number int, head_hash text, head_parent_hash text, head_timestamp int8)`,
      `create table if not exists ${this.table('_blocks_')} (number int primary key, hash text not null, parent_hash text not null, timestamp int8 not null)`,
      `create index if not exists "_blocks_hash" on ${this.table('_blocks_')} (hash)`,
      `create table if not exists ${this.table('_data_sources_')} (vid bigserial primary key, template text not null, address text not null, context text, created_at_block int not null)`,
      `create table if not exists ${this.table('_indexing_errors_')} (vid bigserial primary key, block_number int not null, block_hash text not null, parent_hash text not null, block_timestamp int8 not null, handler text not null, message text not null)`,
    ];
    await this.db.transaction(async (tx) => {
      await tx.exec(ddl.join(';\n'));
      const rows = await tx.query<{ schema_sdl: string }>(
        `select schema_sdl from ${this.table('_deployment_')}`,
      );
      if (rows.length === 0) {
        await tx.query(`insert into ${this.table('_deployment_')} (schema_sdl) values ($1)`, [
          this.schema.sdl,
        ]);
      } else if (rows[0]!.schema_sdl !== this.schema.sdl) {
        throw new SchemaMismatchError(
          `the database schema "${this.namespace}" was created for a different schema.graphql; use a new data directory (or namespace) or delete the old one`,
        );
      }
      // One round trip: PGlite pays per statement call, and a schema has dozens of indexes.
      await tx.exec(
        [...this.layouts.values()].flatMap((layout) => createTableSql(layout)).join(';\n'),
      );
    });
    await this.refreshHead();
  }

  private async refreshHead(): Promise<void> {
    const rows = await this.db.query<{
      head_number: number | null;
      head_hash: string;
      head_parent_hash: string;
      head_timestamp: string;
    }>(
      `select head_number, head_hash, head_parent_hash, head_timestamp::text from ${this.table('_deployment_')}`,
    );
    const row = rows[0];
    this.cachedHead =
      row && row.head_number !== null
        ? toBlockPtr({
            number: row.head_number,
            hash: row.head_hash,
            parent_hash: row.head_parent_hash,
            timestamp: row.head_timestamp,
          })
        : null;
    this.cachedErrors = await this.loadErrors();
  }

  // ---- SubgraphStore ------------------------------------------------------------------------

  async head(): Promise<BlockPtr | null> {
    return this.cachedHead;
  }

  async blockPtr(number: number): Promise<BlockPtr | null> {
    const rows = await this.db.query<BlockRow>(
      `select number, hash, parent_hash, timestamp::text as timestamp from ${this.table('_blocks_')} where number = $1`,
      [number],
    );
    return rows[0] ? toBlockPtr(rows[0]) : null;
  }

  /** The block pointer with this hash, if the subgraph has processed it. */
  async blockByHash(hash: string): Promise<BlockPtr | null> {
    const rows = await this.db.query<BlockRow>(
      `select number, hash, parent_hash, timestamp::text as timestamp from ${this.table('_blocks_')} where hash = $1`,
      [hash.toLowerCase()],
    );
    return rows[0] ? toBlockPtr(rows[0]) : null;
  }

  async get(entityType: string, id: string, block?: number): Promise<EntityData | null> {
    const found = await this.getMany(entityType, [id], block ?? this.cachedHead?.number ?? -1);
    return found.get(id) ?? null;
  }

  /** Entities by id at a block, keyed by the id as given. */
  async getMany(
    entityType: string,
    ids: readonly string[],
    block: number,
  ): Promise<Map<string, EntityData>> {
    const result = new Map<string, EntityData>();
    if (ids.length === 0) return result;
    for (const layout of layoutsFor(this, entityType)) {
      const params = new Params();
      const idParam = params.add(ids.map((id) => idToParam(layout.id.valueKind, id)));
      const blockParam = params.add(block);
      const rows = await this.db.query<Record<string, unknown>>(
        `select ${selectColumnsSql(layout, 'e')} from ${layout.qualified} e where e.${layout.id.sqlName} = any(${paramSql(layout.id.kind, true, idParam)}) and ${visibleSql(layout, 'e', blockParam)}`,
        params.values,
      );
      const requested = new Map(ids.map((id) => [normaliseIdText(layout.id.valueKind, id), id]));
      for (const row of rows) {
        const data = rowToEntity(layout, row);
        const key = idKey(data.id!);
        result.set(requested.get(key) ?? key, data);
      }
    }
    return result;
  }

  async findReferencing(entityType: string, field: string, id: string): Promise<EntityData[]> {
    const layout = this.layout(entityType);
    const column = layout.columnsByField.get(field);
    if (!column) throw new QueryError(`Type \`${entityType}\` has no stored field \`${field}\``);
    const params = new Params();
    const value = paramSql(column.kind, false, params.add(idToParam(column.valueKind, id)));
    const condition = column.list
      ? `${value} = any(e.${column.sqlName})`
      : `e.${column.sqlName} = ${value}`;
    const rows = await this.db.query<Record<string, unknown>>(
      `select ${selectColumnsSql(layout, 'e')} from ${layout.qualified} e where ${condition} and ${visibleSql(layout, 'e', params.add(this.cachedHead?.number ?? -1))} order by e.${layout.id.sqlName}`,
      params.values,
    );
    return rows.map((row) => rowToEntity(layout, row));
  }

  async transactBlock(
    block: BlockPtr,
    operations: readonly EntityOperation[],
    dataSources: readonly DynamicDataSource[],
  ): Promise<void> {
    const head = this.cachedHead;
    if (head && block.number <= head.number) {
      throw new BlockOrderError(
        `block ${block.number} is not above the store's head ${head.number}; revert to ${block.number - 1} first`,
      );
    }
    // The last operation per entity wins (the host's cache already merged the block's writes).
    const byType = new Map<string, Map<string, EntityOperation>>();
    for (const operation of operations) {
      const layout = this.layout(operation.entityType);
      let ops = byType.get(layout.type.name);
      if (!ops) byType.set(layout.type.name, (ops = new Map()));
      ops.set(normaliseIdText(layout.id.valueKind, operation.id), operation);
    }
    await this.db.transaction(async (tx) => {
      for (const [typeName, ops] of byType) {
        await this.writeEntities(tx, this.layout(typeName), block.number, [...ops.values()]);
      }
      await tx.query(
        `insert into ${this.table('_blocks_')} (number, hash, parent_hash, timestamp) values ($1, $2, $3, $4::int8) on conflict (number) do update set hash = excluded.hash, parent_hash = excluded.parent_hash, timestamp = excluded.timestamp`,
        [
          block.number,
          block.hash.toLowerCase(),
          block.parentHash.toLowerCase(),
          String(block.timestamp),
        ],
      );
      for (const source of dataSources) {
        await tx.query(
          `insert into ${this.table('_data_sources_')} (template, address, context, created_at_block) values ($1, $2, $3, $4)`,
          [
            source.template,
            source.address,
            source.context ? encodeEntityJson(source.context) : null,
            source.createdAtBlock,
          ],
        );
      }
      await tx.query(
        `update ${this.table('_deployment_')} set head_number = $1, head_hash = $2, head_parent_hash = $3, head_timestamp = $4::int8`,
        [
          block.number,
          block.hash.toLowerCase(),
          block.parentHash.toLowerCase(),
          String(block.timestamp),
        ],
      );
    });
    this.cachedHead = {
      ...block,
      hash: block.hash.toLowerCase() as `0x${string}`,
      parentHash: block.parentHash.toLowerCase() as `0x${string}`,
    };
    this.writesSinceAnalyze += operations.length;
    await this.maybeAnalyze();
  }

  /**
   * PGlite has no autovacuum, so its planner never gets statistics and, e.g., walks the block
   * index for a selective `value_gt` filter. Like autovacuum's analyze threshold (50 rows + 10 %
   * of the table), gather them once enough has been written since the last time. A server's
   * autovacuum does this itself.
   */
  private async maybeAnalyze(): Promise<void> {
    if (this.db.kind !== 'pglite') return;
    if (this.writesSinceAnalyze < 50 + 0.1 * this.rowsAtAnalyze) return;
    this.rowsAtAnalyze += this.writesSinceAnalyze;
    this.writesSinceAnalyze = 0;
    await this.db.exec(`analyze`);
  }

  private async writeEntities(
    tx: Queryable,
    layout: TableLayout,
    blockNumber: number,
    ops: readonly EntityOperation[],
  ): Promise<void> {
    const ids = ops.map((op) => idToParam(layout.id.valueKind, op.id));
    const idArray = paramSql(layout.id.kind, true, '$1');
    if (layout.immutable) {
      const removal = ops.find((op) => op.op === 'remove');
      if (removal) {
        throw new ImmutableEntityError(
          `Entity ${layout.type.name}[${removal.id}] is immutable and cannot be removed`,
        );
      }
      const existing = await tx.query<{ id: string }>(
        `select ${readSql(layout.id, `e.${layout.id.sqlName}`)} as id from ${layout.qualified} e where e.${layout.id.sqlName} = any(${idArray}) limit 1`,
        [ids],
      );
      if (existing[0]) {
        throw new ImmutableEntityError(
          `Entity ${layout.type.name}[${existing[0].id}] is immutable and was already written; it can not be updated since it is immutable`,
        );
      }
    } else {
      // Close the current versions; a version that started in this very block cannot exist
      // because blocks are written once, in order.
      await tx.query(
        `update ${layout.qualified} set block_range = int4range(lower(block_range), $2::int4) where ${layout.id.sqlName} = any(${idArray}) and upper_inf(block_range)`,
        [ids, blockNumber],
      );
    }
    const sets = ops.filter((op): op is Extract<EntityOperation, { op: 'set' }> => op.op === 'set');
    if (sets.length === 0) return;
    // One INSERT … SELECT FROM unnest(column arrays): a fixed, small statement with one text[]
    // parameter per column however many rows the block has (lists travel as JSON text).
    const versionColumn = layout.immutable ? '"block$"' : 'block_range';
    const columnList = [versionColumn, ...layout.columns.map((c) => c.sqlName)].join(', ');
    for (let start = 0; start < sets.length; start += ROWS_PER_INSERT) {
      const chunk = sets.slice(start, start + ROWS_PER_INSERT);
      const params = new Params();
      const block = params.add(blockNumber);
      const version = layout.immutable ? `${block}::int4` : `int4range(${block}::int4, null)`;
      const arrays: string[] = [];
      const values = layout.columns.map((column, index) => {
        const texts = chunk.map((op) => {
          const value: StoreValue =
            column === layout.id
              ? idValue(layout, op.id, op.data.id)
              : (op.data[column.field.name] ?? { kind: 'Null' });
          if (!column.list) return toParam(value);
          const list = toListParam(value);
          return list === null ? null : JSON.stringify(list);
        });
        arrays.push(`${params.add(texts)}::text[]`);
        const cell = `u.c${index}`;
        if (!column.list) return paramSql(column.kind, false, cell);
        return `case when ${cell} is null then null else array(select ${paramSql(column.kind, false, 'j.x')} from jsonb_array_elements_text(${cell}::jsonb) with ordinality j(x, o) order by j.o) end`;
      });
      const names = layout.columns.map((_, index) => `c${index}`).join(', ');
      await tx.query(
        `insert into ${layout.qualified} (${columnList}) select ${version}, ${values.join(', ')} from unnest(${arrays.join(', ')}) as u(${names})`,
        params.values,
      );
    }
  }

  async revertTo(blockNumber: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const layout of this.layouts.values()) {
        if (layout.immutable) {
          await tx.query(`delete from ${layout.qualified} where "block$" > $1::int4`, [
            blockNumber,
          ]);
        } else {
          await tx.query(`delete from ${layout.qualified} where lower(block_range) > $1::int4`, [
            blockNumber,
          ]);
          await tx.query(
            `update ${layout.qualified} set block_range = int4range(lower(block_range), null) where not upper_inf(block_range) and upper(block_range) > $1::int4`,
            [blockNumber],
          );
        }
      }
      await tx.query(`delete from ${this.table('_blocks_')} where number > $1`, [blockNumber]);
      await tx.query(`delete from ${this.table('_data_sources_')} where created_at_block > $1`, [
        blockNumber,
      ]);
      await tx.query(`delete from ${this.table('_indexing_errors_')} where block_number > $1`, [
        blockNumber,
      ]);
      const rows = await tx.query<BlockRow>(
        `select number, hash, parent_hash, timestamp::text as timestamp from ${this.table('_blocks_')} where number <= $1 order by number desc limit 1`,
        [blockNumber],
      );
      const ptr = rows[0];
      await tx.query(
        `update ${this.table('_deployment_')} set head_number = $1, head_hash = $2, head_parent_hash = $3, head_timestamp = $4::int8`,
        ptr ? [ptr.number, ptr.hash, ptr.parent_hash, ptr.timestamp] : [null, null, null, null],
      );
    });
    await this.refreshHead();
  }

  async dynamicDataSources(): Promise<DynamicDataSource[]> {
    const rows = await this.db.query<{
      template: string;
      address: string;
      context: string | null;
      created_at_block: number;
    }>(
      `select template, address, context, created_at_block from ${this.table('_data_sources_')} order by vid`,
    );
    return rows.map((row) => ({
      template: row.template,
      address: row.address as `0x${string}`,
      context: row.context === null ? null : decodeEntityJson(row.context),
      createdAtBlock: Number(row.created_at_block),
    }));
  }

  async recordIndexingError(error: IndexingError): Promise<void> {
    await this.db.query(
      `insert into ${this.table('_indexing_errors_')} (block_number, block_hash, parent_hash, block_timestamp, handler, message) values ($1, $2, $3, $4::int8, $5, $6)`,
      [
        error.block.number,
        error.block.hash.toLowerCase(),
        error.block.parentHash.toLowerCase(),
        String(error.block.timestamp),
        error.handler,
        error.message,
      ],
    );
    this.cachedErrors = await this.loadErrors();
  }

  async indexingErrors(): Promise<IndexingError[]> {
    return [...this.cachedErrors];
  }

  private async loadErrors(): Promise<IndexingError[]> {
    const rows = await this.db.query<{
      block_number: number;
      block_hash: string;
      parent_hash: string;
      block_timestamp: string;
      handler: string;
      message: string;
    }>(
      `select block_number, block_hash, parent_hash, block_timestamp::text, handler, message from ${this.table('_indexing_errors_')} order by vid`,
    );
    return rows.map((row) => ({
      block: toBlockPtr({
        number: row.block_number,
        hash: row.block_hash,
        parent_hash: row.parent_hash,
        timestamp: row.block_timestamp,
      }),
      handler: row.handler,
      message: row.message,
    }));
  }

  /** True iff an indexing error is recorded at or below `block` (graph-node's `hasIndexingErrors`). */
  hasIndexingErrors(block: number): boolean {
    return this.cachedErrors.some((error) => error.block.number <= block);
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  // ---- queries --------------------------------------------------------------------------------

  /**
   * The same collection query for many parents at once (graph-node's windowed child queries):
   * entities of one type whose `field` equals (or, for a list field, contains) each parent id,
   * filtered, ordered and paged per parent, in one statement. Keyed by the parent id's text.
   */
  async findForParents(
    query: EntityQuery,
    field: string,
    parentIds: readonly StoreValue[],
  ): Promise<Map<string, EntityRecord[]>> {
    const layouts = layoutsFor(this, query.type);
    const result = new Map<string, EntityRecord[]>();
    if (layouts.length !== 1 || parentIds.length === 0) {
      for (const id of parentIds) {
        const filter: EntityFilter = { kind: 'compare', field, op: 'eq', value: id };
        const back = layouts[0]?.columnsByField.get(field);
        const link: EntityFilter = back?.list
          ? { kind: 'compare', field, op: 'contains', value: { kind: 'List', value: [id] } }
          : filter;
        const own = await this.find({
          ...query,
          filter: query.filter ? { kind: 'and', filters: [link, query.filter] } : link,
        });
        result.set(idKey(id), own);
      }
      return result;
    }
    const layout = layouts[0]!;
    const back = layout.columnsByField.get(field);
    if (!back)
      throw new QueryError(`Type \`${layout.type.name}\` has no stored field \`${field}\``);
    const params = new Params();
    const context: QueryContext = {
      schema: this.schema,
      layouts: this.layouts,
      params,
      block: params.add(query.block),
    };
    const parents = paramSql(back.kind, true, params.add(parentIds.map((id) => toParam(id))));
    const link = back.list ? `p.pid = any(e.${back.sqlName})` : `e.${back.sqlName} = p.pid`;
    const inner = this.singleTypeSql(layout, query, context, link);
    const sql = `select ${readSql({ kind: back.kind, list: false }, 'p.pid')} as parent_id, x.* from unnest(${parents}) as p(pid) cross join lateral (${inner}) x`;
    const rows = await this.db.query<Record<string, unknown>>(sql, params.values);
    for (const row of rows) {
      const parent = fromSql(back.valueKind, false, row.parent_id);
      const key = idKey(parent);
      const list = result.get(key) ?? [];
      list.push({ typename: layout.type.name, data: rowToEntity(layout, row) });
      result.set(key, list);
    }
    return result;
  }

  private singleTypeSql(
    layout: TableLayout,
    query: EntityQuery,
    context: QueryContext,
    extraWhere?: string,
  ): string {
    const direction = query.order?.direction === 'desc' ? 'desc' : 'asc';
    const where = [visibleSql(layout, 'e', context.block)];
    if (extraWhere) where.push(extraWhere);
    if (query.filter) where.push(filterSql(context, layout, 'e', query.filter));
    const order: string[] = [];
    if (query.order && query.order.field !== 'id') {
      const key = orderKeySql(context, layout, 'e', query.order);
      order.push(`${key.sql}${key.text ? ' collate "C"' : ''} ${direction}`);
    }
    order.push(
      `e.${layout.id.sqlName}${layout.id.kind === 'text' ? ' collate "C"' : ''} ${direction}`,
    );
    return `select ${selectColumnsSql(layout, 'e')} from ${layout.qualified} e where ${where.join(' and ')} order by ${order.join(', ')} limit ${context.params.add(query.first)} offset ${context.params.add(query.skip)}`;
  }

  /** Runs a collection query (filter, order, pagination, time travel) for GraphQL. */
  async find(query: EntityQuery): Promise<EntityRecord[]> {
    const layouts = layoutsFor(this, query.type);
    const params = new Params();
    const context: QueryContext = {
      schema: this.schema,
      layouts: this.layouts,
      params,
      block: params.add(query.block),
    };
    const direction = query.order?.direction === 'desc' ? 'desc' : 'asc';
    if (layouts.length === 1) {
      const layout = layouts[0]!;
      const sql = this.singleTypeSql(layout, query, context);
      const rows = await this.db.query<Record<string, unknown>>(sql, params.values);
      return rows.map((row) => ({ typename: layout.type.name, data: rowToEntity(layout, row) }));
    }
    if (layouts.length === 0) return [];
    // An interface: order and page over the union of its implementers, then load the winners.
    let keyIsText = false;
    const parts = layouts.map((layout) => {
      const where = [visibleSql(layout, 'e', context.block)];
      if (query.filter) where.push(filterSql(context, layout, 'e', query.filter));
      let key = 'null';
      if (query.order && query.order.field !== 'id') {
        const orderKey = orderKeySql(context, layout, 'e', query.order);
        key = orderKey.sql;
        keyIsText = orderKey.text;
      }
      return `select ${params.add(layout.type.name)}::text as typename, e.${layout.id.sqlName} as id, ${key} as sort_key from ${layout.qualified} e where ${where.join(' and ')}`;
    });
    const idLayout = layouts[0]!.id;
    const collate = (text: boolean): string => (text ? ' collate "C"' : '');
    const sql = `select typename, ${readSql(idLayout, 'u.id')} as id from (${parts.join(' union all ')}) u order by u.sort_key${collate(keyIsText)} ${direction}, u.id${collate(idLayout.kind === 'text')} ${direction} limit ${params.add(query.first)} offset ${params.add(query.skip)}`;
    const winners = await this.db.query<{ typename: string; id: string }>(sql, params.values);
    const byType = new Map<string, string[]>();
    for (const winner of winners) {
      const id = idLayout.valueKind === 'Bytes' ? `0x${winner.id}` : String(winner.id);
      winner.id = id;
      byType.set(winner.typename, [...(byType.get(winner.typename) ?? []), id]);
    }
    const loaded = new Map<string, Map<string, EntityData>>();
    for (const [typename, ids] of byType)
      loaded.set(typename, await this.getMany(typename, ids, query.block));
    return winners.flatMap((winner) => {
      const data = loaded.get(winner.typename)?.get(winner.id);
      return data ? [{ typename: winner.typename, data }] : [];
    });
  }

  /** Number of current entities per type (for /metrics and tests). */
  async entityCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const layout of this.layouts.values()) {
      const where = layout.immutable ? 'true' : 'upper_inf(block_range)';
      const rows = await this.db.query<{ n: string }>(
        `select count(*)::text as n from ${layout.qualified} where ${where}`,
      );
      counts[layout.type.name] = Number(rows[0]?.n ?? 0);
    }
    return counts;
  }
}

/** The canonical text of an id value: `0x…` lowercase hex for Bytes, decimal for Int8. */
export function idKey(value: StoreValue): string {
  if (value.kind === 'Bytes') return `0x${Buffer.from(value.value).toString('hex')}`;
  if (value.kind === 'Null' || value.kind === 'List') return '';
  return String(value.value);
}

function normaliseIdText(kind: string, id: string): string {
  if (kind === 'Bytes')
    return `0x${(id.startsWith('0x') || id.startsWith('0X') ? id.slice(2) : id).toLowerCase()}`;
  return id;
}

function idValue(layout: TableLayout, id: string, given: StoreValue | undefined): StoreValue {
  if (given && given.kind !== 'Null') return given;
  switch (layout.id.valueKind) {
    case 'Bytes':
      return { kind: 'Bytes', value: new Uint8Array(Buffer.from(idToParam('Bytes', id), 'hex')) };
    case 'Int8':
      return { kind: 'Int8', value: BigInt(id) };
    default:
      return { kind: 'String', value: id };
  }
}
