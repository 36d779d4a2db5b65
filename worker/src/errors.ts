/** Base class of every error the worker throws. */
export class WorkerError extends Error {
  override name = 'WorkerError';
}

/** A flag, environment variable or config file value the worker cannot use. */
export class ConfigError extends WorkerError {
  override name = 'ConfigError';
}

/** The private key or keystore cannot be read or decrypted (never carries the secret). */
export class KeyError extends WorkerError {
  override name = 'KeyError';
}

/** The local journal is unreadable or belongs to another account, chain or run. */
export class JournalError extends WorkerError {
  override name = 'JournalError';
}

/** Content (checkpoint, spec, evidence) is unreachable within the timeout or not in the store. */
export class ContentUnavailableError extends WorkerError {
  override name = 'ContentUnavailableError';
  constructor(
    readonly cid: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`content ${cid} is unavailable: ${reason}`, options);
  }
}

/** Content was served but is not what the chain committed to (hash mismatch, malformed files). */
export class BadContentError extends WorkerError {
  override name = 'BadContentError';
  constructor(
    readonly cid: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`content ${cid} is wrong: ${reason}`, options);
  }
}

/** A transaction reverted or could not be sent. */
export class ChainError extends WorkerError {
  override name = 'ChainError';
}

/** The aggregator rejected an attestation (bad signature, not an operator, unknown candidate…). */
export class AttestationRejectedError extends WorkerError {
  override name = 'AttestationRejectedError';
}
