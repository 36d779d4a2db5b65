export { WorkerError, ConfigError } from './errors.js';
export { roles, type Role, parseRoles } from './cli/roles.js';
