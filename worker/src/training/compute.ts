import { stateHash, type TrainingState } from '@um/engine';
import type { Hex } from 'viem';
import { hasFault, type Fault } from '../faults.js';
import type { WorkerMetrics } from '../metrics.js';
import { progressBar } from '../progress.js';
import type { RunContext } from './run.js';

export interface RoundComputation {
  /** The state after step `to`. */
  readonly finalState: TrainingState;
  /** The state before the last computed step (the base when one step ran). */
  readonly previousState: TrainingState;
  readonly stateHashes: Hex[];
  readonly losses: number[];
}

/** Moves one weight by 1e-3 so every later hash differs (the wrong-step fault). */
function corrupt(state: TrainingState): TrainingState {
  const weights = state.weights.map((w) => w.slice());
  weights[0]![0] = weights[0]![0]! + 1e-3;
  return { ...state, weights };
}

/**
 * Computes steps from..to on `base` (the state after step from−1), applying trainer faults if
 * any. Calls `onStep` after each step (logging, metrics, aborting between steps).
 */
export async function computeSteps(args: {
  ctx: RunContext;
  base: TrainingState;
  from: number;
  to: number;
  faults?: readonly Fault[];
  metrics?: WorkerMetrics;
  role: string;
  label?: string;
  onStep?: (step: number, hash: Hex, loss: number) => void;
  /** Stops after the first step for which this returns true (e.g. the first diverging hash). */
  stopAfter?: (step: number, hash: Hex) => boolean;
  signal?: AbortSignal;
}): Promise<RoundComputation> {
  const { ctx, base, from, to, faults = [] } = args;
  const wrongStep = hasFault(faults, 'wrong-step');
  const skipUpdate = hasFault(faults, 'skip-update');
  const bar = progressBar(args.label ?? `${args.role} steps ${from}-${to}`, to - from + 1);
  const stateHashes: Hex[] = [];
  const losses: number[] = [];
  let current = base;
  let previous = base;
  try {
    for (let t = from; t <= to; t++) {
      if (args.signal?.aborted) throw new DOMException('aborted', 'AbortError');
      const timer = args.metrics?.stepLatency.startTimer({ role: args.role });
      const result = await ctx.engine.step(current, t);
      let next = result.state;
      let hash = result.stateHash;
      if (skipUpdate) {
        next = { ...current, step: t };
        hash = stateHash(next);
      } else if (wrongStep && wrongStep.step === t) {
        next = corrupt(next);
        hash = stateHash(next);
      }
      timer?.();
      args.metrics?.stepsComputed.inc({ role: args.role });
      stateHashes.push(hash);
      losses.push(result.loss);
      previous = current;
      current = next;
      bar.tick(`loss ${result.loss.toFixed(4)}`);
      args.onStep?.(t, hash, result.loss);
      if (args.stopAfter?.(t, hash)) break;
    }
  } finally {
    bar.stop();
  }
  return { finalState: current, previousState: previous, stateHashes, losses };
}
