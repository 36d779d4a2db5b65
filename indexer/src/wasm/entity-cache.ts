import { bytesToHex, hexToBytes } from 'viem';
import type { EntityData, EntityOperation, StoreValue, SubgraphStore } from '../store/types.js';
import { AsyncDataNeeded, DeterministicError } from './errors.js';
import type { EntityTypeInfo, FieldInfo, SchemaInfo } from './schema-info.js';

/** A block's pending change to one entity. `partial`: set() calls not yet merged with the stored base. */
interface Update {
  readonly entityType: string;
  readonly id: string;
  readonly data: Record<string, StoreValue> | null;
  readonly partial: boolean;
}

const SCALAR_KIND: Readonly<Record<string, StoreValue['kind']>> = {
  ID: 'String',
  String: 'String',
  Int: 'Int',
  Int8: 'Int8',
  BigInt: 'BigInt',
  BigDecimal: 'BigDecimal',
  Bytes: 'Bytes',
  Boolean: 'Bool',
  Timestamp: 'Timestamp',
};

/** The cache of latest entity states kept across blocks (cleared on revert). */
const KNOWN_LIMIT = 50_000;

export interface CacheCheckpoint {
  readonly journalLength: number;
  readonly autoIdSeq: number;
}

/**
 * graph-node's per-block entity cache: store.get sees every earlier write of the block, set() is a
 * merge (NULL removes a field), remove-then-set overwrites, and a failed handler's writes are rolled
 * back. Store reads are asynchronous, so a miss throws AsyncDataNeeded and the handler is replayed.
 */
export class EntityCache {
  private readonly known = new Map<string, EntityData | null>();
  private related = new Map<string, EntityData[]>();
  private updates = new Map<string, Update>();
  private journal: [string, Update | undefined][] = [];
  private autoIdSeq = 0;
  private blockNumber = 0;

  constructor(
    private readonly store: SubgraphStore,
    private readonly schema: SchemaInfo,
    private readonly apiVersion: string,
  ) {}

  startBlock(blockNumber: number): void {
    this.updates = new Map();
    this.journal = [];
    this.related = new Map();
    this.autoIdSeq = 0;
    this.blockNumber = blockNumber;
  }

  /** Forgets everything cached from the store (after a revert). */
  reset(): void {
    this.known.clear();
    this.startBlock(0);
  }

  checkpoint(): CacheCheckpoint {
    return { journalLength: this.journal.length, autoIdSeq: this.autoIdSeq };
  }

  rollback(to: CacheCheckpoint): void {
    while (this.journal.length > to.journalLength) {
      const [key, previous] = this.journal.pop()!;
      if (previous === undefined) this.updates.delete(key);
      else this.updates.set(key, previous);
    }
    this.autoIdSeq = to.autoIdSeq;
  }

  private put(key: string, update: Update): void {
    this.journal.push([key, this.updates.get(key)]);
    this.updates.set(key, update);
  }

  entityType(name: string): EntityTypeInfo {
    const info = this.schema.entities.get(name);
    if (!info) {
      throw new DeterministicError(
        `Cannot get entity of type \`${name}\`. The type must be an @entity type`,
      );
    }
    return info;
  }

  private loadKnown(entityType: string, id: string, key: string): AsyncDataNeeded {
    return new AsyncDataNeeded(`${entityType}[${id}]`, async () => {
      const entity = await this.store.get(entityType, id);
      this.remember(key, entity);
    });
  }

  private remember(key: string, entity: EntityData | null): void {
    if (this.known.size >= KNOWN_LIMIT) this.known.clear();
    this.known.set(key, entity);
  }

  /** Resolves a partial update against the stored base (throws AsyncDataNeeded when unknown). */
  private materialize(key: string, update: Update): Update {
    if (!update.partial) return update;
    if (!this.known.has(key)) throw this.loadKnown(update.entityType, update.id, key);
    const base = this.known.get(key) ?? null;
    const merged: Update = {
      entityType: update.entityType,
      id: update.id,
      data: base ? mergeEntity(base, update.data!) : update.data,
      partial: false,
    };
    this.validate(this.entityType(update.entityType), update.id, merged.data!);
    this.put(key, merged);
    return merged;
  }

  get(entityType: string, id: string): EntityData | null {
    this.entityType(entityType);
    const key = `${entityType}\u0000${id}`;
    const update = this.updates.get(key);
    if (update) return this.materialize(key, update).data;
    if (this.known.has(key)) return this.known.get(key) ?? null;
    throw this.loadKnown(entityType, id, key);
  }

  getInBlock(entityType: string, id: string): EntityData | null {
    this.entityType(entityType);
    const key = `${entityType}\u0000${id}`;
    const update = this.updates.get(key);
    return update ? this.materialize(key, update).data : null;
  }

