import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLError,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigArgumentMap,
  type GraphQLFieldConfigMap,
  type GraphQLInputFieldConfigMap,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql';
import {
  queryFieldNames,
  type FieldDefinition,
  type InterfaceDefinition,
  type EntityTypeDefinition,
  type SubgraphSchema,
} from '../schema/index.js';
import { columnKinds, type ValueKind } from '../store/layout.js';
import type { EntityFilter, EntityOrder, EntityQuery, FilterOp } from '../store/query.js';
import type { StoreValue } from '../store/types.js';
import type { BlockHeightInput, EntityNode, RequestContext } from './context.js';
import {
  BigDecimalScalar,
  BigIntScalar,
  BytesScalar,
  Int8Scalar,
  TimestampScalar,
  parseBytes,
} from './scalars.js';

/** Limits on collection arguments (graph-node's GRAPH_GRAPHQL_MAX_FIRST / _MAX_SKIP). */
export interface CollectionLimits {
  readonly maxFirst: number;
  readonly maxSkip: number;
}

type FilterKey =
  | { readonly kind: 'compare'; readonly field: FieldDefinition; readonly op: FilterOp }
  | { readonly kind: 'child'; readonly field: FieldDefinition }
  | { readonly kind: 'and' | 'or' | 'change' };

type TypeDefinition = EntityTypeDefinition | InterfaceDefinition;

const ID_OPS: readonly FilterOp[] = ['eq', 'not', 'gt', 'lt', 'gte', 'lte', 'in', 'not_in'];
const STRING_OPS: readonly FilterOp[] = [
  ...ID_OPS,
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
];
const EQUALITY_OPS: readonly FilterOp[] = ['eq', 'not', 'in', 'not_in'];

const OrderDirection = new GraphQLEnumType({
  name: 'OrderDirection',
  description: 'Defines the order direction, either ascending or descending',
  values: { asc: { value: 'asc' }, desc: { value: 'desc' } },
});
const SubgraphErrorPolicy = new GraphQLEnumType({
  name: '_SubgraphErrorPolicy_',
  values: {
    allow: {
      value: 'allow',
      description: 'Data will be returned even if the subgraph has indexing errors',
    },
    deny: {
      value: 'deny',
      description: 'If the subgraph has indexing errors, data will be omitted. The default.',
    },
  },
});
const BlockHeight = new GraphQLInputObjectType({
  name: 'Block_height',
  fields: {
    hash: { type: BytesScalar },
    number: { type: GraphQLInt },
    number_gte: { type: GraphQLInt },
  },
});
const BlockChangedFilter = new GraphQLInputObjectType({
  name: 'BlockChangedFilter',
  fields: { number_gte: { type: new GraphQLNonNull(GraphQLInt) } },
});
const MetaBlock = new GraphQLObjectType({
  name: '_Block_',
  fields: {
    hash: { type: BytesScalar, description: 'The hash of the block' },
    number: { type: new GraphQLNonNull(GraphQLInt), description: 'The block number' },
    timestamp: {
      type: GraphQLInt,
      description: 'Integer representation of the timestamp stored in blocks for the chain',
    },
    parentHash: { type: BytesScalar, description: 'The hash of the parent block' },
  },
});
const Meta = new GraphQLObjectType({
  name: '_Meta_',
  description: 'The type for the top-level _meta field',
  fields: {
    block: { type: new GraphQLNonNull(MetaBlock) },
    deployment: { type: new GraphQLNonNull(GraphQLString), description: 'The deployment ID' },
    hasIndexingErrors: {
      type: new GraphQLNonNull(GraphQLBoolean),
      description: 'If `true`, the subgraph encountered indexing errors at some past block',
    },
  },
});

/** A JS value for GraphQL output from a stored value. */
function outputValue(value: StoreValue | undefined): unknown {
  if (value === undefined) return null;
  switch (value.kind) {
    case 'Null':
      return null;
    case 'List':
      return value.value.map(outputValue);
    default:
      return value.value;
  }
}

