// The whole stack, end to end: the same startStack() as `npm run dev` (anvil, contracts, demo
// seed, subgraph build, embedded IPFS, um-indexer, seven um-worker processes, the portal) on free
// ports in a scratch folder, asserting what a user of the portal or of GraphQL would see.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { disputeCourtAbi } from '@um/protocol/abis';
import { Support } from '@um/protocol';
import { createPublicClient, createWalletClient, http, parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { accessSync, constants } from 'node:fs';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../scripts/lib/foundry.mjs';
import { defaultPorts, startStack } from '../scripts/lib/stack.mjs';
import { waitFor } from '../scripts/lib/supervisor.mjs';

const k = 5;
const faultStep = 8; // round 1 (steps 6–10), index 2
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
      votingPeriod: 3_600,
      blockTime: 1,
      terms: {
        stepsPerRound: k,
        challengeWindow: 20n,
        faultStep,
        faultRounds: 3,
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

  it("the faulty trainer's wrong step is challenged and a dispute opens", async () => {
    const run = stack.runs.fraud.toLowerCase();
    const { disputes } = await until('a dispute on the fraud run', async () => {
      const d = await graphql(
        `
          query ($run: String!) {
            disputes(where: { run: $run }) {
              id
              roundNumber
              stepIndex
              challenger
              worker
              status
              voteCount
            }
          }
        `,
        { run },
      );
      return d.disputes.length > 0 ? d : undefined;
    });
    expect(disputes).toHaveLength(1);
    const [dispute] = disputes;
    expect(dispute.roundNumber).toBe(String(Math.floor((faultStep - 1) / k)));
    expect(dispute.stepIndex).toBe(String((faultStep - 1) % k));
    expect(dispute.challenger).toBe(stack.accounts.fraudVerifier.address.toLowerCase());
    expect(dispute.worker).toBe(stack.accounts.faultyTrainer.address.toLowerCase());
    expect(dispute.status).toBe('Open');
    expect(dispute.voteCount).toBe(0);
  });

  it('votes of dev accounts change the tally', async () => {
    const { disputes } = await graphql(
      `
        query ($run: String!) {
          disputes(where: { run: $run }) {
            id
            disputeId
          }
        }
      `,
      { run: stack.runs.fraud.toLowerCase() },
    );
    const disputeId = BigInt(disputes[0].disputeId);
    const transport = http(stack.urls.rpc);
    const publicClient = createPublicClient({ chain: foundry, transport });
    const vote = async (voter, support) => {
      const wallet = createWalletClient({
        chain: foundry,
        transport,
        account: privateKeyToAccount(voter.privateKey),
      });
      const hash = await wallet.writeContract({
        address: stack.deployment.contracts.DisputeCourt.address,
        abi: disputeCourtAbi,
        functionName: 'castVote',
        args: [disputeId, support, 'e2e'],
      });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      expect(receipt.status).toBe('success');
    };
    const tally = async () =>
      (
        await graphql(
          `
            query ($id: ID!) {
              dispute(id: $id) {
                fraudVotes
                validVotes
                voteCount
              }
            }
          `,
          {
            id: disputes[0].id,
          },
        )
      ).dispute;
    await vote(stack.accounts.voters[1], Support.Fraud);
    const afterFirst = await until(
      'the first vote in the tally',
      async () => {
        const t = await tally();
        return t.voteCount === 1 ? t : undefined;
      },
      60_000,
    );
    expect(BigInt(afterFirst.fraudVotes)).toBe(parseEther('20000000'));
    expect(afterFirst.validVotes).toBe('0');
    await vote(stack.accounts.voters[2], Support.Valid);
    const afterSecond = await until(
      'the second vote in the tally',
      async () => {
        const t = await tally();
        return t.voteCount === 2 ? t : undefined;
      },
      60_000,
    );
    expect(BigInt(afterSecond.validVotes)).toBe(parseEther('20000000'));
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

  it('the portal serves the live run and the open dispute', async () => {
    const runPage = await fetch(`${stack.urls.portal}/runs/${stack.runs.live.toLowerCase()}`);
    expect(runPage.status).toBe(200);
    const html = await runPage.text();
    expect(html.toLowerCase()).toContain(stack.runs.live.toLowerCase());
    const disputes = await fetch(`${stack.urls.portal}/disputes`);
    expect(disputes.status).toBe(200);
  });

  it('a visitor votes from the portal with a dev account, and the tally counts it', async () => {
    const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    try {
      accessSync(executablePath, constants.X_OK);
    } catch {
      throw new Error(
        `Chromium not found at ${executablePath}: install it with "sudo apt-get install -y chromium" or set CHROMIUM_PATH`,
      );
    }
    const { disputes } = await graphql(
      `
        query ($run: String!) {
          disputes(where: { run: $run }) {
            id
            voteCount
          }
        }
      `,
      { run: stack.runs.fraud.toLowerCase() },
    );
    const [dispute] = disputes;
    const before = dispute.voteCount;
    const browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      // networkidle: the page is hydrated, so the picker's onChange is React's.
      await page.goto(`${stack.urls.portal}/disputes/${dispute.id}`, { waitUntil: 'networkidle' });
      await page.getByLabel('Dev account').selectOption('3');
      await page.waitForURL(new RegExp(`account=${stack.accounts.voters[3].address}`, 'i'));
      try {
        await page.getByRole('radio', { name: /Fraud/ }).check();
        await page.getByRole('button', { name: 'Cast vote' }).click();
      } catch (error) {
        await page.screenshot({ path: join(dataDir, 'dispute-vote-failed.png'), fullPage: true });
        throw error;
      }
      const voter = stack.accounts.voters[3].address.toLowerCase();
      const vote = await until(
        'the portal vote in GraphQL',
        async () => {
          const d = await graphql(
            `
              query ($id: ID!) {
                vote(id: $id) {
                  support
                  weight
                }
              }
            `,
            {
              id: `${dispute.id}-${voter}`,
            },
          );
          return d.vote ?? undefined;
        },
        60_000,
      );
      expect(vote.support).toBe('Fraud');
      expect(BigInt(vote.weight)).toBe(parseEther('20000000'));
      const after = await graphql(
        `
          query ($id: ID!) {
            dispute(id: $id) {
              voteCount
            }
          }
        `,
        {
          id: dispute.id,
        },
      );
      expect(after.dispute.voteCount).toBe(before + 1);
      // …and the open page shows it without a reload (the portal follows new blocks).
      await page
        .getByRole('heading', { name: `Votes (${before + 1})` })
        .waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(dataDir, 'dispute-after-vote.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