  set(entityType: string, rawId: string, data: Record<string, StoreValue>): void {
    const info = this.entityType(entityType);
    const id = rawId === 'auto' ? this.autoId(info) : rawId;
    const fields = { ...data };
    this.checkFields(info, id, fields);
    const idValue = idToValue(info, id);
    const given = fields.id;
    if (given === undefined || rawId === 'auto') {
      fields.id = idValue;
    } else if (!sameValue(given, idValue)) {
      if (given.kind !== idValue.kind) {
        throw new DeterministicError(
          `Attribute \`${entityType}.id\` has wrong type: expected ${idValue.kind} but got ${given.kind}`,
        );
      }
      throw new DeterministicError(
        `Value of ${entityType} attribute 'id' conflicts with ID passed to store.set(): ${describe(given)} != ${describe(idValue)}`,
      );
    }
    const key = `${entityType}\u0000${id}`;
    const update = this.updates.get(key);
    let next: Update;
    if (update) {
      next =
        update.data === null
          ? { entityType, id, data: dropNulls(fields), partial: false }
          : { entityType, id, data: mergeEntity(update.data, fields), partial: update.partial };
    } else if (this.known.has(key) || info.immutable) {
      const base = info.immutable ? null : (this.known.get(key) ?? null);
      next = {
        entityType,
        id,
        data: base ? mergeEntity(base, fields) : dropNulls(fields),
        partial: false,
      };
    } else {
      next = { entityType, id, data: dropNulls(fields), partial: true };
    }
    if (!next.partial) this.validate(info, id, next.data!);
    this.put(key, next);
  }

  remove(entityType: string, id: string): void {
    this.entityType(entityType);
    const key = `${entityType}\u0000${id}`;
    this.put(key, { entityType, id, data: null, partial: false });
  }

  /** Entities referencing `id` through the @derivedFrom field `field` of `entityType`. */
  loadRelated(entityType: string, id: string, field: string): EntityData[] {
    const info = this.entityType(entityType);
    const fieldInfo = info.fields.get(field);
    if (!fieldInfo?.derivedFrom) {
      throw new DeterministicError(
        `Entity ${entityType}[${id}]: field \`${field}\` is not a derived field`,
      );
    }
    const target = this.entityType(fieldInfo.type);
    const via = fieldInfo.derivedFrom;
    const relKey = `${target.name}\u0000${via}\u0000${id}`;
    let base = this.related.get(relKey);
    if (!base) {
      throw new AsyncDataNeeded(`${target.name}.${via} = ${id}`, async () => {
        this.related.set(relKey, await this.store.findReferencing(target.name, via, id));
      });
    }
    const byId = new Map<string, EntityData>();
    for (const e of base) byId.set(idText(e.id!), e);
    for (const [key, update] of this.updates) {
      if (update.entityType !== target.name) continue;
      const u = this.materialize(key, update);
      if (u.data === null || !references(u.data[via], info, id)) byId.delete(u.id);
      else byId.set(u.id, u.data);
    }
    base = [...byId.values()];
    return base.sort((a, b) => (idText(a.id!) < idText(b.id!) ? -1 : 1));
  }

  /** Bases still unknown for partial updates (loaded in one pass before flushing). */
  async flush(): Promise<EntityOperation[]> {
    for (const [key, update] of this.updates) {
      if (update.partial && !this.known.has(key)) {
        this.remember(key, await this.store.get(update.entityType, update.id));
      }
    }
    const ops: EntityOperation[] = [];
    for (const [key, raw] of this.updates) {
      const update = this.materialize(key, raw);
      if (update.data === null) {
        ops.push({ op: 'remove', entityType: update.entityType, id: update.id });
      } else {
        ops.push({ op: 'set', entityType: update.entityType, id: update.id, data: update.data });
      }
      // immutable entities are rarely read again: keeping them would only grow the heap (and GC)
      if (!this.schema.entities.get(update.entityType)?.immutable) this.remember(key, update.data);
      else this.known.delete(key);
    }
    this.updates = new Map();
    this.journal = [];
    return ops;
  }

  get pendingWrites(): number {
    return this.updates.size;
  }

  private autoId(info: EntityTypeInfo): string {
    const seq = this.autoIdSeq++;
    if (info.idType === 'Int8') return ((BigInt(this.blockNumber) << 32n) | BigInt(seq)).toString();
    if (info.idType === 'Bytes') {
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setUint32(0, this.blockNumber);
      new DataView(bytes.buffer).setUint32(4, seq);
      return bytesToHex(bytes);
    }
    throw new DeterministicError(
      `id type String of ${info.name} cannot be generated automatically (store.set with "auto")`,
    );
  }

