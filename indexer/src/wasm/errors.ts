import { IndexerError } from '../errors.js';

/**
 * A handler failure graph-node classifies as deterministic: the same input fails the same way on
 * every machine, so it is recorded as an indexing error instead of being retried.
 */
export class DeterministicError extends IndexerError {
  override name = 'DeterministicError';
}

/** A failure that may pass on retry (RPC, store, an invalid write graph-node treats as transient). */
export class NonDeterministicError extends IndexerError {
  override name = 'NonDeterministicError';
}

/**
 * Thrown out of a host function that needs data only available asynchronously (store reads,
 * eth_call, IPFS). The runner awaits `load()`, then replays the handler from a fresh instance:
 * handlers are deterministic, so the replay reaches the same point and finds the data cached.
 */
export class AsyncDataNeeded extends Error {
  override name = 'AsyncDataNeeded';
  constructor(
    readonly what: string,
    readonly load: () => Promise<void>,
  ) {
    super(`needs ${what}`);
  }
}
