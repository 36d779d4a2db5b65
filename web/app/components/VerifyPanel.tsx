/**
 * "Verify in my browser": replays the disputed step with the engine in this page (wasm backend,
 * the same bytes as every worker) and says whose claim the recomputed state matches, so a voter can
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
            Replays step {verify.input.step} alone, from the prior state in the challenger&apos;s
            evidence — checked first against the on-chain previous hash — with the run&apos;s spec
            and the deterministic engine in this page, and compares the result with the
            worker&apos;s on-chain claimed hash.
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
      {outcome?.kind === 'unverifiable' ? (
        <p role="alert" data-verdict="unverifiable" className="error-text">
          Could not verify step {outcome.step}: {outcome.problem}. Nothing was compared, so this
          says nothing about who is right.
        </p>
      ) : null}
      {outcome?.kind === 'replayed' ? (
        <div
          role="status"
          data-verdict={outcome.matches}
          data-state-hash={outcome.recomputedStateHash}
        >
          <p>
            <strong>
              {outcome.matches === 'worker'
                ? 'The replayed step gives the worker’s claimed state: the claim looks valid.'
                : outcome.matches === 'challenger'
                  ? 'The replayed step gives the challenger’s state, not the worker’s claimed one: the claim looks fraudulent.'
                  : 'The replayed step matches neither the worker’s claim nor the challenger’s evidence.'}
            </strong>
          </p>
          <dl className="kv">
            <dt>Recomputed state hash</dt>
            <dd>
              <span className="mono" id="recomputed-hash">
                {outcome.recomputedStateHash}
              </span>
            </dd>
            <dt>Worker&apos;s claimed hash (on chain)</dt>
            <dd>
              <Hash value={outcome.claimedStateHash} />
            </dd>
            <dt>Challenger&apos;s recomputed hash (evidence)</dt>
            <dd>
              {outcome.challengerStateHash ? (
                <Hash value={outcome.challengerStateHash} />
              ) : (
                <span className="muted">not in the evidence</span>
              )}
            </dd>
            <dt>Work</dt>
            <dd>
              1 step in {(outcome.millis / 1000).toFixed(1)} s (loss {outcome.loss.toPrecision(6)})
            </dd>
          </dl>
        </div>
      ) : null}
    </section>
  );
}
