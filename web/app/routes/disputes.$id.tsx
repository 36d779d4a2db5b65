import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Tally } from '../components/Tally.js';
import { AddressLink, Countdown, Hash, StatusBadge } from '../components/ui.js';
import { VotePanel } from '../components/VotePanel.js';
import { querySubgraph } from '../graphql/client.server.js';
import { DisputeQuery } from '../graphql/queries.js';
import { VerifyPanel } from '../components/VerifyPanel.js';
import type { DisputeDetail } from '../graphql/types.js';
import { chainConfig } from '../lib/chain.server.js';
import { formatEth, formatTime, formatTokens } from '../lib/format.js';
import { badRequest, fromSubgraph, notFound } from '../lib/load.server.js';
import { readVotingPower, type VotingPowerResult } from '../lib/voting-power.server.js';
import {
  parseSignedCommit,
  relayCommit,
  relayedBallotOf,
  revealDueBallots,
  RelayInputError,
  startRevealLoop,
  type RelayResult,
} from '../lib/relay.server.js';
import { disputePhase, PHASE_WORDS, projectRuling } from '../lib/dispute-phase.js';

export const meta: MetaFunction = ({ params }) => [
  { title: `Dispute #${params.id} · Unstoppable Models` },
];

export async function loader({ params, request }: LoaderFunctionArgs) {
  if (!/^\d+$/.test(params.id ?? '')) badRequest(`"${params.id}" is not a dispute number.`);
  const account = (new URL(request.url).searchParams.get('account') ?? '').toLowerCase();
  if (account && !/^0x[0-9a-f]{40}$/.test(account)) badRequest('account must be an address');
  const data = await fromSubgraph(() =>
    querySubgraph(DisputeQuery, { id: params.id!, account }, { signal: request.signal }),
  );
  if (!data.dispute) notFound(`Dispute #${params.id}`);
  const chain = chainConfig();
  // The first page load after a commit deadline reveals the relay's stored ballots; the timer
  // catches the rest. A failing chain must not break the page.
  startRevealLoop(chain);
  await revealDueBallots(chain).catch(() => []);
  let power: VotingPowerResult | null = null;
  if (account)
    power = await readVotingPower(
      chain,
      account as `0x${string}`,
      BigInt(data.dispute.snapshotBlock),
    );
  const verify = await verifyInput(data.dispute, request.signal);
  const myVote = account
    ? (data.dispute.ballots.find((v) => v.voter.id.toLowerCase() === account) ?? null)
    : null;
  const relayed = account ? relayedBallotOf(chain, data.dispute.id, account) : null;
  return json({
    ...data,
    account,
    myVote,
    relayed,
    verify,
    // bigint does not travel through JSON: send the explanation with the power as a string.
    power:
      power === null
        ? null
        : power.ok
          ? {
              ok: true as const,
              ...power.explanation!,
              power: power.explanation!.power.toString(),
              account: power.account,
            }
          : power,
    chain: {
      chainId: chain.chainId,
      rpcUrl: process.env.UM_PUBLIC_RPC_URL || chain.rpcUrl,
      token: chain.token,
      court: chain.court,
      problem: chain.problem,
    },
  });
}

/** IPFS gateway the browser fetches the spec and checkpoints from (the engine's gateway locally). */
const gateway = () => process.env.UM_IPFS_GATEWAY || 'http://127.0.0.1:8080';

/**
 * What "Verify in my browser" needs: the spec, the on-chain hash of the state before the disputed
 * step (Challenge.previousStateHash), the worker's claimed hash (Challenge.claimedStateHash) and the
 * challenger's evidence, which holds the prior state to replay ONE step from.
 */
async function verifyInput(d: DisputeDetail, _signal: AbortSignal) {
  const c = d.challenge;
  if (!c || !c.previousStateHash || !c.claimedStateHash) {
    return { ok: false as const, reason: 'the disputed step has no on-chain hashes on record' };
  }
  return {
    ok: true as const,
    input: {
      gateway: gateway(),
      specURI: d.run.specURI,
      specHash: d.run.specHash,
      step: Number(c.step),
      previousStateHash: c.previousStateHash,
      claimedStateHash: c.claimedStateHash,
      evidenceURI: c.evidenceURI || null,
    },
  };
}

/**
 * The ballot relay (intent=commitVoteBySig): the form carries a BallotCommit the voter signed in
 * the browser with its choice and salt; the server stores them, submits commitVoteBySig and later the reveal, and answers with the transaction or the decoded
 * revert. Bad input is a 400 naming the field and leaves the chain untouched.
 */
export async function action({ params, request }: ActionFunctionArgs) {
  const form = await request.formData();
  if (form.get('intent') !== 'commitVoteBySig') {
    return json<RelayResult>({ ok: false, message: 'unknown intent' }, { status: 400 });
  }
  try {
    const ballot = parseSignedCommit(form, params.id ?? '');
    const result = await relayCommit(chainConfig(), ballot);
    return json<RelayResult>(result, { status: result.ok ? 200 : 422 });
  } catch (err) {
    if (err instanceof RelayInputError) {
      return json<RelayResult>({ ok: false, message: err.message }, { status: 400 });
    }
    throw err;
  }
}

