import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type ObjectTypeDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';

const schema = parse(readFileSync(join(import.meta.dirname, '..', 'schema.graphql'), 'utf8'));
const entities = schema.definitions.filter(
  (d): d is ObjectTypeDefinitionNode =>
    d.kind === Kind.OBJECT_TYPE_DEFINITION &&
    (d.directives ?? []).some((x) => x.name.value === 'entity'),
);

describe('schema.graphql', () => {
  it('declares entities', () => {
    expect(entities.map((e) => e.name.value)).toContain('Protocol');
  });

  it.each(entities.map((e) => [e.name.value, e] as const))(
    '%s has a non-null id of a type graph-node accepts',
    (_name, entity) => {
      const id = entity.fields?.find((f) => f.name.value === 'id');
      expect(id?.type.kind).toBe(Kind.NON_NULL_TYPE);
      const named =
        id?.type.kind === Kind.NON_NULL_TYPE && id.type.type.kind === Kind.NAMED_TYPE
          ? id.type.type.name.value
          : '';
      expect(['ID', 'String', 'Bytes', 'Int8']).toContain(named);
    },
  );
});
