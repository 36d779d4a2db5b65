import { ConfigError } from './errors.js';

/**
 * Deliberate misbehaviour for demos and tests; never enable on a real run.
 *   wrong-step:N          the trainer corrupts the state after global step N (every later hash differs)
 *   skip-update           the trainer submits the base state for every step (no learning)
 *   withhold-checkpoint   the trainer computes the checkpoint CID but never stores the bytes
 *   bad-checkpoint        the trainer stores a checkpoint whose bytes differ from the committed state
 *   wrong-score           the evaluator signs score + 0.1 (100 000 in fixed point)
 */
export type Fault =
  | { readonly kind: 'wrong-step'; readonly step: number }
  | { readonly kind: 'skip-update' }
  | { readonly kind: 'withhold-checkpoint' }
  | { readonly kind: 'bad-checkpoint' }
  | { readonly kind: 'wrong-score' };

export const faultNames = [
  'wrong-step:N',
  'skip-update',
  'withhold-checkpoint',
  'bad-checkpoint',
  'wrong-score',
] as const;

/** Parses one --fault value. */
export function parseFault(text: string): Fault {
  const value = text.trim();
  const wrongStep = /^wrong-step:(\d+)$/.exec(value);
  if (wrongStep) {
    const step = Number(wrongStep[1]);
    if (!Number.isSafeInteger(step) || step < 1)
      throw new ConfigError(`--fault wrong-step:N needs a step N ≥ 1, got "${value}"`);
    return { kind: 'wrong-step', step };
  }
  if (
    value === 'skip-update' ||
    value === 'withhold-checkpoint' ||
    value === 'bad-checkpoint' ||
    value === 'wrong-score'
  )
    return { kind: value };
  throw new ConfigError(`unknown --fault "${value}"; expected one of ${faultNames.join(', ')}`);
}

export const hasFault = <K extends Fault['kind']>(
  faults: readonly Fault[],
  kind: K,
): Extract<Fault, { kind: K }> | undefined =>
  faults.find((f): f is Extract<Fault, { kind: K }> => f.kind === kind);
