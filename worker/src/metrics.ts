import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics one worker process exports on /metrics (prefix um_worker_). */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly stepsComputed: Counter<'role'>;
  readonly stepLatency: Histogram<'role'>;
  readonly roundsSubmitted: Counter;
  readonly roundsFinalized: Counter;
  readonly roundsVerified: Counter<'result'>;
  readonly challengesRaised: Counter<'reason'>;
  readonly challengeCommits: Counter<'outcome'>;
  readonly attestationsSigned: Counter;
  readonly attestationsSubmitted: Counter<'outcome'>;
  readonly chainErrors: Counter<'operation'>;
  readonly ipfsErrors: Counter<'operation'>;
  readonly ethBalance: Gauge;
  readonly up: Gauge<'role'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.defaultMetrics ?? true)
      collectDefaultMetrics({ register: this.registry, prefix: 'um_worker_' });
    this.stepsComputed = new Counter({
      name: 'um_worker_steps_computed_total',
      help: 'Training steps computed (trainer) or recomputed (verifier, voter)',
      labelNames: ['role'],
      registers,
    });
    this.stepLatency = new Histogram({
      name: 'um_worker_step_latency_seconds',
      help: 'Wall time of one training step',
      labelNames: ['role'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.roundsSubmitted = new Counter({
      name: 'um_worker_rounds_submitted_total',
      help: 'Rounds this worker submitted',
      registers,
    });
    this.roundsFinalized = new Counter({
      name: 'um_worker_rounds_finalized_total',
      help: 'Rounds finalised by this worker (any worker’s round)',
      registers,
    });
    this.roundsVerified = new Counter({
      name: 'um_worker_rounds_verified_total',
      help: 'Rounds the verifier checked, by result (valid, fraud, bad-checkpoint, skipped)',
      labelNames: ['result'],
      registers,
    });
    this.challengesRaised = new Counter({
      name: 'um_worker_challenges_raised_total',
      help: 'Challenges revealed (disputes opened), by reason (wrong-step)',
      labelNames: ['reason'],
      registers,
    });
    this.challengeCommits = new Counter({
      name: 'um_worker_challenge_commits_total',
      help: 'Challenge commitments by outcome (committed, revealed, expired, reclaimed)',
      labelNames: ['outcome'],
      registers,
    });
    this.attestationsSigned = new Counter({
      name: 'um_worker_attestations_signed_total',
      help: 'EIP-712 score attestations signed by this operator',
      registers,
    });
    this.attestationsSubmitted = new Counter({
      name: 'um_worker_attestations_submitted_total',
      help: 'attest() calls by the aggregator, by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.chainErrors = new Counter({
      name: 'um_worker_chain_errors_total',
      help: 'Failed RPC calls and reverted transactions',
      labelNames: ['operation'],
      registers,
    });
    this.ipfsErrors = new Counter({
      name: 'um_worker_ipfs_errors_total',
      help: 'Failed or timed-out IPFS reads and writes',
      labelNames: ['operation'],
      registers,
    });
    this.ethBalance = new Gauge({
      name: 'um_worker_eth_balance_wei',
      help: 'ETH balance of the worker account (wei, as a float)',
      registers,
    });
    this.up = new Gauge({
      name: 'um_worker_role_up',
      help: '1 while a role loop runs',
      labelNames: ['role'],
      registers,
    });
  }
}
