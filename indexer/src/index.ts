export { IndexerError, ConfigError } from './errors.js';
export { type IndexerOptions, parseCli, usage } from './cli/options.js';
export { runIndexer, gatewayFetcher, type RunOptions, type RunningIndexer } from './cli/run.js';
export {
  loadManifest,
  ManifestError,
  UnsupportedFeatureError,
  type SubgraphManifest,
  type DataSourceSpec,
  type DataSourceTemplateSpec,
} from './manifest/index.js';
export {
  SubgraphIndexer,
  SubgraphFailedError,
  ChainSource,
  type IndexerStatus,
  type IndexerState,
} from './ingest/index.js';
export {
  MappingModule,
  UnsupportedHostFunctionError,
  DeterministicError,
  NonDeterministicError,
} from './wasm/index.js';
