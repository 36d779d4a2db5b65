/**
 * The portal on the full local stack, in Chromium: anvil, the contracts deployed by
 * contracts/script/Deploy.s.sol, the real subgraph build indexed by `um-indexer`, the engine's
 * embedded IPFS node and gateway, and remix-serve. The scripted run is computed by the real engine
 * (iris, wasm backend) in Node: eleven honest rounds, then a round whose first step's state hash is
 * forged, challenged by commit and reveal with v2 evidence (the prior state's checkpoint). Voters
 * stake in the court before the dispute opens. The browser then checks what a user would: the
 * chart, paging, "Verify in my browser" reproducing the exact state hash the Node engine computed
 * (the cross-environment determinism check), a sealed ballot committed by transaction and one by
 * a single signature through the relay, the relay revealing after the commit deadline, the
 * self-revealed ballot from the salt kept in the browser, the tally that follows, and /graphql.
 * Reuses the subgraph e2e harness (subgraph/test/e2e/harness.ts).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Engine, irisExampleSpec, stateHash, type TrainingState } from '@um/engine';
import { EmbeddedIpfs, startGateway, type Gateway } from '@um/engine/node';
import {
  ballotCommitment,
  ballotCommitTypedData,
  challengeCommitment,
  encodeSpec,
  parseSpec,
  specHash,
} from '@um/protocol';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import {
  createPublicClient,
  createWalletClient,
  http,
  keccak256,
  parseEther,
  stringToBytes,
  toHex,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
} from 'viem';
import { mnemonicToAccount, type HDAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSubgraph, subgraphDir } from '../../../subgraph/scripts/build.js';
import { readDeployment, type Deployment } from '../../../subgraph/scripts/manifest.js';
import { CHROMIUM_ARGS, findChromium } from './chromium.js';
import { startPortal, WEB_DIR, type PortalServer } from './portal-server.js';

/**
 * The subgraph e2e harness (anvil, forge deploy, um-indexer), loaded at run time: its source is
 * typed against plain Node types, and the portal's type check (with React's ProcessEnv) would
 * reject it, so only the parts used here are typed.
 */
