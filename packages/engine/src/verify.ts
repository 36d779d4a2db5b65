import type { RunSpec, RunSpecInput } from '@um/protocol';
import type { Hex } from 'viem';
import type { CheckpointFiles } from './checkpoint.js';
import type { Dataset, DatasetSources } from './datasets/index.js';
import { Engine } from './engine.js';
import { StepOrderError } from './engine.js';
import { stateHash } from './state.js';

export interface ReplayResult {
  readonly step: number;
  /** Hash of the checkpoint the replay started from (the state after step t−1). */
  readonly previousStateHash: Hex;
  readonly stateHash: Hex;
  readonly leaf: Hex;
  readonly loss: number;
  /** Whether stateHash equals expectedStateHash (undefined when none was given). */
  readonly matches: boolean | undefined;
}

/**
 * "Verify in my browser": recomputes step t from the checkpoint of the state after step t−1 and
 * returns the resulting stateHash and round leaf. Works in Node and in a browser (call
 * configureWasm first there, and pass MNIST digits through `sources` for MNIST runs).
 *
 *   const files = await fetchCheckpoint(gateway, checkpointCid);
 *   const { stateHash, matches } = await replayStep({ spec, checkpoint: files, step: t, expectedStateHash });
 */
export async function replayStep(args: {
  readonly spec: RunSpec | RunSpecInput;
  readonly checkpoint: CheckpointFiles;
  readonly step: number;
  readonly expectedStateHash?: Hex;
  /** Expected hash of the checkpoint itself (the committed hash of step t−1). */
  readonly previousStateHash?: Hex;
  readonly dataset?: Dataset;
  readonly sources?: DatasetSources;
}): Promise<ReplayResult> {
  const engine = await Engine.create(args.spec, { dataset: args.dataset, sources: args.sources });
  try {
    const before = engine.loadCheckpoint(
      args.checkpoint,
      args.previousStateHash ? { expectedHash: args.previousStateHash } : {},
    );
    if (before.step !== args.step - 1) {
      throw new StepOrderError(
        `replaying step ${args.step} needs the checkpoint after step ${args.step - 1}, this one is after step ${before.step}`,
      );
    }
    const previousStateHash = stateHash(before);
    const result = await engine.step(before, args.step);
    return {
      step: args.step,
      previousStateHash,
      stateHash: result.stateHash,
      leaf: result.leaf,
      loss: result.loss,
      matches: args.expectedStateHash
        ? result.stateHash === args.expectedStateHash.toLowerCase()
        : undefined,
    };
  } finally {
    engine.dispose();
  }
}
