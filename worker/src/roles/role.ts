import type { ServiceStatus } from '../http/server.js';

/** One long-running duty of the worker (trainer, verifier, evaluator, aggregator). */
export interface Role {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  status(): ServiceStatus;
  /** Runs until `signal` aborts; finishes the step in hand first (graceful shutdown). */
  run(signal: AbortSignal): Promise<void>;
}