export default function DisputePage() {
  const { dispute, account, myVote, relayed, power, chain, verify, _meta } =
    useLoaderData<typeof loader>();
  const relayAnswer = useActionData<typeof action>();
  const d = dispute!;
  const now = _meta?.block.timestamp ?? Math.floor(Date.now() / 1000);
  const phase = disputePhase(d, now);
  const projection = projectRuling(d);
  const siblings = d.round?.challenges.map((c) => c.dispute) ?? [];
  return (
    <>
      <p>
        <Link to="/disputes">← Disputes</Link>
      </p>
      <h1>
        Dispute #{d.id} <StatusBadge status={d.status} />
      </h1>
      {siblings.length > 1 ? (
        <section aria-labelledby="siblings-title">
          <h2 id="siblings-title">
            Disputes on this round ({siblings.length}) — settled one by one in challenge order
          </h2>
          <div className="grid-2" id="round-disputes">
            {siblings.map((s) => {
              const p = projectRuling(s);
              return (
                <div
                  key={s.id}
                  className="card"
                  data-dispute={s.id}
                  aria-current={s.id === d.id ? 'page' : undefined}
                  style={s.id === d.id ? { outline: '2px solid var(--accent, #36c)' } : undefined}
                >
                  <p style={{ marginTop: 0 }}>
                    <Link to={`/disputes/${s.id}`}>Dispute #{s.id}</Link> (challenge{' '}
                    {s.challenge?.seq ?? '?'}) <StatusBadge status={s.status} />
                  </p>
                  <p>
                    Step {s.challenge?.step ?? '?'} · challenger{' '}
                    <AddressLink address={s.challenger} />
                  </p>
                  <p>
                    {PHASE_WORDS[disputePhase(s, now)]} · {s.commitCount} ballot
                    {s.commitCount === 1 ? '' : 's'}, {s.revealCount} revealed
                    {s.status === 'Resolved'
                      ? ` · ruling: ${s.cancelled ? 'cancelled' : s.fraud ? 'fraud' : 'the claim stands'}`
                      : disputePhase(s, now) === 'commit'
                        ? ''
                        : ` · if it ended now: ${p.outcome === 'fraud' ? 'fraud' : 'the claim stands'}`}
                  </p>
                </div>
              );
            })}
          </div>
        </section>
      ) : null}
      <div className="grid-2">
        <section aria-labelledby="question-title">
          <h2 id="question-title">The question</h2>
          <p>
            Worker <AddressLink address={d.worker} /> claims that step{' '}
            <strong>{d.challenge?.step ?? '?'}</strong> (step {Number(d.stepIndex) + 1} of round{' '}
            <Link to={`/runs/${d.run.id}/rounds/${d.roundNumber}`}>{d.roundNumber}</Link> of{' '}
            <Link to={`/runs/${d.run.id}`}>run {d.run.runId}</Link>) turned the state{' '}
            <Hash value={d.challenge?.previousStateHash} /> into{' '}
            <Hash value={d.challenge?.claimedStateHash} />. Both hashes are on chain.
          </p>
          <p>
            Challenger <AddressLink address={d.challenger} /> recomputed that step, got a different
            state, and put up {formatEth(d.challenge?.deposit)} ETH to say so. Evidence:{' '}
            <span className="mono">{d.challenge?.evidenceURI || '—'}</span>
          </p>
          <h2>What each outcome pays</h2>
          <ul>
            <li>
              <strong>Fraud</strong>: the round and every later round built on it are invalidated;
              the worker loses its {formatEth(d.stakeAtRisk)} ETH deposit: a quarter to the
              challenger, the court fee to the voters, the rest to the run&apos;s pool.
            </li>
            <li>
              <strong>Valid</strong> (also on a tie or without quorum): the worker&apos;s claim
              stands and the challenger&apos;s deposit pays the worker, minus the court fee.
            </li>
            <li>
              Everyone who reveals a ballot, on any side, shares the court fee in proportion to
              their stake; a ballot committed but never revealed earns nothing.
            </li>
          </ul>
        </section>
        <section aria-labelledby="tally-title">
          <h2 id="tally-title">Tally</h2>
          <p id="phase" data-phase={phase}>
            <strong>{PHASE_WORDS[phase]}</strong>
          </p>
          <ul>
            <li>
              Commit until {formatTime(d.commitDeadline)}
              {phase === 'commit' ? (
                <>
                  {' '}
                  (<Countdown deadline={d.commitDeadline} chainNow={now} />)
                </>
              ) : null}
            </li>
            <li>
              Reveal until {formatTime(d.revealDeadline)}
              {phase === 'commit' || phase === 'reveal' ? (
                <>
                  {' '}
                  (<Countdown deadline={d.revealDeadline} chainNow={now} />)
                </>
              ) : null}
            </li>
            <li>Snapshot block {d.snapshotBlock}</li>
          </ul>
          <p id="ballot-count">
            {d.commitCount} sealed ballot{d.commitCount === 1 ? '' : 's'} committed, {d.revealCount}{' '}
            revealed.
          </p>
          {phase === 'commit' ? (
            <p className="muted" id="tally-hidden">
              The tally stays hidden until the reveal phase: ballots are sealed, so nobody can
              follow the crowd.
            </p>
          ) : (
            <>
              <Tally
                fraud={d.fraudVotes}
                valid={d.validVotes}
                abstain={d.abstainVotes}
                quorum={d.quorumVotes}
              />
              {phase === 'resolved' ? (
                <p id="ruling">
                  Ruling:{' '}
                  <strong>
                    {d.cancelled
                      ? 'cancelled (the lease was voided by another ruling)'
                      : d.fraud
                        ? 'fraud'
                        : 'the claim stands'}
                  </strong>
                  {d.quorumReached === false ? ' (no quorum)' : ''}; court fee{' '}
                  {formatEth(d.courtFee)} ETH.
                </p>
              ) : (
                <p id="projection" data-outcome={projection.outcome}>
                  If it ended now:{' '}
                  <strong>
                    {projection.outcome === 'fraud' ? 'fraud' : 'the worker’s claim stands'}
                  </strong>{' '}
                  (
                  {projection.why === 'no-quorum'
                    ? `no quorum yet: ${projection.percent.quorum.toFixed(1)}% of it revealed`
                    : projection.why === 'tie'
                      ? 'a tie keeps the claim'
                      : projection.why === 'fraud-majority'
                        ? `Fraud ${projection.percent.fraud}% vs Valid ${projection.percent.valid}%`
                        : `Valid ${projection.percent.valid}% vs Fraud ${projection.percent.fraud}%`}
                  ).
                </p>
              )}
            </>
          )}
          <section aria-labelledby="power-title" id="voting-power">
            <h2 id="power-title">Your voting power</h2>
            {!account ? (
              <p className="muted">Choose an account below.</p>
            ) : power === null ? null : power.ok ? (
              <div data-power={power.power} data-reason={power.reason ?? ''}>
                <p>
                  <strong>{formatTokens(power.power)} votes</strong> = your court stake at block{' '}
                  {d.snapshotBlock}.
                </p>
                {power.explanation.map((e) => (
                  <p key={e}>{e}</p>
                ))}
                {power.remedy ? <p className="muted">{power.remedy}</p> : null}
              </div>
            ) : (
              <p className="muted">{power.reason}</p>
            )}
            {myVote ? (
              <p id="my-ballot">
                {myVote.revealed
                  ? `Your ballot is revealed: ${myVote.support} with ${formatTokens(myVote.weight ?? '0')} votes.`
                  : `Your sealed ballot is committed${myVote.bySig ? ' (signed, relayed)' : ''}; it counts once revealed.`}
                {relayed
                  ? relayed.state === 'revealed'
                    ? ' The portal revealed it for you.'
                    : relayed.state === 'missed'
                      ? ` The portal could not reveal it: ${relayed.problem}.`
                      : ' The portal keeps your choice and salt and reveals it when the reveal phase starts.'
                  : ''}
              </p>
            ) : null}
          </section>
        </section>
      </div>
      {relayAnswer ? (
        // A ballot posted without JavaScript: the relay's answer (with JavaScript, VotePanel shows it).
        <p
          role={relayAnswer.ok ? 'status' : 'alert'}
          className={relayAnswer.ok ? undefined : 'error-text'}
          id="relay-result"
        >
          {relayAnswer.ok
            ? `Sealed ballot relayed in block ${relayAnswer.blockNumber} (transaction ${relayAnswer.txHash}).`
            : `The ballot was not relayed: ${relayAnswer.message}`}
          {!relayAnswer.ok && relayAnswer.help ? <> — {relayAnswer.help}</> : null}
        </p>
      ) : null}
      <VerifyPanel verify={verify} />
      <VotePanel
        chain={chain}
        disputeId={d.id}
        runAddress={d.run.id}
        phase={phase}
        committed={Boolean(myVote)}
        revealed={Boolean(myVote?.revealed)}
        relayed={Boolean(relayed)}
        canVote={power && power.ok ? power.canVote : null}
        court={power && power.ok ? power.account : null}
      />
      <h2>Ballots ({d.ballots.length})</h2>
      {d.ballots.length === 0 ? (
        <p className="empty">No ballots yet.</p>
      ) : (
        <div className="table-wrap">
          <table id="votes-table">
            <thead>
              <tr>
                <th scope="col">Voter</th>
                <th scope="col">Ballot</th>
                <th scope="col">Weight</th>
                <th scope="col">Committed</th>
                <th scope="col">Reward</th>
              </tr>
            </thead>
            <tbody>
              {d.ballots.map((v) => (
                <tr key={v.id}>
                  <td>
                    <AddressLink address={v.voter.id} />
                  </td>
                  <td>
                    {v.revealed ? v.support : 'sealed'}
                    {v.bySig ? ' (by signature)' : ''}
                  </td>
                  <td>{v.weight ? formatTokens(v.weight) : '—'}</td>
                  <td>{formatTime(v.committedAtTimestamp)}</td>
                  <td>{v.reward ? `${formatEth(v.reward)} ETH` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
