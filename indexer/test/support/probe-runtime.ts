import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSourceTemplateSpec, MappingSpec } from '../../src/manifest/types.js';
import type { EntityData } from '../../src/store/types.js';
import type { ChainBlock } from '../../src/wasm/chain-types.js';
import type {
  HostServices,
  Logger,
  RunningDataSource,
  TriggerContext,
} from '../../src/wasm/context.js';
import { EntityCache } from '../../src/wasm/entity-cache.js';
import { AsyncDataNeeded } from '../../src/wasm/errors.js';
import type { AscHeap } from '../../src/wasm/heap.js';
import { MappingModule } from '../../src/wasm/runtime.js';
import { readSchemaInfo } from '../../src/wasm/schema-info.js';
import { compileMapping } from './asc.js';
import { MemoryStore } from './memory-store.js';

export const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

export const testBlock: ChainBlock = {
  hash: `0x${'11'.repeat(32)}`,
  parentHash: `0x${'10'.repeat(32)}`,
  unclesHash: `0x${'22'.repeat(32)}`,
  author: `0x${'33'.repeat(20)}`,
  stateRoot: `0x${'44'.repeat(32)}`,
  transactionsRoot: `0x${'55'.repeat(32)}`,
  receiptsRoot: `0x${'66'.repeat(32)}`,
  number: 7n,
  gasUsed: 21_000n,
  gasLimit: 30_000_000n,
  timestamp: 1_700_000_000n,
  difficulty: 0n,
  totalDifficulty: 0n,
  size: 1234n,
  baseFeePerGas: 7n,
};

export interface LogLine {
  level: string;
  msg: string;
}

/** The probe mapping, compiled by asc, with a real entity cache over an in-memory store. */
export class ProbeRuntime {
  readonly logs: LogLine[] = [];
  readonly store = new MemoryStore();
  readonly cache: EntityCache;
  created: TriggerContext['created'] = [];
  ipfs: Map<string, Uint8Array> | null = new Map();
  asyncResults = new Map<string, unknown>();

  private constructor(
    readonly module: MappingModule,
    schema: string,
    readonly dataSource: RunningDataSource,
  ) {
    this.cache = new EntityCache(this.store, readSchemaInfo(schema), '0.0.9');
    this.cache.startBlock(Number(testBlock.number));
  }

  static async create(context: EntityData | null = null, reuse = true): Promise<ProbeRuntime> {
    const source = path.join(fixtures, 'probe/probe.ts');
    const wasm = await compileMapping(source);
    const schema = await readFile(path.join(fixtures, 'probe/schema.graphql'), 'utf8');
    const mapping: MappingSpec = {
      apiVersion: '0.0.9',
      language: 'wasm/assemblyscript',
      entities: [],
      abis: new Map(),
      eventHandlers: [],
      blockHandlers: [],
      file: source,
      wasm,
    };
    return new ProbeRuntime(await MappingModule.compile(wasm, { reuse }), schema, {
      name: 'Probe',
      address: '0x00000000000000000000000000000000000000aa',
      network: 'anvil',
      context,
      mapping,
      startBlock: 0,
      endBlock: null,
      template: null,
    });
  }

  services(): HostServices {
    const logger: Logger = {
      debug: (_o, msg) => this.logs.push({ level: 'debug', msg }),
      info: (_o, msg) => this.logs.push({ level: 'info', msg }),
      warn: (_o, msg) => this.logs.push({ level: 'warn', msg }),
      error: (_o, msg) => this.logs.push({ level: 'error', msg }),
    };
    const template: DataSourceTemplateSpec = {
      kind: 'ethereum/contract',
      name: 'Child',
      network: 'anvil',
      abi: 'Child',
      mapping: this.dataSource.mapping,
    };
    const ipfs = this.ipfs;
    return {
      templates: new Map([['Child', template]]),
      ethCall: async () => ({ ok: false, reason: 'no chain in this test' }),
      getBalance: async () => 0n,
      getCode: async () => '0x',
      ipfsCat: ipfs
        ? async (cid) => {
            const data = ipfs.get(cid);
            if (!data) throw new Error(`not found: ${cid}`);
            return data;
          }
        : null,
      logger,
    };
  }

  async call(handler: string, writeArg: (heap: AscHeap) => number): Promise<void> {
    const ctx: TriggerContext = {
      dataSource: this.dataSource,
      block: testBlock,
      cache: this.cache,
      created: this.created,
      asyncResults: this.asyncResults,
      services: this.services(),
    };
    await this.module.run(ctx, handler, writeArg);
  }

  /** Calls a handler that takes a string. */
  async callString(handler: string, arg: string): Promise<void> {
    await this.call(handler, (heap) => heap.writeString(arg));
  }

  /** The entity as written in this block (resolving store reads the cache asks for). */
  async entity(entityType: string, id: string): Promise<EntityData | null> {
    for (;;) {
      try {
        return this.cache.getInBlock(entityType, id);
      } catch (error) {
        if (!(error instanceof AsyncDataNeeded)) throw error;
        await error.load();
      }
    }
  }

  async result(id: string): Promise<string | null> {
    const e = await this.entity('Result', id);
    const text = e?.text;
    return text?.kind === 'String' ? text.value : null;
  }
}
