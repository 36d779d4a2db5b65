import {
  Engine,
  EngineError,
  stateHash,
  type CheckpointFiles,
  type ContentStore,
  type TrainingState,
} from '@um/engine';
import { trainingRunAbi } from '@um/protocol/abis';
import { decodeSpec, type RunSpec } from '@um/protocol';
import type { Address, Hex } from 'viem';
import type { ChainConnection } from '../chain/client.js';
import { catWithin, cidOf } from '../content/store.js';
import { BadContentError, ContentUnavailableError } from '../errors.js';

/** The on-chain RunConfig as viem decodes it. */
export interface RunConfig {
  readonly specHash: Hex;
  readonly specURI: string;
  readonly initialStateHash: Hex;
  readonly stepsPerRound: bigint;
  readonly leaseDuration: bigint;
  readonly challengeWindow: bigint;
  readonly maxRounds: bigint;
  readonly workerDeposit: bigint;
  readonly challengerDeposit: bigint;
  readonly rewardPerRound: bigint;
}

/** Round status enum of TrainingRun. */
export const RoundStatus = {
  None: 0,
  Claimed: 1,
  Submitted: 2,
  Finalized: 3,
  Invalidated: 4,
} as const;

/** CommitState enum of TrainingRun (a challenge commitment's life). */
export const CommitState = {
  None: 0,
  Committed: 1,
  Revealed: 2,
  Expired: 3,
  Reclaimed: 4,
} as const;

export interface RoundSubmission {
  readonly round: number;
  readonly worker: Address;
  readonly firstStep: number;
  /** stateHash(s_t) for t = firstStep … firstStep+k−1: the round's on-chain commitment. */
  readonly stateHashes: readonly Hex[];
  readonly finalStateHash: Hex;
  readonly stateURI: string;
  readonly losses: readonly bigint[];
  readonly challengeDeadline: bigint;
  readonly blockNumber: bigint;
  readonly logIndex: number;
}

/**
 * One training run seen from a worker: its fixed config, its spec (fetched from IPFS and checked
 * against specHash), an engine for the spec and a small cache of states by hash, so a worker never
 * fetches a state it computed itself.
 */
export class RunContext {
  private readonly cache = new Map<Hex, TrainingState>();

  private constructor(
    readonly conn: ChainConnection,
    readonly store: ContentStore,
    readonly address: Address,
    readonly config: RunConfig,
    readonly spec: RunSpec,
    readonly engine: Engine,
    readonly fromBlock: bigint,
    readonly contentTimeoutMs: number,
  ) {}

  static async open(args: {
    conn: ChainConnection;
    store: ContentStore;
    run: Address;
    fromBlock?: bigint;
    contentTimeoutMs?: number;
  }): Promise<RunContext> {
    const config = (await args.conn.publicClient.readContract({
      address: args.run,
      abi: trainingRunAbi,
      functionName: 'config',
    })) as RunConfig;
    const timeout = args.contentTimeoutMs ?? 10_000;
    const bytes = await catWithin(args.store, config.specURI, undefined, timeout);
    let spec: RunSpec;
    try {
      spec = decodeSpec(bytes, { expectedHash: config.specHash });
    } catch (error) {
      throw new BadContentError(
        cidOf(config.specURI),
        `the run spec does not match specHash: ${(error as Error).message}`,
      );
    }
    if (BigInt(spec.stepsPerRound) !== config.stepsPerRound)
      throw new BadContentError(
        cidOf(config.specURI),
        `the spec says ${spec.stepsPerRound} steps per round, the run ${config.stepsPerRound}`,
      );
    const engine = await Engine.create(spec);
    return new RunContext(
      args.conn,
      args.store,
      args.run,
      config,
      spec,
      engine,
      args.fromBlock ?? 0n,
      timeout,
    );
  }

  get k(): number {
    return Number(this.config.stepsPerRound);
  }

  /** Global steps of round r (0-based rounds, as on chain): r·k+1 … (r+1)·k. */
  stepsOf(round: number): { from: number; to: number } {
    return { from: round * this.k + 1, to: (round + 1) * this.k };
  }

  remember(state: TrainingState, hash: Hex = stateHash(state)): void {
    this.cache.set(hash, state);
    while (this.cache.size > 16) this.cache.delete(this.cache.keys().next().value as Hex);
  }

  cached(hash: Hex): TrainingState | undefined {
    return this.cache.get(hash.toLowerCase() as Hex);
  }

  /** s_0: from the spec's initializer or its checkpoint; checked against initialStateHash. */
  async initialState(): Promise<TrainingState> {
    const hit = this.cached(this.config.initialStateHash);
    if (hit) return hit;
    const init = this.spec.initialState;
    const state =
      init.kind === 'initializer'
        ? this.engine.initialState()
        : await this.loadCheckpoint(init.cid, this.config.initialStateHash);
    const hash = stateHash(state);
    if (hash !== this.config.initialStateHash.toLowerCase())
      throw new BadContentError(
        init.kind === 'checkpoint' ? init.cid : '(initializer)',
        `initial state hashes to ${hash}, the run says ${this.config.initialStateHash}`,
      );
    this.remember(state, hash);
    return state;
  }

