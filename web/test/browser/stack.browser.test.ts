/**
 * The portal on the full local stack, in Chromium: anvil, the contracts deployed by
 * contracts/script/Deploy.s.sol, the real subgraph build indexed by `um-indexer`, the engine's
 * embedded IPFS node and gateway, and remix-serve. The scripted run is computed by the real engine
 * (iris, wasm backend) in Node: eleven honest rounds, then a round whose second step is forged and
 * challenged with a Merkle proof. The browser then checks what a user would: the chart, paging,
 * "Verify in my browser" reproducing the exact leaf the Node engine computed (the cross-environment
 * determinism check), voting with a dev account and by signature through the relay, and /graphql.
 * Reuses the subgraph e2e harness (subgraph/test/e2e/harness.ts).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Engine, irisExampleSpec, stateHash, type TrainingState } from '@um/engine';
import { EmbeddedIpfs, startGateway, type Gateway } from '@um/engine/node';
import {
  ballotTypedData,
  encodeSpec,
  merkleProof,
  merkleRoot,
  parseSpec,
  specHash,
  stepLeaf,
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
const FORGED_INDEX = 1;
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
/** What the Node engine computed for the disputed step. */
let honestLeaf: Hex;
let forgedLeaf: Hex;

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
    await send(deployer, 'UMToken', token, 'transfer', [voter.address, (supply * percent) / 100n]);
    await send(voter, 'UMToken', token, 'delegate', [voter.address]);
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

    for (let round = 0; round <= FRAUD_ROUND; round++) {
      const run = await engine.runSteps(state, round * K + 1, (round + 1) * K);
      const stateURI = await ipfs.addDirectory({ ...engine.checkpoint(run.state) });
      let leaves = [...run.leaves];
      if (round === FRAUD_ROUND) {
        honestLeaf = leaves[FORGED_INDEX]!;
        forgedLeaf = stepLeaf(DISPUTED_STEP, keccak256(toHex('forged state')));
        leaves[FORGED_INDEX] = forgedLeaf;
        leaves = leaves.slice();
      }
      await send(worker, 'TrainingRun', runAddress, 'claim', [], deposit);
      await send(worker, 'TrainingRun', runAddress, 'submit', [
        BigInt(round),
        merkleRoot(leaves),
        stateHash(run.state),
        stateURI,
        run.steps.map((s) => fixed(s.loss)),
      ]);
      if (round === FRAUD_ROUND) {
        const evidence = await ipfs.addBytes(
          stringToBytes(
            JSON.stringify({
              version: 1,
              kind: 'um/challenge-evidence',
              run: runAddress,
              round,
              stepIndex: FORGED_INDEX,
              step: DISPUTED_STEP,
              reason: 'wrong-step',
              committedLeaf: forgedLeaf,
              recomputedLeaf: honestLeaf,
            }),
          ),
        );
        await send(
          challenger,
          'TrainingRun',
          runAddress,
          'challenge',
          [
            BigInt(round),
            BigInt(FORGED_INDEX),
            forgedLeaf,
            merkleProof(leaves, FORGED_INDEX),
            evidence,
          ],
          parseEther('0.5'),
        );
      }
      state = run.state;
      progress(
        `round ${round} submitted${round === FRAUD_ROUND ? ' (forged) and challenged' : ''}`,
      );
    }
  } finally {
    engine.dispose();
  }
  await send(scriptVoter, 'DisputeCourt', at('DisputeCourt'), 'castVote', [1n, 1, 'looked fine']);
}

