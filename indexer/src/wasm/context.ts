import type { DataSourceTemplateSpec, Hex, MappingSpec } from '../manifest/types.js';
import type { DynamicDataSource, EntityData } from '../store/types.js';
import type { ChainBlock } from './chain-types.js';
import type { EntityCache } from './entity-cache.js';

/** A data source as a handler sees it (static, or created from a template). */
export interface RunningDataSource {
  readonly name: string;
  readonly address: Hex | null;
  readonly network: string;
  readonly context: EntityData | null;
  readonly mapping: MappingSpec;
  readonly startBlock: number;
  readonly endBlock: number | null;
  /** For dynamic data sources: the template it came from. */
  readonly template: string | null;
}

export type EthCallResult =
  { readonly ok: true; readonly data: Hex } | { readonly ok: false; readonly reason: string };

export interface Logger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** What host functions need from outside the WASM runtime. */
export interface HostServices {
  readonly templates: ReadonlyMap<string, DataSourceTemplateSpec>;
  /** eth_call at a block by hash; `ok: false` when the call reverted. RPC failures throw. */
  ethCall(to: Hex, data: Hex, blockHash: Hex): Promise<EthCallResult>;
  getBalance(address: Hex, blockHash: Hex): Promise<bigint>;
  getCode(address: Hex, blockHash: Hex): Promise<Hex>;
  /** IPFS content by CID; null disables ipfs.cat as graph-node does by default. */
  readonly ipfsCat: ((cid: string) => Promise<Uint8Array>) | null;
  readonly logger: Logger;
}

/** Everything one handler call can touch. */
export interface TriggerContext {
  readonly dataSource: RunningDataSource;
  readonly block: ChainBlock;
  readonly cache: EntityCache;
  /** Data sources created by handlers of this block (rolled back with a failed handler). */
  readonly created: DynamicDataSource[];
  /** Results of asynchronous host calls for this block (eth_call, ipfs.cat), keyed by request. */
  readonly asyncResults: Map<string, unknown>;
  readonly services: HostServices;
}
