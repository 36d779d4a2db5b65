/** Base class of every error the worker throws. */
export class WorkerError extends Error {
  override name = 'WorkerError';
}

/** A flag, environment variable or config file value the worker cannot use. */
export class ConfigError extends WorkerError {
  override name = 'ConfigError';
}
