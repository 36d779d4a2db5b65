import type {
  BlockPtr,
  DynamicDataSource,
  EntityData,
  EntityOperation,
  IndexingError,
  StoreValue,
  SubgraphStore,
} from '../../src/store/types.js';

interface Version {
  readonly from: number;
  readonly data: EntityData | null;
}

function idOf(value: StoreValue | undefined): string {
  if (!value) return '';
  if (value.kind === 'Bytes') return '0x' + Buffer.from(value.value).toString('hex');
  if (value.kind === 'Null' || value.kind === 'List') return '';
  return String(value.value);
}

/**
 * An in-memory SubgraphStore with block-versioned entities, for host tests that do not need
 * Postgres. It implements the whole interface (time travel, reverts, data sources, errors).
 */
export class MemoryStore implements SubgraphStore {
  private readonly versions = new Map<string, Version[]>();
  private readonly blocks = new Map<number, BlockPtr>();
  private headPtr: BlockPtr | null = null;
  private sources: DynamicDataSource[] = [];
  private errors: IndexingError[] = [];
  /** Every transactBlock call, for assertions ("nothing indexed twice"). */
  readonly writes: { block: number; operations: number }[] = [];
  closed = false;

  async head(): Promise<BlockPtr | null> {
    return this.headPtr;
  }

  async blockPtr(number: number): Promise<BlockPtr | null> {
    return this.blocks.get(number) ?? null;
  }

  async get(entityType: string, id: string, block?: number): Promise<EntityData | null> {
    const list = this.versions.get(`${entityType}\u0000${id}`) ?? [];
    const at = block ?? Number.MAX_SAFE_INTEGER;
    let found: EntityData | null = null;
    for (const v of list) if (v.from <= at) found = v.data;
    return found;
  }

  async findReferencing(entityType: string, field: string, id: string): Promise<EntityData[]> {
    const out: EntityData[] = [];
    for (const [key, list] of this.versions) {
      if (!key.startsWith(`${entityType}\u0000`)) continue;
      const data = list[list.length - 1]?.data;
      if (!data) continue;
      const value = data[field];
      const ids = value?.kind === 'List' ? value.value.map(idOf) : [idOf(value)];
      if (ids.some((x) => x.toLowerCase() === id.toLowerCase())) out.push(data);
    }
    return out;
  }

  async transactBlock(
    block: BlockPtr,
    operations: readonly EntityOperation[],
    dataSources: readonly DynamicDataSource[],
  ): Promise<void> {
    if (this.blocks.has(block.number)) throw new Error(`block ${block.number} written twice`);
    if (this.headPtr && block.number <= this.headPtr.number) {
      throw new Error(`block ${block.number} is not above head ${this.headPtr.number}`);
    }
    for (const op of operations) {
      const key = `${op.entityType}\u0000${op.id}`;
      const list = this.versions.get(key) ?? [];
      list.push({ from: block.number, data: op.op === 'set' ? op.data : null });
      this.versions.set(key, list);
    }
    this.sources.push(...dataSources);
    this.blocks.set(block.number, block);
    this.headPtr = block;
    this.writes.push({ block: block.number, operations: operations.length });
  }

  async revertTo(blockNumber: number): Promise<void> {
    for (const [key, list] of this.versions) {
      const kept = list.filter((v) => v.from <= blockNumber);
      if (kept.length === 0) this.versions.delete(key);
      else this.versions.set(key, kept);
    }
    for (const n of [...this.blocks.keys()]) if (n > blockNumber) this.blocks.delete(n);
    this.sources = this.sources.filter((s) => s.createdAtBlock <= blockNumber);
    this.errors = this.errors.filter((e) => e.block.number <= blockNumber);
    let head: BlockPtr | null = null;
    for (const [n, ptr] of this.blocks)
      if (n <= blockNumber && (!head || n > head.number)) head = ptr;
    this.headPtr = head;
  }

  async dynamicDataSources(): Promise<DynamicDataSource[]> {
    return [...this.sources];
  }

  async recordIndexingError(error: IndexingError): Promise<void> {
    this.errors.push(error);
  }

  async indexingErrors(): Promise<IndexingError[]> {
    return [...this.errors];
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** All current entities of a type (test helper). */
  all(entityType: string): EntityData[] {
    const out: EntityData[] = [];
    for (const [key, list] of this.versions) {
      if (!key.startsWith(`${entityType}\u0000`)) continue;
      const data = list[list.length - 1]?.data;
      if (data) out.push(data);
    }
    return out;
  }
}
