import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Tally } from '../components/Tally.js';
import { AddressLink, Countdown, Hash, StatusBadge } from '../components/ui.js';
import { VotePanel } from '../components/VotePanel.js';
import { querySubgraph } from '../graphql/client.server.js';
import { BaseCheckpointQuery, DisputeQuery } from '../graphql/queries.js';
import { VerifyPanel } from '../components/VerifyPanel.js';
import type { DisputeDetail } from '../graphql/types.js';
import { chainConfig } from '../lib/chain.server.js';
import { formatEth, formatTime, formatTokens } from '../lib/format.js';
import { badRequest, fromSubgraph, notFound } from '../lib/load.server.js';
import { readVotingPower, type VotingPowerResult } from '../lib/voting-power.server.js';
import {
  parseSignedBallot,
  relayBallot,
  RelayInputError,
  type RelayResult,
} from '../lib/relay.server.js';

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
  let power: VotingPowerResult | null = null;
  if (account)
    power = await readVotingPower(
      chain,
      account as `0x${string}`,
      BigInt(data.dispute.snapshotBlock),
    );
  const verify = await verifyInput(data.dispute, request.signal);
  const myVote = account
    ? (data.dispute.votes.find((v) => v.voter.id.toLowerCase() === account) ?? null)
    : null;
  return json({
    ...data,
    account,
    myVote,
    verify,
    // bigint does not travel through JSON: send the explanation with the power as a string.
    power:
      power === null
        ? null
        : power.ok
          ? { ok: true as const, ...power.explanation, power: power.explanation.power.toString() }
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
 * What "Verify in my browser" needs: the spec, the state the disputed round builds on (the
 * checkpoint of the round whose final state it is; none when it is the run's initial state) and the
 * disputed step with the committed leaf. Null when the subgraph lacks a piece, with the reason.
 */
async function verifyInput(d: DisputeDetail, signal: AbortSignal) {
  if (!d.challenge || !d.round || d.round.firstStep === null) {
    return { ok: false as const, reason: 'the disputed round has no submission on record' };
  }
  let baseStateURI: string | null = null;
  if (d.round.baseStateHash.toLowerCase() !== d.run.initialStateHash.toLowerCase()) {
    const base = await fromSubgraph(() =>
      querySubgraph(
        BaseCheckpointQuery,
        { run: d.run.id, hash: d.round!.baseStateHash },
        { signal },
      ),
    );
    baseStateURI = base.rounds[0]?.stateURI ?? null;
    if (!baseStateURI) {
      return {
        ok: false as const,
        reason: 'no checkpoint of the state the round builds on is on record',
      };
    }
  }
  return {
    ok: true as const,
    input: {
      gateway: gateway(),
      specURI: d.run.specURI,
      specHash: d.run.specHash,
      baseStateHash: d.round.baseStateHash,
      baseStateURI,
      firstStep: Number(d.round.firstStep),
      step: Number(d.challenge.step),
      committedLeaf: d.challenge.leaf,
      evidenceURI: d.challenge.evidenceURI || null,
    },
  };
}

/**
 * The ballot relay (intent=castVoteBySig): the form carries a ballot the voter signed in the
 * browser; the server submits it with castVoteBySig and answers with the transaction or the decoded
 * revert. Bad input is a 400 naming the field and leaves the chain untouched.
 */
export async function action({ params, request }: ActionFunctionArgs) {
  const form = await request.formData();
  if (form.get('intent') !== 'castVoteBySig') {
    return json<RelayResult>({ ok: false, message: 'unknown intent' }, { status: 400 });
  }
  try {
    const ballot = parseSignedBallot(form, params.id ?? '');
    const result = await relayBallot(chainConfig(), ballot);
    return json<RelayResult>(result, { status: result.ok ? 200 : 422 });
  } catch (err) {
    if (err instanceof RelayInputError) {
      return json<RelayResult>({ ok: false, message: err.message }, { status: 400 });
    }
    throw err;
  }
}

export default function DisputePage() {
  const { dispute, account, myVote, power, chain, verify, _meta } = useLoaderData<typeof loader>();
  const relayed = useActionData<typeof action>();
  const d = dispute!;
  const open = d.status === 'Open';
  const now = _meta?.block.timestamp ?? null;
  return (
    <>
      <p>
        <Link to="/disputes">← Disputes</Link>
      </p>
      <h1>
        Dispute #{d.id} <StatusBadge status={d.status} />
      </h1>
      <div className="grid-2">
        <section aria-labelledby="question-title">
          <h2 id="question-title">The question</h2>
          <p>
            Worker <AddressLink address={d.worker} /> claims that step{' '}
            <strong>{d.challenge?.step ?? '?'}</strong> (step {Number(d.stepIndex) + 1} of round{' '}
            <Link to={`/runs/${d.run.id}/rounds/${d.roundNumber}`}>{d.roundNumber}</Link> of{' '}
            <Link to={`/runs/${d.run.id}`}>run {d.run.runId}</Link>) produced the committed leaf{' '}
            <Hash value={d.challenge?.leaf} />.
          </p>
          <p>
            Challenger <AddressLink address={d.challenger} /> recomputed that step, got different
            bytes, and put up {formatEth(d.challenge?.deposit)} ETH to say so. Evidence:{' '}
            <span className="mono">{d.challenge?.evidenceURI ?? '—'}</span>
          </p>
          <h2>What each outcome pays</h2>
          <ul>
            <li>
              <strong>Fraud</strong>: the round and every later round built on it are invalidated;
              the worker loses the {formatEth(d.stakeAtRisk)} ETH at risk, which pays the
              challenger, minus the court fee for the voters.
            </li>
            <li>
              <strong>Valid</strong> (also on a tie or without quorum): the worker&apos;s claim
              stands and the challenger&apos;s deposit pays the worker, minus the court fee.
            </li>
            <li>
              Everyone who votes, on any side, shares the court fee in proportion to their weight.
            </li>
          </ul>
        </section>
        <section aria-labelledby="tally-title">
          <h2 id="tally-title">Live tally</h2>
          <Tally
            fraud={d.fraudVotes}
            valid={d.validVotes}
            abstain={d.abstainVotes}
            quorum={d.quorumVotes}
          />
          <p>
            Deadline: {formatTime(d.deadline)} (
            {open ? <Countdown deadline={d.deadline} chainNow={now} /> : 'closed'}) · snapshot block{' '}
            {d.snapshotBlock}
          </p>
          {d.status === 'Resolved' ? (
            <p>
              Ruling: <strong>{d.fraud ? 'fraud' : 'the claim stands'}</strong>
              {d.quorumReached === false ? ' (no quorum)' : ''}; court fee {formatEth(d.courtFee)}{' '}
              ETH.
            </p>
          ) : null}
          <section aria-labelledby="power-title" id="voting-power">
            <h2 id="power-title">Your voting power</h2>
            {!account ? (
              <p className="muted">Choose an account below.</p>
            ) : power === null ? null : power.ok ? (
              <div data-power={power.power}>
                <p>
                  <strong>{formatTokens(power.power)} votes</strong> at block {d.snapshotBlock}.
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
              <p>
                You voted <strong>{myVote.support}</strong> with {formatTokens(myVote.weight)}{' '}
                votes.
              </p>
            ) : null}
          </section>
        </section>
      </div>
      {relayed ? (
        // A ballot posted without JavaScript: the relay's answer (with JavaScript, VotePanel shows it).
        <p
          role={relayed.ok ? 'status' : 'alert'}
          className={relayed.ok ? undefined : 'error-text'}
          id="relay-result"
        >
          {relayed.ok
            ? `Signed vote relayed in block ${relayed.blockNumber} (transaction ${relayed.txHash}).`
            : `The ballot was not relayed: ${relayed.message}`}
          {!relayed.ok && relayed.help ? <> — {relayed.help}</> : null}
        </p>
      ) : null}
      <VerifyPanel verify={verify} />
      <VotePanel
        chain={chain}
        disputeId={d.id}
        open={open && !myVote}
        canVote={power && power.ok ? power.canVote : null}
      />
      <h2>Votes ({d.votes.length})</h2>
      {d.votes.length === 0 ? (
        <p className="empty">No votes yet.</p>
      ) : (
        <div className="table-wrap">
          <table id="votes-table">
            <thead>
              <tr>
                <th scope="col">Voter</th>
                <th scope="col">Vote</th>
                <th scope="col">Weight</th>
                <th scope="col">Reason</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {d.votes.map((v) => (
                <tr key={v.id}>
                  <td>
                    <AddressLink address={v.voter.id} />
                  </td>
                  <td>
                    {v.support}
                    {v.bySig ? ' (by signature)' : ''}
                  </td>
                  <td>{formatTokens(v.weight)}</td>
                  <td style={{ whiteSpace: 'normal' }}>{v.reason}</td>
                  <td>{formatTime(v.timestamp)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
