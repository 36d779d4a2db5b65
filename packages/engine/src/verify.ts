import { parseSpec, type RunSpec, type RunSpecInput } from '@um/protocol';
import type { Hex } from 'viem';
import type { CheckpointFiles } from './checkpoint.js';
import {
  loadDatasetCached,
  type Dataset,
  type DatasetCache,
  type DatasetOrigin,
  type DatasetSources,
} from './datasets/index.js';
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
  /** Where the dataset came from ('given' when passed in as `dataset`). */
  readonly datasetOrigin: DatasetOrigin | 'given';
}

/**
 * The one replay of the protocol (verifier, `um-worker vote`, "Verify in my browser"): recomputes
 * step t from the checkpoint of the state after step t−1 and returns the resulting stateHash and
 * round leaf. Works in Node and in a browser (call configureWasm first there).
 *
 * Datasets are verified against the spec's root once and then reused: from this process's memory,
 * else from `datasetCache` (NodeDatasetCache in Node, IndexedDbDatasetCache in browsers; re-checked
 * on load), else built from `sources` — pass a function to load the raw MNIST digits only on a miss.
 *
 *   const files = await fetchCheckpoint(gateway, checkpointCid);
 *   const { stateHash, matches } = await replayStep({
 *     spec, checkpoint: files, step: t, expectedStateHash,
 *     datasetCache: new IndexedDbDatasetCache(),
 *     sources: async () => ({ mnistDigits: await fetchDigits() }),
 *   });
 */
export async function replayStep(args: {
  readonly spec: RunSpec | RunSpecInput;
  readonly checkpoint: CheckpointFiles;
  readonly step: number;
  readonly expectedStateHash?: Hex;
  /** Expected hash of the checkpoint itself (the committed hash of step t−1). */
  readonly previousStateHash?: Hex;
  readonly dataset?: Dataset;
  readonly sources?: DatasetSources | (() => DatasetSources | Promise<DatasetSources>);
  readonly datasetCache?: DatasetCache;
}): Promise<ReplayResult> {
  const spec = parseSpec(args.spec);
  let dataset = args.dataset;
  let datasetOrigin: ReplayResult['datasetOrigin'] = 'given';
  if (!dataset) {
    ({ dataset, origin: datasetOrigin } = await loadDatasetCached(spec.dataset, {
      cache: args.datasetCache,
      sources: args.sources,
    }));
  }
  const engine = await Engine.create(spec, { dataset });
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
      datasetOrigin,
    };
  } finally {
    engine.dispose();
  }
}
