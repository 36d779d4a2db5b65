// The whole stack, end to end: the same startStack() as `npm run dev` (anvil, contracts, demo
// seed, subgraph build, embedded IPFS, um-indexer, seven um-worker processes, the demo voters'
// `um-worker vote`, the portal) on free ports in a scratch folder, asserting what a user of the
// portal, of GraphQL or of the chain would see. The court's phases are shortened so the demo's
// squat scenario (attack 2 of docs/protocol.md) reaches its rulings within the suite.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { disputeCourtAbi, trainingRunAbi } from '@um/protocol/abis';
import { createPublicClient, createWalletClient, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDemoTerms } from '../scripts/lib/demo-accounts.mjs';
import { repoRoot } from '../scripts/lib/foundry.mjs';
import { defaultPorts, startStack } from '../scripts/lib/stack.mjs';
import { waitFor } from '../scripts/lib/supervisor.mjs';

const k = 5;
const faultStep = 8; // round 1 (steps 6–10), index 2: indexes 0 and 1 are correct
const faultRound = Math.floor((faultStep - 1) / k);
const autoVoters = defaultDemoTerms.autoVoters;
// UM_E2E_NO_PORTAL=1 runs the suite without the portal (while web/ does not build).
const withPortal = !process.env.UM_E2E_NO_PORTAL;
const lines = [];
let stack;
let dataDir;
let crashed;