  async checkpointFiles(uri: string): Promise<CheckpointFiles> {
    const names = ['model.json', 'weights.bin', 'optimizer.bin'] as const;
    const files = await Promise.all(
      names.map((name) => catWithin(this.store, uri, name, this.contentTimeoutMs)),
    );
    return { 'model.json': files[0]!, 'weights.bin': files[1]!, 'optimizer.bin': files[2]! };
  }

  /** Fetches a checkpoint and demands it hash to `expectedHash` (BadContentError otherwise). */
  async loadCheckpoint(uri: string, expectedHash: Hex): Promise<TrainingState> {
    const files = await this.checkpointFiles(uri);
    let state: TrainingState;
    try {
      state = this.engine.loadCheckpoint(files, { expectedHash });
    } catch (error) {
      if (error instanceof EngineError) throw new BadContentError(cidOf(uri), error.message);
      throw error;
    }
    this.remember(state, expectedHash.toLowerCase() as Hex);
    return state;
  }

  async submissions(round?: number): Promise<RoundSubmission[]> {
    const logs = await this.conn.publicClient.getContractEvents({
      address: this.address,
      abi: trainingRunAbi,
      eventName: 'RoundSubmitted',
      args: round === undefined ? undefined : { round: BigInt(round) },
      fromBlock: this.fromBlock,
    });
    return logs.map(submissionOf);
  }

  /**
   * The state a claim of `round` builds on: s_0 for round 0, else the final state of the latest
   * submission of round−1 whose finalStateHash is `baseStateHash` (cache first, then IPFS).
   */
  async baseState(
    round: number,
    baseStateHash: Hex,
  ): Promise<{ state: TrainingState; uri?: string }> {
    if (round === 0) return { state: await this.initialState() };
    const hit = this.cached(baseStateHash);
    const previous = (await this.submissions(round - 1))
      .filter((s) => s.finalStateHash.toLowerCase() === baseStateHash.toLowerCase())
      .at(-1);
    if (hit) return { state: hit, uri: previous?.stateURI };
    if (!previous)
      throw new ContentUnavailableError(
        '(none)',
        `no submission of round ${round - 1} ends in ${baseStateHash}`,
      );
    return {
      state: await this.loadCheckpoint(previous.stateURI, baseStateHash),
      uri: previous.stateURI,
    };
  }

  async getRound(round: number) {
    return this.conn.publicClient.readContract({
      address: this.address,
      abi: trainingRunAbi,
      functionName: 'getRound',
      args: [BigInt(round)],
    });
  }

  async read<T>(
    functionName: 'nextRound' | 'finalizedRounds' | 'pool' | 'court' | 'claimCount',
  ): Promise<T> {
    return (await this.conn.publicClient.readContract({
      address: this.address,
      abi: trainingRunAbi,
      functionName,
    })) as T;
  }

  async credits(account: Address): Promise<bigint> {
    return this.conn.publicClient.readContract({
      address: this.address,
      abi: trainingRunAbi,
      functionName: 'credits',
      args: [account],
    });
  }

  /** Timestamp of the latest block (the contract's notion of now). */
  async now(): Promise<bigint> {
    return (await this.conn.publicClient.getBlock({ blockTag: 'latest' })).timestamp;
  }

  dispose(): void {
    this.engine.dispose();
  }
}

/** A RoundSubmitted log as the worker uses it. */
export function submissionOf(log: {
  args: {
    round?: bigint;
    worker?: Address;
    firstStep?: bigint;
    stateHashes?: readonly Hex[];
    finalStateHash?: Hex;
    stateURI?: string;
    losses?: readonly bigint[];
    challengeDeadline?: bigint | number;
  };
  blockNumber: bigint;
  logIndex: number;
}): RoundSubmission {
  return {
    round: Number(log.args.round),
    worker: log.args.worker!,
    firstStep: Number(log.args.firstStep),
    stateHashes: log.args.stateHashes!.map((h) => h.toLowerCase() as Hex),
    finalStateHash: log.args.finalStateHash!.toLowerCase() as Hex,
    stateURI: log.args.stateURI!,
    losses: log.args.losses!,
    challengeDeadline: BigInt(log.args.challengeDeadline!),
    blockNumber: log.blockNumber,
    logIndex: log.logIndex,
  };
}

/** Loss as the chain stores it: fixed point 1e9, rounded to nearest. */
export const lossToFixed = (loss: number): bigint => BigInt(Math.round(loss * 1e9));
