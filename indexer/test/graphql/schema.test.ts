import { describe, expect, it } from 'vitest';
import {
  EntityValidationError,
  SchemaError,
  UnknownEntityTypeError,
  loadSchema,
  queryFieldNames,
  validateEntity,
} from '../../src/schema/index.js';

const SDL = /* GraphQL */ `
  enum Status {
    Open
    Closed
  }
  interface Named {
    id: ID!
    name: String!
  }
  type Account @entity {
    id: Bytes!
    balance: BigInt!
    tokens: [Token!]! @derivedFrom(field: "owner")
  }
  type Token implements Named @entity {
    id: ID!
    name: String!
    owner: Account!
    status: Status
    tags: [String!]
    price: BigDecimal
  }
  type Transfer @entity(immutable: true) {
    id: Int8!
    token: Token!
    amount: BigInt!
    at: Timestamp!
  }
  type Stat @entity(timeseries: true) {
    id: Int8!
    timestamp: Timestamp!
    value: BigDecimal!
  }
`;

describe('loadSchema', () => {
  it('reads entity types, interfaces, enums, id types and @entity arguments', () => {
    const schema = loadSchema(SDL);
    expect([...schema.entities.keys()]).toEqual(['Account', 'Token', 'Transfer', 'Stat']);
    expect(schema.entities.get('Account')?.idType).toBe('Bytes');
    expect(schema.entities.get('Transfer')).toMatchObject({ immutable: true, idType: 'Int8' });
    expect(schema.entities.get('Stat')).toMatchObject({ immutable: true, timeseries: true });
    expect(schema.interfaces.get('Named')?.implementers).toEqual(['Token']);
    expect(schema.enums.get('Status')?.values).toEqual(['Open', 'Closed']);
    expect(schema.entities.get('Account')?.fieldsByName.get('tokens')).toMatchObject({
      list: true,
      derivedFrom: 'owner',
      type: { kind: 'entity', name: 'Token' },
    });
    expect(schema.entities.get('Token')?.fieldsByName.get('tags')).toMatchObject({
      list: true,
      listItemNonNull: true,
      nonNull: false,
    });
  });

  it('lists every problem of a bad schema in one SchemaError', () => {
    const bad = `
      type NoId @entity { name: String }
      type Plain { id: ID! }
      type Broken @entity { id: ID! other: Missing kids: [NoId!]! @derivedFrom(field: "nope") }
    `;
    let caught: unknown;
    try {
      loadSchema(bad);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SchemaError);
    const problems = (caught as SchemaError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('`NoId` has no `id` field'),
        expect.stringContaining('`Plain` is missing the @entity directive'),
        expect.stringContaining('unknown type `Missing`'),
        expect.stringContaining('`nope` does not exist on type `NoId`'),
      ]),
    );
    expect(() => loadSchema('type {')).toThrowError(/does not parse/);
  });

  it('names @aggregation and @fulltext as unsupported features, not as missing @entity', () => {
    const features = `
      type Data @entity(timeseries: true) { id: Int8! timestamp: Timestamp! price: BigDecimal! }
      type Stats @aggregation(intervals: ["hour"], source: "Data") {
        id: Int8! timestamp: Timestamp! sum: BigDecimal! @aggregate(fn: "sum", arg: "price")
      }
      type _Schema_ @fulltext(name: "search", language: en, algorithm: rank, include: [{ entity: "Data", fields: [{ name: "id" }] }])
    `;
    let caught: unknown;
    try {
      loadSchema(features);
    } catch (error) {
      caught = error;
    }
    const problems = (caught as SchemaError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        'Type `Stats` is an @aggregation (graph-node aggregations over timeseries); um-indexer does not support aggregations yet',
        '`_Schema_` declares @fulltext search fields; um-indexer does not support full-text search yet',
      ]),
    );
    expect(problems.join('\n')).not.toMatch(/missing the @entity/);
  });

  it('names query fields as graph-node (Inflector) does', () => {
    expect(queryFieldNames('SetEvent')).toEqual({ single: 'setEvent', collection: 'setEvents' });
    expect(queryFieldNames('Stats')).toEqual({ single: 'stats', collection: 'stats_collection' });
    expect(queryFieldNames('Category').collection).toBe('categories');
    expect(queryFieldNames('Address').collection).toBe('addresses');
    expect(queryFieldNames('Analysis').collection).toBe('analyses');
    expect(queryFieldNames('Leaf').collection).toBe('leaves');
    expect(queryFieldNames('Person').collection).toBe('persons');
    expect(queryFieldNames('TokenDayData').collection).toBe('tokenDayDatas');
    expect(queryFieldNames('ERC20Token').single).toBe('erc20Token');
    expect(queryFieldNames('NFT').single).toBe('nft');
    expect(queryFieldNames('Token_Holder').single).toBe('tokenHolder');
  });
});

describe('validateEntity', () => {
  const schema = loadSchema(SDL);
  const token = {
    id: { kind: 'String', value: 't1' },
    name: { kind: 'String', value: 'One' },
    owner: { kind: 'Bytes', value: new Uint8Array([1, 2]) },
  } as const;

  it('accepts a well-typed entity and rejects each kind of mistake with graph-node messages', () => {
    expect(() => validateEntity(schema, 'Token', 't1', token)).not.toThrow();
    expect(() =>
      validateEntity(schema, 'Token', 't1', { ...token, name: { kind: 'Null' } }),
    ).toThrowError('Entity Token[t1]: missing value for non-nullable field `name`');
    expect(() =>
      validateEntity(schema, 'Token', 't1', { ...token, price: { kind: 'Int', value: 3 } }),
    ).toThrowError(/the value `3` for field `price` must have type BigDecimal but has type Int/);
    expect(() =>
      validateEntity(schema, 'Token', 't1', {
        ...token,
        status: { kind: 'String', value: 'Nope' },
      }),
    ).toThrowError(EntityValidationError);
    expect(() =>
      validateEntity(schema, 'Token', 't1', { ...token, extra: { kind: 'Int', value: 1 } }),
    ).toThrowError('Attempted to set undefined fields [extra] for the entity type `Token`.');
    expect(() =>
      validateEntity(schema, 'Account', '0x01', {
        id: { kind: 'Bytes', value: new Uint8Array([1]) },
        balance: { kind: 'BigInt', value: 1n },
        tokens: { kind: 'List', value: [] },
      }),
    ).toThrowError('field `tokens` is derived and cannot be set');
    expect(() => validateEntity(schema, 'Named', 'x', token)).toThrowError(UnknownEntityTypeError);
  });
});
