import {
  GraphQLError,
  Kind,
  parse,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type StringValueNode,
  type TypeNode,
} from 'graphql';
import { SchemaError } from './errors.js';
import {
  SCALAR_TYPES,
  type EntityTypeDefinition,
  type EnumDefinition,
  type FieldBaseType,
  type FieldDefinition,
  type IdType,
  type InterfaceDefinition,
  type ScalarTypeName,
  type SubgraphSchema,
} from './types.js';

const ID_TYPES: readonly string[] = ['ID', 'String', 'Bytes', 'Int8'];
const SCALARS: ReadonlySet<string> = new Set(SCALAR_TYPES);

interface RawField {
  readonly name: string;
  readonly namedType: string;
  readonly nonNull: boolean;
  readonly list: boolean;
  readonly listItemNonNull: boolean;
  readonly derivedFrom: string | null;
  readonly description: string | null;
}

/**
 * Reads a subgraph's schema.graphql the way graph-node does: object types with `@entity`
 * (`immutable`, `timeseries`), interfaces, enums, scalars ID/String/Bytes/Int/Int8/BigInt/
 * BigDecimal/Boolean/Timestamp, one level of lists, references and `@derivedFrom`.
 * Every problem is collected; a bad schema throws one SchemaError listing them all.
 */
export function loadSchema(sdl: string): SubgraphSchema {
  let document: DocumentNode;
  try {
    document = parse(sdl);
  } catch (error) {
    const message = error instanceof GraphQLError ? error.message : String(error);
    throw new SchemaError(`schema.graphql does not parse: ${message}`);
  }
  const problems: string[] = [];
  const objectNodes = new Map<
    string,
    {
      fields: RawField[];
      directives: readonly ConstDirectiveNode[];
      interfaces: string[];
      description: string | null;
    }
  >();
  const interfaceNodes = new Map<string, { fields: RawField[]; description: string | null }>();
  const enums = new Map<string, EnumDefinition>();

  for (const definition of document.definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION: {
        const name = definition.name.value;
        if (objectNodes.has(name) || interfaceNodes.has(name) || enums.has(name)) {
          problems.push(`Type \`${name}\` is defined more than once`);
          continue;
        }
        objectNodes.set(name, {
          fields: (definition.fields ?? []).map((field) => readField(name, field, problems)),
          directives: definition.directives ?? [],
          interfaces: (definition.interfaces ?? []).map((node) => node.name.value),
          description: describe(definition.description),
        });
        break;
      }
      case Kind.INTERFACE_TYPE_DEFINITION: {
        const name = definition.name.value;
        if (objectNodes.has(name) || interfaceNodes.has(name) || enums.has(name)) {
          problems.push(`Type \`${name}\` is defined more than once`);
          continue;
        }
        interfaceNodes.set(name, {
          fields: (definition.fields ?? []).map((field) => readField(name, field, problems)),
          description: describe(definition.description),
        });
        break;
      }
      case Kind.ENUM_TYPE_DEFINITION: {
        const name = definition.name.value;
        enums.set(name, {
          name,
          values: (definition.values ?? []).map((value) => value.name.value),
          description: describe(definition.description),
        });
        break;
      }
      case Kind.SCALAR_TYPE_DEFINITION:
        if (!SCALARS.has(definition.name.value)) {
          problems.push(
            `Custom scalar \`${definition.name.value}\` is not supported; use one of ${SCALAR_TYPES.join(', ')}`,
          );
        }
        break;
      case Kind.DIRECTIVE_DEFINITION:
        break;
      default:
        problems.push(`Unsupported definition \`${definition.kind}\` in a subgraph schema`);
    }
  }

  const classify = (typeName: string): FieldBaseType | null => {
    if (SCALARS.has(typeName)) return { kind: 'scalar', name: typeName as ScalarTypeName };
    if (enums.has(typeName)) return { kind: 'enum', name: typeName };
    if (interfaceNodes.has(typeName)) return { kind: 'interface', name: typeName };
    const object = objectNodes.get(typeName);
    if (object && object.directives.some((d) => d.name.value === 'entity')) {
      return { kind: 'entity', name: typeName };
    }
    return null;
  };

  const resolveFields = (owner: string, raw: readonly RawField[]): FieldDefinition[] =>
    raw.flatMap((field) => {
      const type = classify(field.namedType);
      if (!type) {
        problems.push(
          `Field \`${owner}.${field.name}\` has unknown type \`${field.namedType}\` (types must be scalars, enums, interfaces or @entity types)`,
        );
        return [];
      }
      return [{ ...field, type }];
    });

  const idTypeOf = (owner: string, fields: readonly FieldDefinition[]): IdType => {
    const id = fields.find((field) => field.name === 'id');
    if (!id) {
      problems.push(
        `Type \`${owner}\` has no \`id\` field; every entity needs \`id: ID!\`, \`String!\`, \`Bytes!\` or \`Int8!\``,
      );
      return 'ID';
    }
    if (id.list || !id.nonNull || id.type.kind !== 'scalar' || !ID_TYPES.includes(id.type.name)) {
      problems.push(`Field \`${owner}.id\` must be of type ID!, String!, Bytes! or Int8!`);
      return 'ID';
    }
    return id.type.name as IdType;
  };

  const entities = new Map<string, EntityTypeDefinition>();
  for (const [name, node] of objectNodes) {
    const entityDirective = node.directives.find((d) => d.name.value === 'entity');
    // graph-node features this host does not implement yet: say so, rather than "missing @entity".
    if (node.directives.some((d) => d.name.value === 'aggregation')) {
      problems.push(
        `Type \`${name}\` is an @aggregation (graph-node aggregations over timeseries); um-indexer does not support aggregations yet`,
      );
      continue;
    }
    if (name === '_Schema_' && node.directives.some((d) => d.name.value === 'fulltext')) {
      problems.push(
        '`_Schema_` declares @fulltext search fields; um-indexer does not support full-text search yet',
      );
      continue;
    }
    if (!entityDirective) {
      problems.push(
        `Type \`${name}\` is missing the @entity directive (graph-node only stores @entity types)`,
      );
      continue;
    }
    if (name.startsWith('_'))
      problems.push(`Type name \`${name}\` may not start with an underscore`);
    const immutable = booleanArgument(entityDirective, 'immutable', problems, name);
    const timeseries = booleanArgument(entityDirective, 'timeseries', problems, name);
    const fields = resolveFields(name, node.fields);
    const idType = idTypeOf(name, fields);
    if (timeseries) {
      if (!immutable && entityDirective.arguments?.some((a) => a.name.value === 'immutable')) {
        problems.push(`Timeseries type \`${name}\` must be immutable`);
      }
      if (idType !== 'Int8') problems.push(`Timeseries type \`${name}\` must have \`id: Int8!\``);
      const timestamp = fields.find((field) => field.name === 'timestamp');
      if (
        !timestamp ||
        timestamp.type.name !== 'Timestamp' ||
        !timestamp.nonNull ||
        timestamp.list
      ) {
        problems.push(`Timeseries type \`${name}\` must have a \`timestamp: Timestamp!\` field`);
      }
    }
    entities.set(name, {
      kind: 'entity',
      name,
      immutable: immutable || timeseries,
      timeseries,
      idType,
      fields,
      fieldsByName: new Map(fields.map((field) => [field.name, field])),
      interfaces: node.interfaces,
      description: node.description,
    });
  }

  const interfaces = new Map<string, InterfaceDefinition>();
  for (const [name, node] of interfaceNodes) {
    const fields = resolveFields(name, node.fields);
    const implementers = [...entities.values()].filter((e) => e.interfaces.includes(name));
    const idType = idTypeOf(name, fields);
    for (const implementer of implementers) {
      if (implementer.idType !== idType) {
        problems.push(
          `Type \`${implementer.name}\` implements \`${name}\` but its id is ${implementer.idType}, not ${idType}`,
        );
      }
      for (const field of fields) {
        const own = implementer.fieldsByName.get(field.name);
        if (!own) {
          problems.push(
            `Type \`${implementer.name}\` implements \`${name}\` but lacks field \`${field.name}\``,
          );
        } else if (own.type.name !== field.type.name || own.list !== field.list) {
          problems.push(
            `Field \`${implementer.name}.${field.name}\` must have the type it has in interface \`${name}\``,
          );
        }
      }
    }
    interfaces.set(name, {
      kind: 'interface',
      name,
      idType,
      fields,
      fieldsByName: new Map(fields.map((field) => [field.name, field])),
      implementers: implementers.map((e) => e.name),
      description: node.description,
    });
  }
  for (const entity of entities.values()) {
    for (const name of entity.interfaces) {
      if (!interfaces.has(name))
        problems.push(`Type \`${entity.name}\` implements unknown interface \`${name}\``);
    }
  }

  // @derivedFrom must name a field of the target type that points back at this type.
  const checkDerived = (owner: string, fields: readonly FieldDefinition[]): void => {
    for (const field of fields) {
      if (field.derivedFrom === null) continue;
      if (field.type.kind !== 'entity' && field.type.kind !== 'interface') {
        problems.push(
          `Field \`${owner}.${field.name}\`: @derivedFrom is only allowed on fields that reference entities`,
        );
        continue;
      }
      const target = entities.get(field.type.name) ?? interfaces.get(field.type.name);
      const back = target?.fieldsByName.get(field.derivedFrom);
      if (!back) {
        problems.push(
          `Field \`${owner}.${field.name}\`: @derivedFrom field \`${field.derivedFrom}\` does not exist on type \`${field.type.name}\``,
        );
      } else if (
        back.type.kind !== 'entity' &&
        back.type.kind !== 'interface' &&
        !(back.type.kind === 'scalar' && ID_TYPES.includes(back.type.name))
      ) {
        problems.push(
          `Field \`${owner}.${field.name}\`: @derivedFrom field \`${field.type.name}.${field.derivedFrom}\` must reference \`${owner}\``,
        );
      } else if (back.derivedFrom !== null) {
        problems.push(
          `Field \`${owner}.${field.name}\`: @derivedFrom field \`${field.type.name}.${field.derivedFrom}\` is itself derived`,
        );
      }
    }
  };
  for (const entity of entities.values()) checkDerived(entity.name, entity.fields);
  for (const iface of interfaces.values()) checkDerived(iface.name, iface.fields);

  if (entities.size === 0 && problems.length === 0)
    problems.push('The schema defines no @entity types');
  if (problems.length > 0) {
    throw new SchemaError(
      problems.length === 1
        ? problems[0]!
        : `schema.graphql has ${problems.length} problems:\n- ${problems.join('\n- ')}`,
      problems,
    );
  }
  return { sdl, entities, interfaces, enums };
}

