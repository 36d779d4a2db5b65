import type { EntityData, StoreValue } from '../store/types.js';
import { EntityValidationError, UnknownEntityTypeError } from './errors.js';
import type { EntityTypeDefinition, FieldDefinition, IdType, SubgraphSchema } from './types.js';

type ValueKind = StoreValue['kind'];

/** The StoreValue kind a field's (element) type must have, as graph-node's `is_assignable`. */
export function expectedValueKind(schema: SubgraphSchema, field: FieldDefinition): ValueKind {
  switch (field.type.kind) {
    case 'enum':
      return 'String';
    case 'entity':
    case 'interface': {
      const target = schema.entities.get(field.type.name) ?? schema.interfaces.get(field.type.name);
      return idValueKind(target?.idType ?? 'ID');
    }
    case 'scalar':
      switch (field.type.name) {
        case 'ID':
        case 'String':
          return 'String';
        case 'Boolean':
          return 'Bool';
        default:
          return field.type.name;
      }
  }
}

/** The StoreValue kind of an id of the given type. */
export function idValueKind(idType: IdType): ValueKind {
  return idType === 'ID' || idType === 'String' ? 'String' : idType;
}

/** The entity type definition, or an UnknownEntityTypeError (interfaces are not writable). */
export function entityType(schema: SubgraphSchema, name: string): EntityTypeDefinition {
  const type = schema.entities.get(name);
  if (!type) throw new UnknownEntityTypeError(name);
  return type;
}

/**
 * Checks a complete (merged) entity against its type with graph-node's messages: unknown fields,
 * derived fields set, missing non-null fields, value kinds (enum values included), id kind.
 */
export function validateEntity(
  schema: SubgraphSchema,
  typeName: string,
  id: string,
  data: EntityData,
): void {
  const type = entityType(schema, typeName);
  const fail = (message: string): never => {
    throw new EntityValidationError(message, typeName, id);
  };
  const unknown = Object.keys(data).filter((key) => !type.fieldsByName.has(key));
  if (unknown.length > 0) {
    fail(
      `Attempted to set undefined fields [${unknown.join(', ')}] for the entity type \`${typeName}\`. Make sure those fields are defined in the schema.`,
    );
  }
  for (const field of type.fields) {
    const value = data[field.name];
    const isNull = value === undefined || value.kind === 'Null';
    if (field.derivedFrom !== null) {
      if (!isNull)
        fail(`Entity ${typeName}[${id}]: field \`${field.name}\` is derived and cannot be set`);
      continue;
    }
    if (isNull) {
      if (field.nonNull)
        fail(`Entity ${typeName}[${id}]: missing value for non-nullable field \`${field.name}\``);
      continue;
    }
    const expected = expectedValueKind(schema, field);
    const typeText = field.list ? `[${field.type.name}]` : field.type.name;
    const mismatch = (): never =>
      fail(
        `Entity ${typeName}[${id}]: the value \`${displayValue(value)}\` for field \`${field.name}\` must have type ${typeText}${field.nonNull ? '!' : ''} but has type ${describeKind(value)}`,
      );
    const elementOk = (element: StoreValue): boolean => {
      if (element.kind === 'Null') return !field.listItemNonNull;
      if (element.kind !== expected) return false;
      if (field.type.kind === 'enum' && element.kind === 'String') {
        return schema.enums.get(field.type.name)?.values.includes(element.value) ?? false;
      }
      return true;
    };
    if (field.list) {
      if (value.kind !== 'List' || !value.value.every(elementOk)) mismatch();
    } else if (!elementOk(value)) {
      mismatch();
    }
  }
  const idValue = data.id;
  if (idValue && idValue.kind !== idValueKind(type.idType)) {
    fail(
      `Attribute \`${typeName}.id\` has wrong type: expected ${type.idType} but got ${describeKind(idValue)}`,
    );
  }
}

function describeKind(value: StoreValue): string {
  if (value.kind === 'List') return `[${value.value[0] ? describeKind(value.value[0]) : 'Null'}]`;
  return value.kind === 'Bool' ? 'Boolean' : value.kind;
}

function displayValue(value: StoreValue): string {
  switch (value.kind) {
    case 'Null':
      return 'null';
    case 'Bytes':
      return `0x${Buffer.from(value.value).toString('hex')}`;
    case 'List':
      return `[${value.value.map(displayValue).join(', ')}]`;
    default:
      return String(value.value);
  }
}