/**
 * Builds the GraphQL API graph-node generates for a subgraph schema: object types and interfaces
 * with collection arguments on entity lists, `T_filter` inputs with every suffix, `T_orderBy`
 * enums (with `parent__child`), root fields `t`/`ts` per type, and `_meta`.
 */
export function buildApiSchema(schema: SubgraphSchema, limits: CollectionLimits): GraphQLSchema {
  const objects = new Map<string, GraphQLObjectType>();
  const interfaces = new Map<string, GraphQLInterfaceType>();
  const enums = new Map<string, GraphQLEnumType>();
  const filters = new Map<string, GraphQLInputObjectType>();
  const filterKeys = new Map<string, Map<string, FilterKey>>();
  const orderEnums = new Map<string, GraphQLEnumType>();

  const definition = (name: string): TypeDefinition =>
    (schema.entities.get(name) ?? schema.interfaces.get(name))!;

  for (const e of schema.enums.values()) {
    enums.set(
      e.name,
      new GraphQLEnumType({
        name: e.name,
        description: e.description ?? undefined,
        values: Object.fromEntries(e.values.map((v) => [v, { value: v }])),
      }),
    );
  }

  const scalarType = (field: FieldDefinition): GraphQLOutputType & GraphQLInputType => {
    switch (field.type.kind) {
      case 'enum':
        return enums.get(field.type.name)!;
      case 'scalar':
        switch (field.type.name) {
          case 'ID':
            return GraphQLID;
          case 'String':
            return GraphQLString;
          case 'Int':
            return GraphQLInt;
          case 'Boolean':
            return GraphQLBoolean;
          case 'Bytes':
            return BytesScalar;
          case 'BigInt':
            return BigIntScalar;
          case 'BigDecimal':
            return BigDecimalScalar;
          case 'Int8':
            return Int8Scalar;
          case 'Timestamp':
            return TimestampScalar;
        }
      // falls through (unreachable)
      default:
        throw new Error(`not a scalar field: ${field.name}`);
    }
  };

  const outputTypeOf = (name: string): GraphQLObjectType | GraphQLInterfaceType =>
    (objects.get(name) ?? interfaces.get(name))!;

  const wrap = (field: FieldDefinition, base: GraphQLOutputType): GraphQLOutputType => {
    let type: GraphQLOutputType = base;
    if (field.list) {
      // Entity lists always come back as [T!]! (graph-node resolves them through a query).
      const isEntity = field.type.kind === 'entity' || field.type.kind === 'interface';
      type = new GraphQLList(field.listItemNonNull || isEntity ? new GraphQLNonNull(type) : type);
      if (field.nonNull || isEntity) type = new GraphQLNonNull(type);
      return type;
    }
    return field.nonNull ? new GraphQLNonNull(type) : type;
  };

  // ---- filters ----------------------------------------------------------------------------
  const filterFor = (typeName: string): GraphQLInputObjectType => {
    const existing = filters.get(`${typeName}_filter`);
    if (existing) return existing;
    const keys = new Map<string, FilterKey>();
    const def = definition(typeName);
    const input: GraphQLInputObjectType = new GraphQLInputObjectType({
      name: `${typeName}_filter`,
      fields: () => {
        const fields: GraphQLInputFieldConfigMap = {};
        const add = (
          field: FieldDefinition,
          ops: readonly FilterOp[],
          type: GraphQLInputType,
          listValued = false,
        ): void => {
          for (const op of ops) {
            const name = op === 'eq' ? field.name : `${field.name}_${op}`;
            const many = op === 'in' || op === 'not_in';
            fields[name] = {
              type: many || listValued ? new GraphQLList(new GraphQLNonNull(type)) : type,
            };
            keys.set(name, { kind: 'compare', field, op });
          }
        };
        for (const field of def.fields) {
          const isRef = field.type.kind === 'entity' || field.type.kind === 'interface';
          if (isRef) {
            const targetId = definition(field.type.name).idType;
            const idInput = targetId === 'Int8' ? Int8Scalar : GraphQLString;
            if (field.derivedFrom === null) {
              if (field.list) {
                const ops: FilterOp[] = ['eq', 'not', 'contains', 'not_contains'];
                if (targetId === 'ID' || targetId === 'String')
                  ops.push('contains_nocase', 'not_contains_nocase');
                add(field, ops, idInput, true);
              } else {
                add(field, targetId === 'Int8' ? ID_OPS : STRING_OPS, idInput);
              }
            }
            fields[`${field.name}_`] = { type: filterFor(field.type.name) };
            keys.set(`${field.name}_`, { kind: 'child', field });
            continue;
          }
          const type = scalarType(field) as GraphQLInputType;
          if (field.list) {
            const ops: FilterOp[] = ['eq', 'not', 'contains', 'not_contains'];
            if (field.type.name === 'String') ops.push('contains_nocase', 'not_contains_nocase');
            add(field, ops, type, true);
            continue;
          }
          if (field.type.kind === 'enum' || field.type.name === 'Boolean')
            add(field, EQUALITY_OPS, type);
          else if (field.type.name === 'String') add(field, STRING_OPS, type);
          else if (field.type.name === 'Bytes')
            add(field, [...ID_OPS, 'contains', 'not_contains'], type);
          else add(field, ID_OPS, type);
        }
        fields._change_block = {
          type: BlockChangedFilter,
          description: 'Filter for the block changed event.',
        };
        keys.set('_change_block', { kind: 'change' });
        fields.and = { type: new GraphQLList(input) };
        fields.or = { type: new GraphQLList(input) };
        keys.set('and', { kind: 'and' });
        keys.set('or', { kind: 'or' });
        return fields;
      },
    });
    filters.set(input.name, input);
    filterKeys.set(typeName, keys);
    return input;
  };

  const orderByFor = (typeName: string): GraphQLEnumType => {
    const existing = orderEnums.get(typeName);
    if (existing) return existing;
    const def = definition(typeName);
    const values: Record<string, { value: string }> = {};
    for (const field of def.fields) {
      values[field.name] = { value: field.name };
      const isSingleRef =
        (field.type.kind === 'entity' || field.type.kind === 'interface') &&
        !field.list &&
        field.derivedFrom === null;
      if (!isSingleRef) continue;
      for (const child of definition(field.type.name).fields) {
        if (child.list || child.type.kind === 'entity' || child.type.kind === 'interface') continue;
        values[`${field.name}__${child.name}`] = { value: `${field.name}__${child.name}` };
      }
    }
    const type = new GraphQLEnumType({ name: `${typeName}_orderBy`, values });
    orderEnums.set(typeName, type);
    return type;
  };

  // ---- where → EntityFilter -----------------------------------------------------------------
  const storeValue = (field: FieldDefinition, raw: unknown, op: FilterOp): StoreValue => {
    if (raw === null || raw === undefined) return { kind: 'Null' };
    const { valueKind } = columnKinds(schema, field);
    const one = (value: unknown): StoreValue =>
      elementValue(valueKind, value, field.list ? 'eq' : op);
    if (Array.isArray(raw)) return { kind: 'List', value: raw.map(one) };
    return one(raw);
  };

  const toFilter = (
    typeName: string,
    where: Record<string, unknown>,
    nested: boolean,
  ): EntityFilter => {
    filterFor(typeName);
    const keys = filterKeys.get(typeName)!;
    const entries = Object.entries(where).filter(([, value]) => value !== undefined);
    const columns = entries.filter(([key]) => key !== 'and' && key !== 'or');
    if (entries.some(([key]) => key === 'or') && columns.length > 0) {
      throw new GraphQLError(
        `Cannot mix column filters with 'or' operator at the same level. Found column filter(s) ${columns.map(([key]) => `'${key}'`).join(', ')} alongside 'or' operator.`,
      );
    }
    const parts: EntityFilter[] = [];
    for (const [key, value] of entries) {
      const spec = keys.get(key);
      if (!spec) throw new GraphQLError(`Type \`${typeName}\` has no field \`${key}\``);
      switch (spec.kind) {
        case 'and':
        case 'or':
          parts.push({
            kind: spec.kind,
            filters: ((value as Record<string, unknown>[] | null) ?? []).map((f) =>
              toFilter(typeName, f, nested),
            ),
          });
          break;
        case 'change':
          parts.push({ kind: 'changedSince', block: (value as { number_gte: number }).number_gte });
          break;
        case 'child':
          if (nested)
            throw new GraphQLError(
              `Child filter nesting not supported by value \`${key}\`: \`${spec.field.name}\``,
            );
          if (value === null) throw new GraphQLError('Filter must by an object');
          parts.push({
            kind: 'child',
            field: spec.field.name,
            filter: toFilter(spec.field.type.name, value as Record<string, unknown>, true),
          });
          break;
        case 'compare':
          parts.push({
            kind: 'compare',
            field: spec.field.name,
            op: spec.op,
            value: storeValue(spec.field, value, spec.op),
          });
          break;
      }
    }
    return parts.length === 1 ? parts[0]! : { kind: 'and', filters: parts };
  };

  // ---- collection resolution ------------------------------------------------------------------
  const collectionArgs = (typeName: string): GraphQLFieldConfigArgumentMap => ({
    skip: { type: GraphQLInt, defaultValue: 0 },
    first: { type: GraphQLInt, defaultValue: 100 },
    orderBy: { type: orderByFor(typeName) },
    orderDirection: { type: OrderDirection },
    where: { type: filterFor(typeName) },
  });

  interface CollectionArgs {
    skip?: number;
    first?: number;
    orderBy?: string;
    orderDirection?: 'asc' | 'desc';
    where?: Record<string, unknown> | null;
  }

  /** Validates collection arguments and turns them into a store query (null: nothing to read). */
  const prepareCollection = (
    typeName: string,
    args: CollectionArgs,
    block: number,
    extra: EntityFilter | null,
  ): EntityQuery | null => {
    const first = args.first ?? 100;
    const skip = args.skip ?? 0;
    if (first < 0 || first > limits.maxFirst) {
      throw new GraphQLError(
        `The \`first\` argument must be between 0 and ${limits.maxFirst}, but is ${first}`,
      );
    }
    if (skip < 0 || skip > limits.maxSkip) {
      throw new GraphQLError(
        `The \`skip\` argument must be between 0 and ${limits.maxSkip}, but is ${skip}`,
      );
    }
    if (block < 0 || first === 0) return null;
    const parts: EntityFilter[] = [];
    if (extra) parts.push(extra);
    if (args.where) parts.push(toFilter(typeName, args.where, false));
    let order: EntityOrder | undefined;
    if (args.orderBy || args.orderDirection) {
      const [field = 'id', child] = (args.orderBy ?? 'id').split('__');
      const fieldDef = definition(typeName).fieldsByName.get(field);
      if (fieldDef && (fieldDef.list || fieldDef.derivedFrom !== null)) {
        throw new GraphQLError(
          `Ordering by \`${field}\` is not supported for type \`${typeName}\``,
        );
      }
      order = { field, ...(child ? { child } : {}), direction: args.orderDirection ?? 'asc' };
    }
    return {
      type: typeName,
      filter:
        parts.length === 0
          ? undefined
          : parts.length === 1
            ? parts[0]
            : { kind: 'and', filters: parts },
      order,
      first,
      skip,
      block,
    };
  };

  const runCollection = async (
    context: RequestContext,
    typeName: string,
    args: CollectionArgs,
    block: number,
    extra: EntityFilter | null,
  ): Promise<EntityNode[]> => {
    const query = prepareCollection(typeName, args, block, extra);
    if (!query) return [];
    const records = await context.find(query);
    return records.map((record) => ({ __typename: record.typename, data: record.data, block }));
  };

  // ---- object types -----------------------------------------------------------------------------
  const fieldConfigs = (def: TypeDefinition): GraphQLFieldConfigMap<EntityNode, RequestContext> => {
    const config: GraphQLFieldConfigMap<EntityNode, RequestContext> = {};
    for (const field of def.fields) {
      const description = field.description ?? undefined;
      if (field.type.kind !== 'entity' && field.type.kind !== 'interface') {
        config[field.name] = {
          type: wrap(field, scalarType(field)),
          description,
          resolve: (node) => outputValue(node.data[field.name]),
        };
        continue;
      }
      const target = field.type.name;
      const targetType = outputTypeOf(target);
      if (field.derivedFrom !== null) {
        const backField = definition(target).fieldsByName.get(field.derivedFrom)!;
        const back = (node: EntityNode): EntityFilter => ({
          kind: 'compare',
          field: field.derivedFrom!,
          op: backField.list ? 'contains' : 'eq',
          value: backField.list ? { kind: 'List', value: [node.data.id!] } : node.data.id!,
        });
        if (field.list) {
          config[field.name] = {
            type: wrap(field, targetType),
            description,
            args: collectionArgs(target),
            resolve: (node, args: CollectionArgs, context, info) => {
              // Batched: the same field under every parent of a list is one windowed query.
              const query = prepareCollection(target, args, node.block, null);
              if (!query || !node.data.id) return [];
              return context.loadChildren(
                info.fieldNodes[0]!,
                node.block,
                node.data.id,
                async (ids) => {
                  const found = await context.findForParents(query, field.derivedFrom!, ids);
                  const nodes = new Map<string, EntityNode[]>();
                  for (const [parent, records] of found) {
                    nodes.set(
                      parent,
                      records.map((r) => ({
                        __typename: r.typename,
                        data: r.data,
                        block: node.block,
                      })),
                    );
                  }
                  return nodes;
                },
              );
            },
          };
        } else {
          config[field.name] = {
            type: targetType,
            description,
            resolve: async (node, _args, context) => {
              const found = await runCollection(
                context,
                target,
                { first: 2 },
                node.block,
                back(node),
              );
              if (found.length > 1) {
                throw new GraphQLError(
                  `Ambiguous result for derived field \`${field.name}\`: Multiple \`${target}\` entities refer back via \`${field.derivedFrom}\``,
                );
              }
              return found[0] ?? null;
            },
          };
        }
        continue;
      }
      if (field.list) {
        config[field.name] = {
          type: wrap(field, targetType),
          description,
          args: collectionArgs(target),
          resolve: async (node, args: CollectionArgs, context) => {
            const ids = node.data[field.name];
            if (!ids || ids.kind !== 'List' || ids.value.length === 0) return [];
            return runCollection(context, target, args, node.block, {
              kind: 'compare',
              field: 'id',
              op: 'in',
              value: ids,
            });
          },
        };
        continue;
      }
      config[field.name] = {
        type: field.nonNull ? new GraphQLNonNull(targetType) : targetType,
        description,
        resolve: (node, _args, context) => {
          const id = node.data[field.name];
          if (!id || id.kind === 'Null' || id.kind === 'List') return null;
          return context.load(target, idText(id), node.block);
        },
      };
    }
    return config;
  };

  for (const def of schema.interfaces.values()) {
    interfaces.set(
      def.name,
      new GraphQLInterfaceType({
        name: def.name,
        description: def.description ?? undefined,
        fields: () => fieldConfigs(def) as GraphQLFieldConfigMap<unknown, unknown>,
        resolveType: (node: EntityNode) => node.__typename,
      }),
    );
  }
  for (const def of schema.entities.values()) {
    objects.set(
      def.name,
      new GraphQLObjectType<EntityNode, RequestContext>({
        name: def.name,
        description: def.description ?? undefined,
        interfaces: () => def.interfaces.map((name) => interfaces.get(name)!),
        fields: () => fieldConfigs(def),
      }),
    );
  }

  // ---- root fields ---------------------------------------------------------------------------
  interface RootArgs extends CollectionArgs {
    id?: string;
    block?: BlockHeightInput | null;
    subgraphError?: 'allow' | 'deny';
  }
  const guardErrors = (
    context: RequestContext,
    fieldName: string,
    policy: 'allow' | 'deny' | undefined,
    block: number,
  ): boolean => {
    if (!context.store.hasIndexingErrors(block)) return true;
    if (policy === 'allow') {
      context.allowedErrors = true;
      return true;
    }
    context.deniedFields.add(fieldName);
    return false;
  };
  const rootFields: GraphQLFieldConfigMap<unknown, RequestContext> = {};
  const blockArgs: GraphQLFieldConfigArgumentMap = {
    block: {
      type: BlockHeight,
      description:
        'The block at which the query should be executed. Can either be a `{ hash: Bytes }` value containing a block hash, a `{ number: Int }` containing the block number, or a `{ number_gte: Int }` containing the minimum block number. In the case of `number_gte`, the query will be executed on the latest block only if the subgraph has progressed to or past the minimum block number. Defaults to the latest block when omitted.',
    },
    subgraphError: {
      type: new GraphQLNonNull(SubgraphErrorPolicy),
      defaultValue: 'deny',
      description:
        'Set to `allow` to receive data even if the subgraph has skipped over errors while syncing.',
    },
  };
  const rootTypes: TypeDefinition[] = [...schema.entities.values(), ...schema.interfaces.values()];
  for (const def of rootTypes) {
    const names = queryFieldNames(def.name);
    const type = outputTypeOf(def.name);
    const single: GraphQLFieldConfig<unknown, RequestContext, RootArgs> = {
      type,
      args: { id: { type: new GraphQLNonNull(GraphQLID) }, ...blockArgs },
      resolve: async (_root, args, context, info) => {
        const block = await context.resolveBlock(args.block);
        if (!guardErrors(context, info.path.key as string, args.subgraphError, block.number))
          return null;
        if (block.number < 0) return null;
        return context.load(def.name, args.id!, block.number);
      },
    };
    const collection: GraphQLFieldConfig<unknown, RequestContext, RootArgs> = {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(type))),
      args: { ...collectionArgs(def.name), ...blockArgs },
      resolve: async (_root, args, context, info) => {
        const block = await context.resolveBlock(args.block);
        if (!guardErrors(context, info.path.key as string, args.subgraphError, block.number))
          return [];
        return runCollection(context, def.name, args, block.number, null);
      },
    };
    rootFields[names.single] = single as GraphQLFieldConfig<unknown, RequestContext>;
    rootFields[names.collection] = collection as GraphQLFieldConfig<unknown, RequestContext>;
  }
  rootFields._meta = {
    type: Meta,
    description: 'Access to subgraph metadata',
    args: { block: { type: BlockHeight } },
    resolve: async (_root, args: { block?: BlockHeightInput | null }, context) => {
      const block = await context.resolveBlock(args.block);
      const ptr = block.ptr;
      return {
        block: {
          number: Math.max(block.number, 0),
          hash: block.hash === null ? null : parseBytes(block.hash),
          timestamp: ptr?.timestamp ?? null,
          parentHash: ptr ? parseBytes(ptr.parentHash) : null,
        },
        deployment: context.deployment,
        hasIndexingErrors: context.store.hasIndexingErrors(block.number),
      };
    },
  };

  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: rootFields }),
    types: [...objects.values(), ...interfaces.values()],
  });
}

