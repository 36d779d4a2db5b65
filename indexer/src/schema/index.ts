export { loadSchema } from './load.js';
export { EntityValidationError, SchemaError, UnknownEntityTypeError } from './errors.js';
export { entityType, expectedValueKind, idValueKind, validateEntity } from './validate.js';
export { queryFieldNames, toCamelCase, toPlural } from './naming.js';
export {
  SCALAR_TYPES,
  referencedIdType,
  storedFields,
  type EntityTypeDefinition,
  type EnumDefinition,
  type FieldBaseType,
  type FieldDefinition,
  type IdType,
  type InterfaceDefinition,
  type ScalarTypeName,
  type SubgraphSchema,
} from './types.js';