beforeAll(async () => {
  mkdirSync(ARTEFACTS, { recursive: true });
  const executablePath = findChromium();
  tmp = mkdtempSync(join(tmpdir(), 'um-web-stack-'));
  anvil = await startAnvil(20);
  pub = createPublicClient({ chain: foundry, transport: http(anvil.url), cacheTime: 0 });
  progress('deploying the contracts');
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

  it('verifies the disputed step in the browser and gets the Node engine’s exact leaf', async () => {
    const page = await open('/disputes/1');
    await page.getByRole('button', { name: 'Verify in my browser' }).click();
    const verdict = page.locator('[data-verdict]');
    await verdict.waitFor({ timeout: 90_000 });
    expect(await page.locator('#recomputed-leaf').textContent()).toBe(honestLeaf);
    expect(await verdict.getAttribute('data-verdict')).toBe('challenger');
    expect(honestLeaf).not.toBe(forgedLeaf);
    await page.close();
  });

  it('votes with a dev account, then by signature through the relay, and the tally follows', async () => {
    const page = await open('/disputes/1');
    const fraud = page.locator('[data-side="fraud"]');
    const before = await fraud.textContent();
    await page.getByLabel('Dev account').selectOption('5');
    await page.waitForURL(new RegExp(`account=${uiVoter.address}`, 'i'));
    await page.getByRole('radio', { name: /^Fraud/ }).check();
    await page.getByRole('button', { name: 'Cast vote' }).click();
    await expect
      .poll(() => page.getByRole('status').allTextContents(), { timeout: 20_000 })
      .toContainEqual(expect.stringContaining('Vote recorded'));
    await expect.poll(() => fraud.textContent(), { timeout: 30_000 }).not.toBe(before);
    const afterFirst = await fraud.textContent();

    await page.getByLabel('Dev account').selectOption('6');
    await page.waitForURL(new RegExp(`account=${sigVoter.address}`, 'i'));
    await page.getByRole('radio', { name: /^Fraud/ }).check();
    await page.getByRole('radio', { name: /Sign the ballot/ }).check();
    await page.getByRole('button', { name: 'Cast vote' }).click();
    await expect
      .poll(() => page.getByRole('status').allTextContents(), { timeout: 20_000 })
      .toContainEqual(expect.stringContaining('Signed vote relayed'));
    await expect.poll(() => fraud.textContent(), { timeout: 30_000 }).not.toBe(afterFirst);
    await expect
      .poll(() => page.locator('#votes-table').textContent(), { timeout: 30_000 })
      .toContain('(by signature)');
    expect(await page.locator('#votes-table tbody tr').count()).toBe(3);
    await page.getByRole('button', { name: 'Verify in my browser' }).click();
    await page.locator('[data-verdict]').waitFor({ timeout: 90_000 });
    await page.screenshot({ path: join(ARTEFACTS, 'dispute-page.png'), fullPage: true });
    await page.close();
  });

  it('relays a signed ballot of an account that already voted and answers the decoded revert', async () => {
    // Account #7 voted from the script; its valid signature for a second ballot is refused by the
    // court, and the relay action names the custom error in words (no-JS form post).
    const court = at('DisputeCourt');
    const nonce = await read<bigint>('DisputeCourt', court, 'nonces', [scriptVoter.address]);
    const signature = await scriptVoter.signTypedData(
      ballotTypedData({
        chainId: 31337,
        court,
        ballot: { disputeId: 1n, support: 0, voter: scriptVoter.address, nonce, reason: 'again' },
      }),
    );
    const page = await context.newPage();
    const res = await page.request.post(`${portal.url}/disputes/1`, {
      form: {
        intent: 'castVoteBySig',
        support: '0',
        voter: scriptVoter.address,
        reason: 'again',
        signature,
      },
    });
    expect(res.status()).toBe(422);
    const html = await res.text();
    expect(html).toContain(`AlreadyVoted(${scriptVoter.address})`);
    expect(html).toContain('This account has already voted on this dispute.');
    const bad = await page.request.post(`${portal.url}/disputes/1`, {
      form: { intent: 'castVoteBySig', support: '7', voter: scriptVoter.address, signature },
    });
    expect(bad.status()).toBe(400);
    expect(await bad.text()).toContain('support must be 0 (Fraud), 1 (Valid) or 2 (Abstain)');
    await page.close();
  });

  it('delegates to another address from the page and says so when the address is wrong', async () => {
    const delegatee = account(8).address;
    const page = await open('/disputes/1');
    await page.getByLabel('Dev account').selectOption('5');
    await page.waitForURL(new RegExp(`account=${uiVoter.address}`, 'i'));
    const field = page.getByRole('textbox', { name: 'Or delegate to' });
    await field.fill('not-an-address');
    await page.getByRole('button', { name: 'Delegate', exact: true }).click();
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toContainEqual(expect.stringContaining('is not an address'));
    await field.fill(delegatee);
    await page.getByRole('button', { name: 'Delegate', exact: true }).click();
    await expect
      .poll(() => page.getByRole('status').allTextContents(), { timeout: 20_000 })
      .toContainEqual(expect.stringContaining('Delegated in block'));
    expect(await read<Address>('UMToken', at('UMToken'), 'delegates', [uiVoter.address])).toBe(
      delegatee,
    );
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
