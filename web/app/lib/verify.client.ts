/**
 * "Verify in my browser": recomputes a disputed step with the deterministic engine in the page, on
 * the same wasm backend the workers use, so a voter can check the claim before voting. Browser
 * only (`.client.ts`): Remix leaves it out of the server build, and the route imports it lazily,
 * so TF.js is downloaded only when someone presses the button.
 *
 * The replay starts from the state the disputed round builds on (the checkpoint of the previous
 * valid round, or the spec's initial state) and runs the round's steps up to the disputed one; the
 * resulting leaf is compared with the worker's committed leaf and with the recomputed leaf in the
 * challenger's evidence document.
 */
import { configureWasm, Engine, fetchCheckpoint, type TrainingState } from '@um/engine';
import { decodeSpec } from '@um/protocol';
import type { Hex } from 'viem';

export class VerifyError extends Error {
  override name = 'VerifyError';
}

export type VerifyInput = {
  gateway: string;
  specURI: string;
  specHash: Hex;
  /** The state the round builds on, and the CID of its checkpoint (null: the spec's initial state). */
  baseStateHash: Hex;
  baseStateURI: string | null;
  /** First step of the disputed round and the disputed step. */
  firstStep: number;
  step: number;
  committedLeaf: Hex;
  evidenceURI: string | null;
};

export type VerifyOutcome = {
  step: number;
  stateHash: Hex;
  leaf: Hex;
  loss: number;
  committedLeaf: Hex;
  /** The challenger's recomputed leaf from the evidence document, when it could be read. */
  evidenceLeaf: Hex | null;
  evidenceProblem: string | null;
  /** Whose claim the recomputed leaf matches. */
  matches: 'worker' | 'challenger' | 'neither';
  stepsReplayed: number;
  millis: number;
};

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
    throw new VerifyError(
      `could not reach the IPFS gateway for the ${what} (${url}): ${String(err)}`,
    );
  }
  if (!response.ok)
    throw new VerifyError(`the gateway answered ${response.status} for the ${what} (${url})`);
  return new Uint8Array(await response.arrayBuffer());
}

async function evidenceLeaf(
  gateway: string,
  uri: string | null,
): Promise<{ leaf: Hex | null; problem: string | null }> {
  if (!uri) return { leaf: null, problem: 'the challenge carries no evidence document' };
  try {
    const doc = JSON.parse(
      new TextDecoder().decode(await fetchBytes(gateway, uri, 'evidence')),
    ) as {
      recomputedLeaf?: unknown;
    };
    const leaf = doc.recomputedLeaf;
    if (typeof leaf === 'string' && /^0x[0-9a-fA-F]{64}$/.test(leaf)) {
      return { leaf: leaf.toLowerCase() as Hex, problem: null };
    }
    return { leaf: null, problem: 'the evidence document has no recomputedLeaf' };
  } catch (err) {
    return { leaf: null, problem: err instanceof Error ? err.message : String(err) };
  }
}

/** Replays the round up to the disputed step; `onProgress` hears about every step replayed. */
export async function verifyDisputedStep(
  input: VerifyInput,
  onProgress: (text: string) => void = () => {},
): Promise<VerifyOutcome> {
  const started = performance.now();
  if (input.step < input.firstStep) {
    throw new VerifyError(`step ${input.step} is before the round's first step ${input.firstStep}`);
  }
  configureWasm(new URL('/wasm/', window.location.href).href);
  onProgress('Fetching the run spec…');
  const spec = decodeSpec(await fetchBytes(input.gateway, input.specURI, 'run spec'), {
    expectedHash: input.specHash,
  });
  onProgress('Preparing the engine (wasm backend) and the dataset…');
  const engine = await Engine.create(spec);
  try {
    let base: TrainingState;
    if (input.baseStateURI) {
      onProgress('Fetching the checkpoint the round builds on…');
      const files = await fetchCheckpoint(input.gateway, cidOf(input.baseStateURI));
      base = engine.loadCheckpoint(files, { expectedHash: input.baseStateHash });
    } else if (spec.initialState.kind === 'checkpoint') {
      onProgress('Fetching the initial checkpoint…');
      const files = await fetchCheckpoint(input.gateway, cidOf(spec.initialState.cid));
      base = engine.loadCheckpoint(files, { expectedHash: input.baseStateHash });
    } else {
      base = engine.initialState();
    }
    if (base.step !== input.firstStep - 1) {
      throw new VerifyError(
        `the base state is after step ${base.step}, but the round starts at step ${input.firstStep}`,
      );
    }
    const total = input.step - input.firstStep + 1;
    const run = await engine.runSteps(base, input.firstStep, input.step, {
      onStep: (s) =>
        onProgress(`Replayed step ${s.step} (${s.step - input.firstStep + 1}/${total})…`),
    });
    const last = run.steps[run.steps.length - 1]!;
    const evidence = await evidenceLeaf(input.gateway, input.evidenceURI);
    const leaf = last.leaf.toLowerCase() as Hex;
    const committed = input.committedLeaf.toLowerCase() as Hex;
    const matches =
      leaf === committed
        ? 'worker'
        : evidence.leaf === leaf || evidence.leaf === null
          ? 'challenger'
          : 'neither';
    return {
      step: input.step,
      stateHash: last.stateHash,
      leaf,
      loss: last.loss,
      committedLeaf: committed,
      evidenceLeaf: evidence.leaf,
      evidenceProblem: evidence.problem,
      matches,
      stepsReplayed: total,
      millis: Math.round(performance.now() - started),
    };
  } finally {
    engine.dispose();
  }
}