type Anvil = { url: string; stop(): Promise<void> };
type Indexer = {
  endpoint: string;
  waitForBlock(block: bigint, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
};
type Harness = {
  contractAbi(name: string): readonly unknown[];
  deployContracts(rpcUrl: string, tag: string): Promise<string>;
  startAnvil(accounts?: number): Promise<Anvil>;
  startIndexer(args: { subgraphDir: string; rpcUrl: string; dataDir: string }): Promise<Indexer>;
};
const HARNESS = new URL('../../../subgraph/test/e2e/harness.ts', import.meta.url).href;
const { contractAbi, deployContracts, startAnvil, startIndexer } = (await import(
  /* @vite-ignore */ HARNESS
)) as Harness;

const ARTEFACTS = join(WEB_DIR, 'test-results', 'stack');
const MNEMONIC = 'test test test test test test test test test test test junk';
const account = (i: number): HDAccount => mnemonicToAccount(MNEMONIC, { addressIndex: i });
const deployer = account(0);
const worker = account(1);
const challenger = account(4);
/** Dev accounts #5 and #6 vote from the page; #7 votes from the script before the page opens. */
const [uiVoter, sigVoter, scriptVoter] = [account(5), account(6), account(7)];

const K = 2;
const HONEST_ROUNDS = 11;
const FRAUD_ROUND = HONEST_ROUNDS; // rounds count from 0
const FORGED_INDEX = 0;
const DISPUTED_STEP = FRAUD_ROUND * K + FORGED_INDEX + 1;

let tmp: string;
let anvil: Anvil;
let indexer: Indexer;
let ipfs: EmbeddedIpfs;
let gateway: Gateway;
let portal: PortalServer;
let context: BrowserContext;
let pub: PublicClient;
let deployment: Deployment;
let deploymentPath: string;
let runAddress: Address;
/** What the Node engine computed for the disputed step, and the forged claim. */
let honestHash: Hex;
let forgedHash: Hex;

const abis: Record<string, Abi> = {};
const abiOf = (name: string): Abi => (abis[name] ??= contractAbi(name) as Abi);
const at = (name: string): Address => deployment.contracts[name]!.address as Address;

async function send(
  from: HDAccount,
  contract: string,
  address: Address,
  functionName: string,
  args: readonly unknown[] = [],
  value?: bigint,
) {
  const wallet = createWalletClient({ account: from, chain: foundry, transport: http(anvil.url) });
  const hash = await wallet.writeContract({
    address,
    abi: abiOf(contract),
    functionName,
    args,
    ...(value === undefined ? {} : { value }),
  } as Parameters<typeof wallet.writeContract>[0]);
  const receipt = await pub.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new Error(`${contract}.${functionName} reverted`);
  return receipt;
}
const read = <T>(contract: string, address: Address, functionName: string, args: unknown[] = []) =>
  pub.readContract({ address, abi: abiOf(contract), functionName, args }) as Promise<T>;
const fixed = (loss: number): bigint => BigInt(Math.round(loss * 1e9));
const progress = (line: string) => process.stderr.write(`stack e2e: ${line}\n`);

/** Computes the run with the engine, publishes spec, checkpoints and evidence, and submits it. */
async function playRun(): Promise<void> {
  const token = at('UMToken');
  const supply = await read<bigint>('UMToken', token, 'totalSupply');
  for (const [voter, percent] of [
    [uiVoter, 20n],
    [sigVoter, 15n],
    [scriptVoter, 10n],
  ] as const) {
    const amount = (supply * percent) / 100n;
    await send(deployer, 'UMToken', token, 'transfer', [voter.address, amount]);
    await send(voter, 'UMToken', token, 'approve', [at('DisputeCourt'), amount]);
    await send(voter, 'DisputeCourt', at('DisputeCourt'), 'stake', [amount]);
  }

  const spec = parseSpec(irisExampleSpec({ stepsPerRound: K }));
  const engine = await Engine.create(spec);
  try {
    const specURI = await ipfs.addBytes(encodeSpec(spec));
    let state: TrainingState = engine.initialState();
    const deposit = parseEther('1');
    await send(
      deployer,
      'RunFactory',
      at('RunFactory'),
      'createRun',
      [
        {
          specHash: specHash(spec),
          specURI,
          initialStateHash: stateHash(state),
          stepsPerRound: BigInt(K),
          leaseDuration: 3600n,
          challengeWindow: 3600n,
          maxRounds: 0n,
          workerDeposit: deposit,
          challengerDeposit: parseEther('0.5'),
          rewardPerRound: parseEther('0.01'),
        },
      ],
      parseEther('1'),
    );
    runAddress = await read<Address>('RunFactory', at('RunFactory'), 'runs', [0n]);

    let previousStateURI = '';
    for (let round = 0; round <= FRAUD_ROUND; round++) {
      const run = await engine.runSteps(state, round * K + 1, (round + 1) * K);
      const stateURI = await ipfs.addDirectory({ ...engine.checkpoint(run.state) });
      const hashes = run.steps.map((s) => s.stateHash);
      if (round === FRAUD_ROUND) {
        honestHash = hashes[FORGED_INDEX]!;
        forgedHash = keccak256(toHex('forged state'));
        hashes[FORGED_INDEX] = forgedHash;
      }
      await send(worker, 'TrainingRun', runAddress, 'claim', [], deposit);
      await send(worker, 'TrainingRun', runAddress, 'submit', [
        BigInt(round),
        hashes,
        stateHash(run.state),
        stateURI,
        run.steps.map((s) => fixed(s.loss)),
      ]);
      if (round === FRAUD_ROUND) {
        const evidence = await ipfs.addBytes(
          stringToBytes(
            JSON.stringify({
              version: 2,
              kind: 'um/challenge-evidence',
              run: runAddress,
              round,
              stepIndex: FORGED_INDEX,
              step: DISPUTED_STEP,
              reason: 'wrong-step',
              priorStateHash: stateHash(state),
              priorStateURI: previousStateURI,
              committedStateHash: forgedHash,
              recomputedStateHash: honestHash,
            }),
          ),
        );
        const salt = keccak256(toHex('challenge salt'));
        await send(
          challenger,
          'TrainingRun',
          runAddress,
          'commitChallenge',
          [
            BigInt(round),
            challengeCommitment(runAddress, challenger.address, round, FORGED_INDEX, salt),
          ],
          parseEther('0.5'),
        );
        await send(challenger, 'TrainingRun', runAddress, 'revealChallenge', [
          BigInt(round),
          BigInt(FORGED_INDEX),
          salt,
          challenger.address,
          evidence,
        ]);
      }
      state = run.state;
      previousStateURI = stateURI;
      progress(
        `round ${round} submitted${round === FRAUD_ROUND ? ' (forged) and challenged' : ''}`,
      );
    }
  } finally {
    engine.dispose();
  }
  // Account #7 commits a sealed ballot from the script before the page opens.
  await send(scriptVoter, 'DisputeCourt', at('DisputeCourt'), 'commitVote', [
    1n,
    ballotCommitment(1n, scriptVoter.address, 1, keccak256(toHex('script salt'))),
  ]);
}
beforeAll(async () => {
  mkdirSync(ARTEFACTS, { recursive: true });
  const executablePath = findChromium();
  tmp = mkdtempSync(join(tmpdir(), 'um-web-stack-'));
  anvil = await startAnvil(20);
  pub = createPublicClient({ chain: foundry, transport: http(anvil.url), cacheTime: 0 });
  progress('deploying the contracts');
  // Long enough that the commit phase outlasts setup and the earlier tests; the voting test then
  // moves the chain's clock past the commit deadline itself.
  process.env.UM_COURT_COMMIT_PERIOD = '3600';
  process.env.UM_COURT_REVEAL_PERIOD = '3600';
  process.env.UM_COURT_UNSTAKE_COOLDOWN = '7300';
  deploymentPath = await deployContracts(anvil.url, `web-${process.pid}`);
  deployment = readDeployment(deploymentPath);
  progress('building the subgraph for this deployment');
  await buildSubgraph({
    deployment: deploymentPath,
    manifestName: '.web-e2e.yaml',
    outputDir: join(tmp, 'build'),
    log: () => {},
  });
  ipfs = await EmbeddedIpfs.open(join(tmp, 'ipfs'));
  gateway = await startGateway(ipfs, { port: 0 });
  progress('computing and submitting the run with the engine');
  await playRun();
  indexer = await startIndexer({
    subgraphDir: join(tmp, 'build'),
    rpcUrl: anvil.url,
    dataDir: join(tmp, 'indexer-data'),
  });
  progress('indexing');
  await indexer.waitForBlock(await pub.getBlockNumber());
  portal = await startPortal({
    UM_GRAPHQL_URL: indexer.endpoint,
    UM_RPC_URL: anvil.url,
    UM_CHAIN_ID: '31337',
    UM_DEPLOYMENTS_DIR: dirname(deploymentPath),
    UM_IPFS_GATEWAY: gateway.url,
    UM_PORTAL_DATA_DIR: join(tmp, 'portal-data'),
    UM_RELAY_REVEAL_INTERVAL_MS: '0',
  });
  context = await chromium.launchPersistentContext(join(tmp, 'chromium'), {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    colorScheme: 'light',
  });
}, 240_000);

afterAll(async () => {
  await context?.close();
  await portal?.close();
  await indexer?.stop();
  await gateway?.close();
  await ipfs?.close();
  await anvil?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  if (deploymentPath) rmSync(dirname(deploymentPath), { recursive: true, force: true });
  rmSync(join(subgraphDir, '.web-e2e.yaml'), { force: true });
});

async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const res = await page.goto(`${portal.url}${path}`, { waitUntil: 'networkidle' });
  expect(res?.status(), `${path} status`).toBe(200);
  expect(errors, 'uncaught page errors').toEqual([]);
  return page;
}

