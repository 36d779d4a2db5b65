import type { Abi, AbiEvent } from 'viem';
import type { EntityData } from '../store/types.js';

export type Hex = `0x${string}`;

export interface EventHandlerSpec {
  /** The signature as written in the manifest, e.g. `Transfer(indexed address,indexed address,uint256)`. */
  readonly event: string;
  readonly handler: string;
  readonly topic0: Hex;
  /** topic1..topic3 filters (specVersion >= 1.2.0): a log matches when its topic is in the list. */
  readonly topicFilters: readonly [
    readonly Hex[] | null,
    readonly Hex[] | null,
    readonly Hex[] | null,
  ];
  readonly receipt: boolean;
  readonly abiEvent: AbiEvent;
}

export type BlockHandlerFilter =
  | { readonly kind: 'every' }
  | { readonly kind: 'once' }
  | { readonly kind: 'polling'; readonly every: number };

export interface BlockHandlerSpec {
  readonly handler: string;
  readonly filter: BlockHandlerFilter;
}

export interface MappingSpec {
  readonly apiVersion: string;
  readonly language: string;
  readonly entities: readonly string[];
  readonly abis: ReadonlyMap<string, Abi>;
  readonly eventHandlers: readonly EventHandlerSpec[];
  readonly blockHandlers: readonly BlockHandlerSpec[];
  /** Absolute path of the compiled mapping. */
  readonly file: string;
  readonly wasm: Uint8Array;
}

export interface DataSourceTemplateSpec {
  readonly kind: string;
  readonly name: string;
  readonly network: string;
  readonly abi: string;
  readonly mapping: MappingSpec;
}

export interface DataSourceSpec extends DataSourceTemplateSpec {
  readonly address: Hex | null;
  readonly startBlock: number;
  /** Inclusive (specVersion >= 0.0.9). */
  readonly endBlock: number | null;
  readonly context: EntityData | null;
}

export interface SubgraphManifest {
  readonly specVersion: string;
  readonly dir: string;
  readonly schemaFile: string;
  readonly schema: string;
  readonly features: readonly string[];
  readonly dataSources: readonly DataSourceSpec[];
  readonly templates: readonly DataSourceTemplateSpec[];
  /** The network of the data sources (graph-node requires a single one per subgraph). */
  readonly network: string;
}