function idText(value: StoreValue): string {
  if (value.kind === 'Bytes') return `0x${Buffer.from(value.value).toString('hex')}`;
  if (value.kind === 'Null' || value.kind === 'List') return '';
  return String(value.value);
}

/** Converts one coerced GraphQL input value to the store value kind of its column. */
function elementValue(kind: ValueKind, value: unknown, op: FilterOp): StoreValue {
  switch (kind) {
    case 'String':
      return { kind: 'String', value: String(value) };
    case 'Bytes': {
      // Bytes-id references take String inputs; pattern operators match their `0x…` text.
      const isPattern = !['eq', 'not', 'in', 'not_in', 'gt', 'lt', 'gte', 'lte'].includes(op);
      if (typeof value === 'string' && isPattern) return { kind: 'String', value };
      return { kind: 'Bytes', value: parseBytes(value) };
    }
    case 'Int':
      return { kind: 'Int', value: Number(value) };
    case 'Int8':
      return { kind: 'Int8', value: BigInt(value as bigint) };
    case 'BigInt':
      return { kind: 'BigInt', value: BigInt(value as bigint) };
    case 'BigDecimal':
      return { kind: 'BigDecimal', value: String(value) };
    case 'Bool':
      return { kind: 'Bool', value: Boolean(value) };
    case 'Timestamp':
      return { kind: 'Timestamp', value: BigInt(value as bigint) };
  }
}
