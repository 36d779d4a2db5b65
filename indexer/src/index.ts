export { IndexerError, ConfigError } from './errors.js';
export { type IndexerOptions, parseCli, usage } from './cli/options.js';
