/** Base class of every error the indexer throws. */
export class IndexerError extends Error {
  override name = 'IndexerError';
}

/** A command-line flag or environment variable has a value the indexer cannot use. */
export class ConfigError extends IndexerError {
  override name = 'ConfigError';
}
