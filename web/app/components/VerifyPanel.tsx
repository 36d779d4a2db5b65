/**
 * "Verify in my browser": replays the disputed step with the engine in this page (wasm backend,
 * the same bytes as every worker) and says whose claim the recomputed leaf matches, so a voter can
 * check before voting. The engine is loaded only when the button is pressed.
 */
import { useState } from 'react';
import type { VerifyInput, VerifyOutcome } from '../lib/verify.client.js';
import { Hash } from './ui.js';

type Verify = { ok: true; input: VerifyInput } | { ok: false; reason: string };

export function VerifyPanel({ verify }: { verify: Verify }) {
  const [progress, setProgress] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<VerifyOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async () => {
    if (!verify.ok) return;
    setBusy(true);
    setOutcome(null);
    setError(null);
    try {
      const { verifyDisputedStep } = await import('../lib/verify.client.js');
      setOutcome(await verifyDisputedStep(verify.input, setProgress));
      setProgress(null);
    } catch (err) {
      setError(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
      setProgress(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="verify-title" id="verify">
      <h2 id="verify-title" style={{ marginTop: 0 }}>
        Verify in my browser
      </h2>
      {verify.ok ? (
        <>
          <p className="muted">
            Replays steps {verify.input.firstStep}…{verify.input.step} from the checkpoint the round
            builds on, with the run&apos;s spec and the deterministic engine in this page, and
            compares the leaf of step {verify.input.step} with both claims.
          </p>
          <p>
            <button type="button" className="primary" disabled={busy} onClick={() => void run()}>
              {busy ? 'Verifying…' : 'Verify in my browser'}
            </button>
          </p>
        </>
      ) : (
        <p className="muted">Cannot verify here: {verify.reason}.</p>
      )}
      {progress ? (
        <p role="status" aria-live="polite">
          {progress}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      {outcome ? (
        <div role="status" data-verdict={outcome.matches} data-leaf={outcome.leaf}>
          <p>
            <strong>
              {outcome.matches === 'worker'
                ? 'The recomputed step matches the worker’s committed leaf: the claim looks valid.'
                : outcome.matches === 'challenger'
                  ? 'The recomputed step matches the challenger’s evidence, not the worker’s leaf: the claim looks fraudulent.'
                  : 'The recomputed step matches neither claim.'}
            </strong>
          </p>
          <dl className="kv">
            <dt>Recomputed state hash</dt>
            <dd>
              <Hash value={outcome.stateHash} />
            </dd>
            <dt>Recomputed leaf</dt>
            <dd>
              <span className="mono" id="recomputed-leaf">
                {outcome.leaf}
              </span>
            </dd>
            <dt>Worker&apos;s committed leaf</dt>
            <dd>
              <Hash value={outcome.committedLeaf} />
            </dd>
            <dt>Challenger&apos;s recomputed leaf</dt>
            <dd>
              {outcome.evidenceLeaf ? (
                <Hash value={outcome.evidenceLeaf} />
              ) : (
                <span className="muted">{outcome.evidenceProblem}</span>
              )}
            </dd>
            <dt>Work</dt>
            <dd>
              {outcome.stepsReplayed} step{outcome.stepsReplayed === 1 ? '' : 's'} in{' '}
              {(outcome.millis / 1000).toFixed(1)} s (loss {outcome.loss.toPrecision(6)})
            </dd>
          </dl>
        </div>
      ) : null}
    </section>
  );
}
