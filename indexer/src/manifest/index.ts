export { loadManifest, canonicalType, MAX_SPEC_VERSION, SUPPORTED_API_VERSIONS } from './load.js';
export { ManifestError, UnsupportedFeatureError } from './errors.js';
export type * from './types.js';