async function graphql(query, variables = {}) {
  const response = await fetch(stack.urls.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
  return body.data;
}

const publicClient = () =>
  createPublicClient({ chain: foundry, transport: http(stack.urls.rpc), pollingInterval: 250 });

async function send(from, request) {
  const wallet = createWalletClient({
    chain: foundry,
    transport: http(stack.urls.rpc),
    account: privateKeyToAccount(from.privateKey),
  });
  const hash = await wallet.writeContract(request);
  const receipt = await publicClient().waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe('success');
  return receipt;
}

/** waitFor that fails at once, with the service's name, when a stack process died. */
const until = (what, check, timeoutMs = 180_000) =>
  waitFor(
    what,
    async () => {
      if (crashed)
        throw Object.assign(new Error(`${crashed} exited (log: ${dataDir}/logs/${crashed}.log)`), {
          fatal: true,
        });
      return check();
    },
    timeoutMs,
    1_000,
  );

beforeAll(async () => {
  mkdirSync(join(repoRoot, '.data'), { recursive: true });
  dataDir = mkdtempSync(join(repoRoot, '.data', 'e2e-'));
  const ports = Object.fromEntries(Object.keys(defaultPorts).map((name) => [name, 0]));
  try {
    stack = await startStack({
      dataDir,
      ports,
      build: false, // `npm test` built every part (turbo) before this suite runs
      blockTime: 1,
      portal: withPortal,
      // Long enough for `um-worker vote --wait` to start, replay and commit on a busy machine.
      court: { commitPeriod: 30, revealPeriod: 20, unstakeCooldown: 60 },
      terms: {
        stepsPerRound: k,
        challengeWindow: 20n,
        faultStep,
        faultRunRounds: 3n,
        laterCourt: null, // the suite ends before a later dispute would matter
        x2TrainSteps: 150,
      },
      colour: false,
      log: (line) => {
        lines.push(line);
        if (process.env.UM_E2E_LOGS) console.log(line);
      },
      onCrash: (name) => {
        crashed = name;
      },
    });
  } catch (error) {
    console.error(lines.slice(-60).join('\n'));
    throw error;
  }
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  if (crashed || process.env.UM_E2E_KEEP) console.log(`stack data kept in ${dataDir}`);
  else if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('the whole stack', () => {
  it("a run's rounds are submitted and finalised, and GraphQL shows them with their losses", async () => {
    const run = stack.runs.live.toLowerCase();
    const data = await until('a finalised round of the live run in GraphQL', async () => {
      const d = await graphql(
        `
          query ($run: String!) {
            rounds(where: { run: $run, status: Finalized }, orderBy: number) {
              number
              status
              worker {
                id
              }
            }
            steps(where: { run: $run }, first: 1000) {
              step
              loss
              status
            }
          }
        `,
        { run },
      );
      return d.rounds.length > 0 ? d : undefined;
    });
    expect(data.rounds[0].number).toBe('0');
    expect(data.rounds[0].worker.id).toBe(stack.accounts.trainer.address.toLowerCase());
    expect(data.steps.length).toBeGreaterThanOrEqual(k);
    for (const step of data.steps) {
      expect(step.status).toBe('Valid');
      expect(Number(step.loss)).toBeGreaterThan(0);
    }
  });

  it('the faulty round is squatted on a correct step and challenged on its first wrong one: two disputes side by side', async () => {
    const run = stack.runs.fraud.toLowerCase();
    const { disputes } = await until('two disputes on the fraud run', async () => {
      const d = await graphql(
        `
          query ($run: String!) {
            disputes(where: { run: $run }, orderBy: disputeId, first: 2) {
              id
              roundNumber
              stepIndex
              challenger
              worker
              status
              commitCount
              round {
                id
                claimId
              }
              challenge {
                seq
              }
            }
          }
        `,
        { run },
      );
      return d.disputes.length === 2 ? d : undefined;
    });
    const [squat, honest] = disputes;
    for (const dispute of disputes) {
      expect(dispute.roundNumber).toBe(String(faultRound));
      expect(dispute.worker).toBe(stack.accounts.faultyTrainer.address.toLowerCase());
    }
    // Both on the same lease: the squat did not take the round's only slot.
    expect(squat.round.id).toBe(honest.round.id);
    expect(squat.challenger).toBe(stack.accounts.squatter.address.toLowerCase());
    expect(squat.stepIndex).toBe('0');
    expect(squat.challenge.seq).toBe(0);
    expect(honest.challenger).toBe(stack.accounts.fraudVerifier.address.toLowerCase());
    expect(honest.stepIndex).toBe(String((faultStep - 1) % k));
    expect(honest.challenge.seq).toBe(1);
  });

  it('hidden ballots are revealed; the squat is ruled valid and the fraud is ruled fraud', async () => {
    const outcome = await Promise.race([
      stack.disputes,
      until('the dispute demo', async () => undefined, 240_000),
    ]);
    const { squatDisputeId, fraudDisputeId } = outcome;
    expect(outcome.rulings).toEqual({ [squatDisputeId]: 'valid', [fraudDisputeId]: 'fraud' });
    const query = `
      query ($id: ID!) {
        dispute(id: $id) {
          status
          fraud
          quorumReached
          commitCount
          revealCount
          fraudVotes
          validVotes
          courtFee
          ballots(orderBy: id) {
            voter {
              id
            }
            revealed
            support
            weight
          }
          round {
            status
            slashed
          }
          challenge {
            status
          }
        }
      }
    `;
    const resolved = async (id) =>
      until(`dispute ${id} resolved in GraphQL`, async () => {
        const { dispute } = await graphql(query, { id: String(id) });
        return dispute?.status === 'Resolved' ? dispute : undefined;
      });
    const squat = await resolved(squatDisputeId);
    const fraud = await resolved(fraudDisputeId);
    const voters = autoVoters.map((i) => stack.accounts.at(i).address.toLowerCase()).sort();
    for (const [dispute, support] of [
      [squat, 'Valid'],
      [fraud, 'Fraud'],
    ]) {
      expect(dispute.commitCount).toBe(voters.length);
      expect(dispute.revealCount).toBe(voters.length);
      expect(dispute.quorumReached).toBe(true);
      expect(dispute.ballots.map((b) => b.voter.id).sort()).toEqual(voters);
      for (const ballot of dispute.ballots) {
        expect(ballot.revealed).toBe(true);
        expect(ballot.support).toBe(support);
        expect(BigInt(ballot.weight)).toBe(defaultDemoTerms.voterStake);
      }
      expect(BigInt(dispute.courtFee)).toBeGreaterThan(0n);
    }
    expect(squat.fraud).toBe(false);
    expect(squat.challenge.status).toBe('Rejected');
    expect(fraud.fraud).toBe(true);
    expect(fraud.challenge.status).toBe('Upheld');
    expect(fraud.round.status).toBe('Invalidated');
    expect(fraud.round.slashed).toBe(true);
    const onChain = await publicClient().readContract({
      address: stack.deployment.contracts.DisputeCourt.address,
      abi: disputeCourtAbi,
      functionName: 'getDispute',
      args: [fraudDisputeId],
    });
    expect(onChain.fraud).toBe(true);
    expect(onChain.fraudVotes).toBe(defaultDemoTerms.voterStake * BigInt(voters.length));
  });

  it('rewards are claimable: each voter claims its fee share, the challenger withdraws its payout', async () => {
    const { squatDisputeId, fraudDisputeId } = await stack.disputes;
    const client = publicClient();
    const court = stack.deployment.contracts.DisputeCourt.address;
    for (const id of [squatDisputeId, fraudDisputeId])
      for (const index of autoVoters) {
        const voter = stack.accounts.at(index);
        const pending = await client.readContract({
          address: court,
          abi: disputeCourtAbi,
          functionName: 'pendingReward',
          args: [id, voter.address],
        });
        expect(pending).toBeGreaterThan(0n);
        // Anyone may trigger the claim; it pays the voter (here the deployer pays the gas).
        const before = await client.getBalance({ address: voter.address });
        await send(stack.accounts.deployer, {
          address: court,
          abi: disputeCourtAbi,
          functionName: 'claimReward',
          args: [id, voter.address],
        });
        expect(await client.getBalance({ address: voter.address })).toBe(before + pending);
        const claim = await until(`the reward claim of ${voter.address} in GraphQL`, async () => {
          const d = await graphql(
            `
              query ($dispute: String!, $voter: String!) {
                courtRewardClaims(where: { dispute: $dispute, voter: $voter }) {
                  amount
                }
              }
            `,
            { dispute: String(id), voter: voter.address.toLowerCase() },
          );
          return d.courtRewardClaims[0];
        });
        expect(BigInt(claim.amount)).toBe(pending);
      }

    // The honest challenger: its deposit back plus 25 % of the slashed worker deposit, credited on
    // the ruling and withdrawn by the verifier itself.
    const challenger = stack.accounts.fraudVerifier.address;
    const reward = defaultDemoTerms.workerDeposit / 4n;
    const expected = defaultDemoTerms.challengerDeposit + reward;
    const { challenge } = await graphql(
      `
        query ($id: ID!) {
          challenge(id: $id) {
            winner
            payout
          }
        }
      `,
      { id: String(fraudDisputeId) },
    );
    expect(challenge.winner).toBe(challenger.toLowerCase());
    expect(BigInt(challenge.payout)).toBe(reward);
    const withdrawals = await until('the challenger’s withdrawal in GraphQL', async () => {
      const d = await graphql(
        `
          query ($account: Bytes!, $run: String!) {
            withdrawals(where: { account: $account, run: $run }) {
              amount
            }
          }
        `,
        { account: challenger.toLowerCase(), run: stack.runs.fraud.toLowerCase() },
      );
      const total = d.withdrawals.reduce((sum, w) => sum + BigInt(w.amount), 0n);
      return total >= expected ? total : undefined;
    });
    expect(withdrawals).toBeGreaterThanOrEqual(expected);
    const credit = await client.readContract({
      address: stack.runs.fraud,
      abi: trainingRunAbi,
      functionName: 'credits',
      args: [challenger],
    });
    expect(credit).toBe(0n);
  });

  it("the market task's best model changes to the improving candidate; the worse one is rejected", async () => {
    const market = await stack.market;
    const data = await until(
      'both candidates attested in GraphQL',
      async () => {
        const d = await graphql(
          `
            query ($task: ID!) {
              task(id: $task) {
                bestScore
                bestCandidate {
                  id
                }
                bestModelChanges {
                  id
                  newScore
                }
                candidates {
                  id
                  status
                }
              }
            }
          `,
          { task: String(market.taskId) },
        );
        return d.task && d.task.candidates.every((c) => c.status !== 'Pending') ? d : undefined;
      },
      240_000,
    );
    const { task } = data;
    expect(task.bestCandidate.id).toBe(String(market.improvingId));
    expect(task.bestModelChanges).toHaveLength(1);
    expect(Number(task.bestScore)).toBeGreaterThan(0.05);
    const status = Object.fromEntries(task.candidates.map((c) => [c.id, c.status]));
    expect(status[String(market.improvingId)]).toBe('Improved');
    expect(status[String(market.worseId)]).toBe('Rejected');
  });

  it.runIf(withPortal)('the portal serves the live run and the open dispute', async () => {
    const runPage = await fetch(`${stack.urls.portal}/runs/${stack.runs.live.toLowerCase()}`);
    expect(runPage.status).toBe(200);
    const html = await runPage.text();
    expect(html.toLowerCase()).toContain(stack.runs.live.toLowerCase());
    const disputes = await fetch(`${stack.urls.portal}/disputes`);
    expect(disputes.status).toBe(200);
  });
});
