export { EngineError } from './errors.js';
export { backends, type BackendName, BackendUnavailableError, useBackend } from './backend.js';