  private checkFields(info: EntityTypeInfo, id: string, data: Record<string, StoreValue>): void {
    const undefinedFields = Object.keys(data).filter((k) => !info.fields.has(k));
    if (undefinedFields.length > 0 && compareVersions(this.apiVersion, '0.0.8') >= 0) {
      throw new DeterministicError(
        `Attempted to set undefined fields [${undefinedFields.join(', ')}] for the entity type \`${info.name}\`. Make sure those fields are defined in the schema.`,
      );
    }
    for (const k of undefinedFields) delete data[k];
    for (const [name, value] of Object.entries(data)) {
      const field = info.fields.get(name)!;
      if (field.derivedFrom) {
        throw new DeterministicError(
          `Entity ${info.name}[${id}]: field \`${name}\` is derived and cannot be set`,
        );
      }
      if (value.kind === 'Null') continue;
      const expected = this.expectedKind(field);
      const ok = field.list
        ? value.kind === 'List' && value.value.every((v) => v.kind === expected)
        : value.kind === expected;
      if (!ok) {
        throw new DeterministicError(
          `Entity ${info.name}[${id}]: the value \`${describe(value)}\` for field \`${name}\` must have type ${field.list ? `[${field.type}]` : field.type} but has type ${value.kind}`,
        );
      }
    }
  }

  private expectedKind(field: FieldInfo): StoreValue['kind'] {
    const scalar = SCALAR_KIND[field.type];
    if (scalar) return scalar;
    const ref = this.schema.entities.get(field.type);
    if (ref) return ref.idType === 'String' ? 'String' : ref.idType;
    if (this.schema.interfaces.has(field.type)) {
      const impl = [...this.schema.entities.values()].find((e) => e.fields.has('id'));
      return impl && impl.idType !== 'String' ? impl.idType : 'String';
    }
    return 'String'; // enums
  }

  private validate(info: EntityTypeInfo, id: string, data: EntityData): void {
    for (const field of info.fields.values()) {
      if (
        field.nonNull &&
        !field.derivedFrom &&
        (data[field.name] === undefined || data[field.name]!.kind === 'Null')
      ) {
        throw new DeterministicError(
          `Entity ${info.name}[${id}]: missing value for non-nullable field \`${field.name}\``,
        );
      }
    }
  }
}

export function idToValue(info: EntityTypeInfo, id: string): StoreValue {
  if (info.idType === 'Bytes') {
    const hex = id.startsWith('0x') ? id : `0x${id}`;
    if (!/^0x([0-9a-fA-F]{2})*$/.test(hex)) {
      throw new DeterministicError(`Failed to convert id \`${id}\` of ${info.name} to Bytes`);
    }
    return { kind: 'Bytes', value: hexToBytes(hex as `0x${string}`) };
  }
  if (info.idType === 'Int8') {
    if (!/^-?\d+$/.test(id))
      throw new DeterministicError(`Failed to convert id \`${id}\` of ${info.name} to Int8`);
    return { kind: 'Int8', value: BigInt(id) };
  }
  return { kind: 'String', value: id };
}

/** The id as the host passes it around: String as-is, Bytes as 0x-hex, Int8 as decimal. */
export function idText(value: StoreValue): string {
  switch (value.kind) {
    case 'String':
      return value.value;
    case 'Bytes':
      return bytesToHex(value.value);
    case 'Int8':
    case 'Int':
      return value.value.toString();
    default:
      return '';
  }
}

function references(value: StoreValue | undefined, _parent: EntityTypeInfo, id: string): boolean {
  if (!value) return false;
  if (value.kind === 'List')
    return value.value.some((v) => idText(v).toLowerCase() === id.toLowerCase());
  return idText(value).toLowerCase() === id.toLowerCase();
}

function dropNulls(data: Record<string, StoreValue>): Record<string, StoreValue> {
  const out: Record<string, StoreValue> = {};
  for (const [k, v] of Object.entries(data)) if (v.kind !== 'Null') out[k] = v;
  return out;
}

function mergeEntity(
  base: EntityData,
  changes: Record<string, StoreValue>,
): Record<string, StoreValue> {
  const out: Record<string, StoreValue> = { ...base };
  for (const [k, v] of Object.entries(changes)) {
    if (v.kind === 'Null') delete out[k];
    else out[k] = v;
  }
  return out;
}

function sameValue(a: StoreValue, b: StoreValue): boolean {
  return a.kind === b.kind && idText(a) === idText(b);
}

function describe(value: StoreValue): string {
  switch (value.kind) {
    case 'Null':
      return 'null';
    case 'List':
      return `[${value.value.map(describe).join(', ')}]`;
    case 'Bytes':
      return bytesToHex(value.value);
    default:
      return String(value.value);
  }
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
