import { Kind, parse, type TypeNode } from 'graphql';
import { IndexerError } from '../errors.js';

/** What the runtime needs to know about schema.graphql to validate and route store calls. */
export interface FieldInfo {
  readonly name: string;
  /** Scalar name (String, BigInt, …), enum name, or entity/interface name. */
  readonly type: string;
  readonly list: boolean;
  readonly nonNull: boolean;
  /** For @derivedFrom(field: …) fields: the field on the referencing type. */
  readonly derivedFrom: string | null;
}

export interface EntityTypeInfo {
  readonly name: string;
  readonly idType: 'String' | 'Bytes' | 'Int8';
  readonly immutable: boolean;
  readonly timeseries: boolean;
  readonly fields: ReadonlyMap<string, FieldInfo>;
}

export class SchemaError extends IndexerError {
  override name = 'SchemaError';
}

export interface SchemaInfo {
  readonly entities: ReadonlyMap<string, EntityTypeInfo>;
  readonly interfaces: ReadonlySet<string>;
}

function unwrap(type: TypeNode): { name: string; list: boolean; nonNull: boolean } {
  let nonNull = false;
  let list = false;
  let t = type;
  if (t.kind === Kind.NON_NULL_TYPE) {
    nonNull = true;
    t = t.type;
  }
  if (t.kind === Kind.LIST_TYPE) {
    list = true;
    t = t.type;
    if (t.kind === Kind.NON_NULL_TYPE) t = t.type;
  }
  if (t.kind !== Kind.NAMED_TYPE) throw new SchemaError('nested lists are not supported');
  return { name: t.name.value, list, nonNull };
}

/** Reads the entity types of a subgraph schema (graph-node's `@entity` object types). */
export function readSchemaInfo(source: string): SchemaInfo {
  let doc;
  try {
    doc = parse(source);
  } catch (error) {
    throw new SchemaError(`schema.graphql does not parse: ${(error as Error).message}`);
  }
  const entities = new Map<string, EntityTypeInfo>();
  const interfaces = new Set<string>();
  for (const def of doc.definitions) {
    if (def.kind === Kind.INTERFACE_TYPE_DEFINITION) interfaces.add(def.name.value);
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const entityDirective = def.directives?.find((d) => d.name.value === 'entity');
    if (!entityDirective) continue;
    const arg = (name: string): boolean =>
      entityDirective.arguments?.some(
        (a) => a.name.value === name && a.value.kind === Kind.BOOLEAN && a.value.value,
      ) ?? false;
    const fields = new Map<string, FieldInfo>();
    for (const field of def.fields ?? []) {
      const { name, list, nonNull } = unwrap(field.type);
      const derived = field.directives?.find((d) => d.name.value === 'derivedFrom');
      const derivedArg = derived?.arguments?.find((a) => a.name.value === 'field');
      fields.set(field.name.value, {
        name: field.name.value,
        type: name,
        list,
        nonNull,
        derivedFrom:
          derivedArg && derivedArg.value.kind === Kind.STRING ? derivedArg.value.value : null,
      });
    }
    const idField = fields.get('id');
    if (!idField) throw new SchemaError(`entity type ${def.name.value} has no id field`);
    const idType = idField.type === 'Bytes' ? 'Bytes' : idField.type === 'Int8' ? 'Int8' : 'String';
    entities.set(def.name.value, {
      name: def.name.value,
      idType,
      immutable: arg('immutable') || arg('timeseries'),
      timeseries: arg('timeseries'),
      fields,
    });
  }
  return { entities, interfaces };
}
