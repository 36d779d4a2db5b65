/** A subgraph schema as graph-node reads it: entity types, interfaces and enums. */

export const SCALAR_TYPES = [
  'ID',
  'String',
  'Bytes',
  'Int',
  'Int8',
  'BigInt',
  'BigDecimal',
  'Boolean',
  'Timestamp',
] as const;
export type ScalarTypeName = (typeof SCALAR_TYPES)[number];

/** The types an `id` field may have. */
export type IdType = 'ID' | 'String' | 'Bytes' | 'Int8';

/** What a field's named type (after unwrapping `[..]` and `!`) refers to. */
export type FieldBaseType =
  | { readonly kind: 'scalar'; readonly name: ScalarTypeName }
  | { readonly kind: 'enum'; readonly name: string }
  | { readonly kind: 'entity'; readonly name: string }
  | { readonly kind: 'interface'; readonly name: string };

export interface FieldDefinition {
  readonly name: string;
  readonly type: FieldBaseType;
  /** `!` on the field itself. */
  readonly nonNull: boolean;
  /** `[T]` or `[T!]`; graph-node supports one level of lists. */
  readonly list: boolean;
  /** `[T!]`: list elements may not be null. */
  readonly listItemNonNull: boolean;
  /** `@derivedFrom(field: "...")`: virtual, never stored. */
  readonly derivedFrom: string | null;
  readonly description: string | null;
}

export interface EntityTypeDefinition {
  readonly kind: 'entity';
  readonly name: string;
  readonly immutable: boolean;
  readonly timeseries: boolean;
  readonly idType: IdType;
  /** Every field in declaration order, derived ones included. */
  readonly fields: readonly FieldDefinition[];
  readonly fieldsByName: ReadonlyMap<string, FieldDefinition>;
  /** Names of the interfaces this type implements. */
  readonly interfaces: readonly string[];
  readonly description: string | null;
}

export interface InterfaceDefinition {
  readonly kind: 'interface';
  readonly name: string;
  readonly idType: IdType;
  readonly fields: readonly FieldDefinition[];
  readonly fieldsByName: ReadonlyMap<string, FieldDefinition>;
  /** Entity types implementing it, in declaration order. */
  readonly implementers: readonly string[];
  readonly description: string | null;
}

export interface EnumDefinition {
  readonly name: string;
  readonly values: readonly string[];
  readonly description: string | null;
}

export interface SubgraphSchema {
  /** The source text, as read. */
  readonly sdl: string;
  readonly entities: ReadonlyMap<string, EntityTypeDefinition>;
  readonly interfaces: ReadonlyMap<string, InterfaceDefinition>;
  readonly enums: ReadonlyMap<string, EnumDefinition>;
}

/** Fields stored in the entity's table (everything but @derivedFrom). */
export function storedFields(type: EntityTypeDefinition): FieldDefinition[] {
  return type.fields.filter((field) => field.derivedFrom === null);
}

/** The id type of whatever an entity or interface reference points to. */
export function referencedIdType(schema: SubgraphSchema, typeName: string): IdType {
  const target = schema.entities.get(typeName) ?? schema.interfaces.get(typeName);
  if (!target) throw new Error(`unknown type ${typeName}`);
  return target.idType;
}