describe('portal on the full local stack', () => {
  it('draws the run’s chart with every submitted step and pages through its rounds', async () => {
    const page = await open(`/runs/${runAddress.toLowerCase()}?size=10`);
    await page.waitForSelector('#loss-chart svg.recharts-surface');
    const chart = page.locator('#loss-chart');
    await expect
      .poll(() => chart.getAttribute('data-points-raw'))
      .toBe(String((FRAUD_ROUND + 1) * K));
    await page.screenshot({ path: join(ARTEFACTS, 'run-page.png'), fullPage: true });
    const rows = page.locator('#rounds-table tbody tr');
    expect(await rows.count()).toBe(10);
    expect(await rows.first().getAttribute('data-round')).toBe(String(FRAUD_ROUND));
    await page.getByRole('link', { name: 'Next →' }).click();
    await page.waitForURL(/page=2/);
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.last().getAttribute('data-round')).toBe('0');
    await page.close();
  });

  it('verifies the disputed step in the browser and gets the Node engine’s exact state hash', async () => {
    const page = await open('/disputes/1');
    await page.getByRole('button', { name: 'Verify in my browser' }).click();
    const verdict = page.locator('[data-verdict]');
    await verdict.waitFor({ timeout: 90_000 });
    expect(await verdict.getAttribute('data-verdict')).toBe('challenger');
    expect(await page.locator('#recomputed-hash').textContent()).toBe(honestHash);
    expect(honestHash).not.toBe(forgedHash);
    await page.close();
  });

  it('commits sealed ballots by transaction and by one signature, then both get revealed and counted', async () => {
    const page = await open('/disputes/1');
    expect(await page.locator('#phase').getAttribute('data-phase')).toBe('commit');
    expect(await page.locator('#tally-hidden').count()).toBe(1);
    await page.getByLabel('Dev account').selectOption('5');
    await page.waitForURL(new RegExp(`account=${uiVoter.address}`, 'i'));
    await expect
      .poll(() => page.locator('#voting-power [data-power]').getAttribute('data-power'))
      .not.toBe('0');
    await page.getByRole('radio', { name: /^Fraud/ }).check();
    await page.getByRole('radio', { name: /Commit by transaction/ }).check();
    await page.getByRole('button', { name: 'Commit ballot' }).click();
    await expect
      .poll(() => page.getByRole('status').allTextContents(), { timeout: 20_000 })
      .toContainEqual(expect.stringContaining('Sealed ballot committed'));

    await page.getByLabel('Dev account').selectOption('6');
    await page.waitForURL(new RegExp(`account=${sigVoter.address}`, 'i'));
    await page.getByRole('radio', { name: /^Fraud/ }).check();
    await page.getByRole('radio', { name: /Sign once/ }).check();
    await page.getByRole('button', { name: 'Commit ballot' }).click();
    await expect
      .poll(() => page.getByRole('status').allTextContents(), { timeout: 20_000 })
      .toContainEqual(expect.stringContaining('Sealed ballot relayed'));
    await indexer.waitForBlock(await pub.getBlockNumber());
    await page.reload({ waitUntil: 'networkidle' });
    await expect
      .poll(() => page.locator('#ballot-count').textContent())
      .toContain('3 sealed ballots committed, 0 revealed');

    // Past the commit deadline: the next page load makes the relay reveal account #6's ballot.
    const dispute = await read<{ commitDeadline: bigint }>(
      'DisputeCourt',
      at('DisputeCourt'),
      'getDispute',
      [1n],
    );
    const latest = await pub.getBlock();
    await pub.request({
      method: 'evm_increaseTime' as never,
      params: [Number(dispute.commitDeadline - latest.timestamp) + 1] as never,
    });
    await pub.request({ method: 'evm_mine' as never, params: [] as never });
    // The page reads the chain's clock from the indexer's head, so let it index the mined block.
    await indexer.waitForBlock(await pub.getBlockNumber());
    await page.reload({ waitUntil: 'networkidle' });
    expect(await page.locator('#phase').getAttribute('data-phase')).toBe('reveal');
    const receipt = await read<{ revealed: boolean }>(
      'DisputeCourt',
      at('DisputeCourt'),
      'getReceipt',
      [1n, sigVoter.address],
    );
    expect(receipt.revealed).toBe(true);

    // Account #5 reveals itself with the salt this browser kept.
    await page.getByLabel('Dev account').selectOption('5');
    await page.waitForURL(new RegExp(`account=${uiVoter.address}`, 'i'));
    await page.getByRole('button', { name: 'Reveal my ballot' }).click();
    await expect
      .poll(() => page.getByRole('status').allTextContents(), { timeout: 20_000 })
      .toContainEqual(expect.stringContaining('Ballot revealed'));
    await indexer.waitForBlock(await pub.getBlockNumber());
    await page.reload({ waitUntil: 'networkidle' });
    await expect.poll(() => page.locator('#ballot-count').textContent()).toContain('2 revealed');
    expect(await page.locator('[data-side="fraud"]').textContent()).not.toBe('0');
    expect(await page.locator('#projection').textContent()).toContain('If it ended now');
    await page.screenshot({ path: join(ARTEFACTS, 'dispute-page.png'), fullPage: true });
    await page.close();
  });

  it('refuses a relayed ballot with a bad salt (400) and a second commit with the decoded revert (422)', async () => {
    const court = at('DisputeCourt');
    const salt = keccak256(toHex('again'));
    const commitment = ballotCommitment(1n, scriptVoter.address, 0, salt);
    const signature = await scriptVoter.signTypedData(
      ballotCommitTypedData({
        chainId: 31337,
        court,
        ballot: { disputeId: 1n, voter: scriptVoter.address, commitment },
      }),
    );
    const page = await context.newPage();
    const bad = await page.request.post(`${portal.url}/disputes/1`, {
      form: {
        intent: 'commitVoteBySig',
        support: '0',
        voter: scriptVoter.address,
        salt: '0x12',
        signature,
      },
    });
    expect(bad.status()).toBe(400);
    expect(await bad.text()).toContain('salt must be 32 bytes of hex');
    const late = await page.request.post(`${portal.url}/disputes/1`, {
      form: {
        intent: 'commitVoteBySig',
        support: '0',
        voter: scriptVoter.address,
        salt,
        signature,
      },
    });
    expect(late.status()).toBe(422);
    expect(await late.text()).toMatch(/CommitPhaseOver|AlreadyCommitted/);
    await page.close();
  });

  it('runs a query on /graphql against the indexer', async () => {
    const page = await open('/graphql?example=runs');
    expect(await page.locator('#endpoint').textContent()).toBe(indexer.endpoint);
    // GraphiQL, through the portal's proxy, answered by the real indexer.
    await page.waitForSelector('#graphiql .graphiql-container');
    await page.locator('.graphiql-execute-button').click();
    await expect
      .poll(() => page.locator('.result-window').textContent(), { timeout: 15_000 })
      .toContain(runAddress.toLowerCase());
    await page.close();
  });
});
