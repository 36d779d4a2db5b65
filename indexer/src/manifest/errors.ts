import { IndexerError } from '../errors.js';

/** subgraph.yaml, an ABI or a mapping file is missing or not something the indexer can run. */
export class ManifestError extends IndexerError {
  override name = 'ManifestError';
  constructor(
    message: string,
    /** Where in the manifest, e.g. `dataSources[0].mapping.eventHandlers[1]`. */
    readonly path: string = '',
  ) {
    super(path ? `${path}: ${message}` : message);
  }
}

/** The manifest uses a feature graph-node has but this host does not implement. */
export class UnsupportedFeatureError extends ManifestError {
  override name = 'UnsupportedFeatureError';
}
