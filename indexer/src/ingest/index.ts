export {
  SubgraphIndexer,
  SubgraphFailedError,
  type IndexerOptions,
  type IndexerStatus,
  type IndexerState,
} from './indexer.js';
export { ChainSource, DEFAULT_RANGE, type RangeOptions, type FullBlock } from './chain.js';