function describe(node: StringValueNode | undefined): string | null {
  return node ? node.value : null;
}

function readField(owner: string, node: FieldDefinitionNode, problems: string[]): RawField {
  const name = node.name.value;
  let type: TypeNode = node.type;
  const nonNull = type.kind === Kind.NON_NULL_TYPE;
  if (type.kind === Kind.NON_NULL_TYPE) type = type.type;
  let list = false;
  let listItemNonNull = false;
  if (type.kind === Kind.LIST_TYPE) {
    list = true;
    type = type.type;
    if (type.kind === Kind.NON_NULL_TYPE) {
      listItemNonNull = true;
      type = type.type;
    }
    if (type.kind === Kind.LIST_TYPE) {
      problems.push(`Field \`${owner}.${name}\`: lists of lists are not supported`);
      while (type.kind !== Kind.NAMED_TYPE) type = type.type;
    }
  }
  const namedType = type.kind === Kind.NAMED_TYPE ? type.name.value : 'String';
  if (name.startsWith('__')) problems.push(`Field \`${owner}.${name}\` may not start with \`__\``);
  const derived = node.directives?.find((d) => d.name.value === 'derivedFrom');
  let derivedFrom: string | null = null;
  if (derived) {
    const argument = derived.arguments?.find((a) => a.name.value === 'field');
    if (argument?.value.kind !== Kind.STRING) {
      problems.push(`Field \`${owner}.${name}\`: @derivedFrom needs a string argument \`field\``);
    } else {
      derivedFrom = argument.value.value;
    }
  }
  return {
    name,
    namedType,
    nonNull,
    list,
    listItemNonNull,
    derivedFrom,
    description: describe(node.description),
  };
}

function booleanArgument(
  directive: ConstDirectiveNode,
  name: string,
  problems: string[],
  owner: string,
): boolean {
  const argument = directive.arguments?.find((a) => a.name.value === name);
  if (!argument) return false;
  if (argument.value.kind !== Kind.BOOLEAN) {
    problems.push(`Type \`${owner}\`: @entity(${name}:) must be true or false`);
    return false;
  }
  return argument.value.value;
}
