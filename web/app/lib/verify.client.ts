/**
 * "Verify in my browser": replays THE disputed step with the deterministic engine in the page (the
 * wasm backend the workers use), so a voter can check the claim before voting. Browser only
 * (`.client.ts`): the route imports it lazily, so TF.js is downloaded only when someone asks.
 *
 * The prior state comes from the challenger's evidence (`priorStateURI`); it is accepted only if it
 * hashes to the on-chain previous hash (Challenge.previousStateHash) — checked BEFORE replaying —
 * and the replayed state's hash is compared with the on-chain claimed hash
 * (Challenge.claimedStateHash). MNIST runs fetch the digits from the portal (/mnist/<d>.json).
 * When the evidence cannot be read or does not fit, the outcome says so and never reports a match.
 */
import { configureWasm, Engine, fetchCheckpoint } from '@um/engine';
import { decodeSpec } from '@um/protocol';
import type { Hex } from 'viem';

export class VerifyError extends Error {
  override name = 'VerifyError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export type VerifyInput = {
  gateway: string;
  specURI: string;
  specHash: Hex;
  step: number;
  previousStateHash: Hex;
  claimedStateHash: Hex;
  evidenceURI: string | null;
};

export type VerifyOutcome =
  | {
      kind: 'replayed';
      step: number;
      recomputedStateHash: Hex;
      claimedStateHash: Hex;
      challengerStateHash: Hex | null;
      /** Whose claim the recomputed state matches. */
      matches: 'worker' | 'challenger' | 'neither';
      loss: number;
      millis: number;
    }
  | { kind: 'unverifiable'; step: number; problem: string };

/** Bare CIDs and ipfs:// URIs both name content on the gateway. */
export function cidOf(uri: string): string {
  return uri.startsWith('ipfs://') ? uri.slice('ipfs://'.length) : uri;
}

async function fetchBytes(gateway: string, uri: string, what: string): Promise<Uint8Array> {
  const url = `${gateway.replace(/\/+$/, '')}/ipfs/${cidOf(uri)}`;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new VerifyError(`could not reach the IPFS gateway for the ${what} (${url})`, {
      cause: err,
    });
  }
  if (!response.ok)
    throw new VerifyError(`the gateway answered ${response.status} for the ${what} (${url})`);
  return new Uint8Array(await response.arrayBuffer());
}

async function mnistDigits(onProgress: (t: string) => void): Promise<number[][]> {
  const digits: number[][] = [];
  for (let d = 0; d < 10; d++) {
    onProgress(`Loading the MNIST digits (${d + 1}/10)…`);
    const res = await fetch(new URL(`/mnist/${d}.json`, window.location.href));
    if (!res.ok) throw new VerifyError(`the portal answered ${res.status} for MNIST digit ${d}`);
    digits.push(((await res.json()) as { data: number[] }).data);
  }
  return digits;
}

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/** Replays the disputed step from the evidence's prior state; `onProgress` hears each stage. */
export async function verifyDisputedStep(
  input: VerifyInput,
  onProgress: (text: string) => void = () => {},
): Promise<VerifyOutcome> {
  const started = performance.now();
  const unverifiable = (problem: string): VerifyOutcome => ({
    kind: 'unverifiable',
    step: input.step,
    problem,
  });
  if (!input.evidenceURI) return unverifiable('the challenge names no evidence document');
  onProgress('Reading the challenger’s evidence…');
  let evidence: { priorStateURI?: unknown; recomputedStateHash?: unknown; step?: unknown };
  try {
    evidence = JSON.parse(
      new TextDecoder().decode(await fetchBytes(input.gateway, input.evidenceURI, 'evidence')),
    );
  } catch (err) {
    return unverifiable(
      `the evidence cannot be read: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (typeof evidence.priorStateURI !== 'string' || !evidence.priorStateURI)
    return unverifiable('the evidence names no prior state (priorStateURI)');
  const challengerStateHash =
    typeof evidence.recomputedStateHash === 'string' && BYTES32.test(evidence.recomputedStateHash)
      ? (evidence.recomputedStateHash.toLowerCase() as Hex)
      : null;

  configureWasm(new URL('/wasm/', window.location.href).href);
  onProgress('Fetching the run spec…');
  const spec = decodeSpec(await fetchBytes(input.gateway, input.specURI, 'run spec'), {
    expectedHash: input.specHash,
  });
  const sources =
    spec.dataset.name === 'mnist' ? { mnistDigits: await mnistDigits(onProgress) } : undefined;
  onProgress('Preparing the engine (wasm backend) and the dataset…');
  const engine = await Engine.create(spec, { sources });
  try {
    onProgress('Fetching the prior state from the evidence…');
    let files;
    try {
      files = await fetchCheckpoint(input.gateway, cidOf(evidence.priorStateURI));
    } catch (err) {
      return unverifiable(
        `the evidence’s prior state cannot be fetched: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    let before;
    try {
      // The prior state must be the one on chain, or the replay proves nothing.
      before = engine.loadCheckpoint(files, { expectedHash: input.previousStateHash });
    } catch (err) {
      return unverifiable(
        `the evidence’s prior state does not hash to the on-chain previous hash ${input.previousStateHash}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (before.step !== input.step - 1)
      return unverifiable(
        `the evidence’s prior state is after step ${before.step}, not step ${input.step - 1}`,
      );
    onProgress(`Replaying step ${input.step}…`);
    const result = await engine.step(before, input.step);
    const recomputed = result.stateHash.toLowerCase() as Hex;
    const claimed = input.claimedStateHash.toLowerCase() as Hex;
    return {
      kind: 'replayed',
      step: input.step,
      recomputedStateHash: recomputed,
      claimedStateHash: claimed,
      challengerStateHash,
      matches:
        recomputed === claimed
          ? 'worker'
          : recomputed === challengerStateHash
            ? 'challenger'
            : 'neither',
      loss: result.loss,
      millis: Math.round(performance.now() - started),
    };
  } finally {
    engine.dispose();
  }
}
