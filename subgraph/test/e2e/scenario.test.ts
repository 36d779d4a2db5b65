// End-to-end: a scripted protocol history on a fresh anvil chain, indexed by the embedded indexer
// running this subgraph's WASM, then checked through GraphQL — every entity type, every aggregate
// and the ten example queries of docs/subgraph.md.
//
// Needs: the contracts with a deploy script that deploys UMToken, RunFactory, DisputeCourt,
// OperatorRegistry, ModelMarket and AttestationCenter (issues 3 and 4), and `um-indexer`
// (issue 8, built: indexer/dist). Run with `npm run test:e2e -w subgraph`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  http,
  keccak256,
  parseEther,
  toHex,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
} from 'viem';
import { mnemonicToAccount, type HDAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSubgraph, subgraphDir } from '../../scripts/build.js';
import { readDeployment, type Deployment } from '../../scripts/manifest.js';
import {
  contractAbi,
  deployContracts,
  docsQueries,
  startAnvil,
  startIndexer,
  type Anvil,
  type Indexer,
} from './harness.js';

const MNEMONIC = 'test test test test test test test test test test test junk';
const account = (i: number): HDAccount => mnemonicToAccount(MNEMONIC, { addressIndex: i });
const deployer = account(0);
const [w1, w2, w3] = [account(1), account(2), account(3)];
const challenger = account(4);
const [v1, v2, v3, v4, v5] = [account(5), account(6), account(7), account(8), account(9)];
const operators = [account(10), account(11), account(12), account(13)];
const [p1, p2, funder] = [account(14), account(15), account(16)];
const id = (a: { address: Address }): string => a.address.toLowerCase();

const K = 4;
const WORKER_DEPOSIT = parseEther('1');
const CHALLENGER_DEPOSIT = parseEther('0.5');
const REWARD = parseEther('0.1');
const LEASE = 3600n;
const WINDOW = 600n;
const INT64_MAX = 9_223_372_036_854_775_807n;
const INT64_MIN = -9_223_372_036_854_775_808n;

/** Losses per (round, attempt), fixed point 1e9. Round 2 attempt 0 is the fraudulent one. */
const LOSSES: Record<string, bigint[]> = {
  '0-0': [2_500_000_000n, 2_000_000_000n, 1_750_000_000n, 1_500_000_000n],
  '1-1': [1_400_000_000n, 1_300_000_000n, INT64_MAX, 1_100_000_000n],
  '2-0': [-1_500_000_000n, INT64_MIN, 1n, 0n],
  '3-0': [1_000_000_000n, 900_000_000n, 800_000_000n, 700_000_000n],
  '2-1': [1_050_000_000n, 1_000_000_000n, 950_000_000n, 925_000_000n],
  '3-1': [910_000_000n, 905_000_000n, 900_000_000n, 123_456_789n],
};

/** Exact decimal text of raw / 10^decimals, as graph-node prints a normalised BigDecimal. */
function decimal(raw: bigint, decimals: number): string {
  const negative = raw < 0n;
  const digits = (negative ? -raw : raw).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, -decimals);
  const fraction = digits.slice(-decimals).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

const stateHash = (round: number, attempt: number, step: number): Hex =>
  keccak256(toHex(`state-${round}-${attempt}-${step}`));
const salt = (label: string): Hex => keccak256(toHex(`salt-${label}`));

interface RoundData {
  readonly hashes: Hex[];
  readonly finalState: Hex;
  readonly losses: bigint[];
}
function roundData(round: number, attempt: number): RoundData {
  const steps = Array.from({ length: K }, (_, i) => round * K + i + 1);
  const hashes = steps.map((t) => stateHash(round, attempt, t));
  return { hashes, finalState: hashes[K - 1]!, losses: LOSSES[`${round}-${attempt}`]! };
}

let anvil: Anvil;
let indexer: Indexer;
let pub: PublicClient;
let deployment: Deployment;
let tmp: string;
let deploymentPath: string;
let runAddress: Address;
let blockBeforeRuling: bigint;
let blockBeforeReveals: bigint;
let sweepableAt: bigint;
let sweptAmount: bigint;
const courtFees: Record<string, bigint> = {};
const stakes: Record<string, bigint> = {};
const commitments: Record<string, Hex> = {};
const seeds: Record<string, Hex> = {};

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

async function passTime(seconds: bigint): Promise<void> {
  const test = createTestClient({ mode: 'anvil', chain: foundry, transport: http(anvil.url) });
  await test.increaseTime({ seconds: Number(seconds) });
  await test.mine({ blocks: 1 });
}
async function mine(blocks: number): Promise<void> {
  const test = createTestClient({ mode: 'anvil', chain: foundry, transport: http(anvil.url) });
  await test.mine({ blocks });
}
async function now(): Promise<bigint> {
  return (await pub.getBlock()).timestamp;
}

async function claimAndSubmit(worker: HDAccount, round: number, attempt: number): Promise<void> {
  await send(worker, 'TrainingRun', runAddress, 'claim', [], WORKER_DEPOSIT);
  const data = roundData(round, attempt);
  await send(worker, 'TrainingRun', runAddress, 'submit', [
    BigInt(round),
    data.hashes,
    data.finalState,
    `bafy-state-${round}-${attempt}`,
    data.losses,
  ]);
}

/** Commits a challenge of (round, stepIndex) for `party`, sent by `from`; returns the hash. */
async function commitChallenge(
  label: string,
  from: HDAccount,
  party: HDAccount,
  round: bigint,
  stepIndex: bigint,
): Promise<Hex> {
  const commitment = await read<Hex>('TrainingRun', runAddress, 'challengeCommitment', [
    party.address,
    round,
    stepIndex,
    salt(label),
  ]);
  await send(
    from,
    'TrainingRun',
    runAddress,
    'commitChallenge',
    [round, commitment],
    CHALLENGER_DEPOSIT,
  );
  commitments[label] = commitment;
  return commitment;
}

/** support: 0 Fraud, 1 Valid, 2 Abstain. */
async function ballot(dispute: bigint, voter: HDAccount, support: number): Promise<Hex> {
  return read<Hex>('DisputeCourt', at('DisputeCourt'), 'ballotCommitment', [
    dispute,
    voter.address,
    support,
    salt(`ballot-${dispute}-${voter.address}`),
  ]);
}

interface CourtDispute {
  readonly commitDeadline: bigint;
  readonly revealDeadline: bigint;
  readonly fee: bigint;
}
const getDispute = (id: bigint) =>
  read<CourtDispute>('DisputeCourt', at('DisputeCourt'), 'getDispute', [id]);

async function waitUntil(timestamp: bigint): Promise<void> {
  const t = await now();
  if (t <= timestamp) await passTime(timestamp - t + 1n);
}

async function playTraining(): Promise<void> {
  const token = at('UMToken');
  const court = at('DisputeCourt');
  const supply = await read<bigint>('UMToken', token, 'totalSupply');
  // Voters stake most of what they hold in the court: weight is court stake, not delegation.
  const shares: [HDAccount, bigint][] = [
    [v1, 30n],
    [v2, 20n],
    [v3, 15n],
    [v4, 5n],
    [v5, 2n],
  ];
  for (const [voter, percent] of shares) {
    const amount = (supply * percent) / 100n;
    await send(deployer, 'UMToken', token, 'transfer', [voter.address, amount]);
    await send(voter, 'UMToken', token, 'approve', [court, amount]);
    await send(voter, 'DisputeCourt', court, 'stake', [amount]);
    stakes[id(voter)] = amount;
  }
  await mine(1);

  const config = {
    specHash: keccak256(toHex('run spec')),
    specURI: 'bafy-run-spec',
    initialStateHash: stateHash(0, 0, 0),
    stepsPerRound: BigInt(K),
    leaseDuration: LEASE,
    challengeWindow: WINDOW,
    maxRounds: 4n,
    workerDeposit: WORKER_DEPOSIT,
    challengerDeposit: CHALLENGER_DEPOSIT,
    rewardPerRound: REWARD,
  };
  const factory = at('RunFactory');
  await send(deployer, 'RunFactory', factory, 'createRun', [config], parseEther('1'));
  runAddress = await read<Address>('RunFactory', factory, 'runs', [0n]);
  await send(funder, 'TrainingRun', runAddress, 'fund', [], parseEther('2'));

  // Round 0 by w1. A challenge committed on it is never revealed: anyone expires it (forfeit).
  await claimAndSubmit(w1, 0, 0);
  await commitChallenge('expired', funder, funder, 0n, 2n);
  // Round 1 leased by w2, who never submits; w1 takes it over after the lease.
  await send(w2, 'TrainingRun', runAddress, 'claim', [], WORKER_DEPOSIT);
  await passTime(LEASE + 1n);
  await send(v5, 'TrainingRun', runAddress, 'expireChallenge', [commitments.expired]);
  await claimAndSubmit(w1, 1, 1);
  await passTime(WINDOW + 1n);
  await send(funder, 'TrainingRun', runAddress, 'finalize', [0n]);
  await send(funder, 'TrainingRun', runAddress, 'finalize', [1n]);

  // Round 2: w3 commits wrong states; w1 builds round 3 on top of it in good faith.
  await claimAndSubmit(w3, 2, 0);
  await claimAndSubmit(w1, 3, 0);
  // Two disputes on round 2: w2 squats a correct step first, the challenger names the bad one.
  // Round 3 gets one revealed challenge (cancelled by the rollback) and one never revealed
  // (reclaimed after the rollback).
  await commitChallenge('squat', w2, w2, 2n, 0n);
  await commitChallenge('fraud', challenger, challenger, 2n, 1n);
  await commitChallenge('later', challenger, challenger, 3n, 0n);
  await commitChallenge('reclaimed', funder, funder, 3n, 3n);
  await mine(1);
  await send(w2, 'TrainingRun', runAddress, 'revealChallenge', [
    2n,
    0n,
    salt('squat'),
    w2.address,
    'bafy-squat',
  ]);
  await send(v5, 'TrainingRun', runAddress, 'revealChallenge', [
    2n,
    1n,
    salt('fraud'),
    challenger.address,
    'bafy-evidence-2',
  ]);
  await send(challenger, 'TrainingRun', runAddress, 'revealChallenge', [
    3n,
    0n,
    salt('later'),
    challenger.address,
    'bafy-evidence-3',
  ]);

  // Ballots. Dispute 1 (the squat): Valid by v1 and v4. Dispute 2: Fraud by v1 and by v3
  // (signed, relayed), Valid by v4, and v5 commits but never reveals.
  await send(v1, 'DisputeCourt', court, 'commitVote', [1n, await ballot(1n, v1, 1)]);
  await send(v4, 'DisputeCourt', court, 'commitVote', [1n, await ballot(1n, v4, 1)]);
  await send(v1, 'DisputeCourt', court, 'commitVote', [2n, await ballot(2n, v1, 0)]);
  const v3Commitment = await ballot(2n, v3, 0);
  const digest = await read<Hex>('DisputeCourt', court, 'ballotCommitDigest', [
    2n,
    v3.address,
    v3Commitment,
  ]);
  await send(deployer, 'DisputeCourt', court, 'commitVoteBySig', [
    2n,
    v3.address,
    v3Commitment,
    await v3.sign({ hash: digest }),
  ]);
  await send(v4, 'DisputeCourt', court, 'commitVote', [2n, await ballot(2n, v4, 1)]);
  await send(v5, 'DisputeCourt', court, 'commitVote', [2n, await ballot(2n, v5, 2)]);

  blockBeforeReveals = await pub.getBlockNumber();
  const d = await Promise.all([1n, 2n, 3n].map(getDispute));
  await waitUntil(d.reduce((m, x) => (x.commitDeadline > m ? x.commitDeadline : m), 0n));
  const reveal = (dispute: bigint, voter: HDAccount, support: number) =>
    send(deployer, 'DisputeCourt', court, 'revealVote', [
      dispute,
      voter.address,
      support,
      salt(`ballot-${dispute}-${voter.address}`),
    ]);
  await reveal(1n, v1, 1);
  await reveal(1n, v4, 1);
  await reveal(2n, v1, 0);
  await reveal(2n, v3, 0);
  await reveal(2n, v4, 1);
  await waitUntil(d.reduce((m, x) => (x.revealDeadline > m ? x.revealDeadline : m), 0n));

  blockBeforeRuling = await pub.getBlockNumber();
  await send(funder, 'DisputeCourt', court, 'resolve', [1n]);
  await send(funder, 'DisputeCourt', court, 'resolve', [2n]);
  await send(funder, 'DisputeCourt', court, 'resolve', [3n]);
  await send(funder, 'TrainingRun', runAddress, 'reclaimChallenge', [
    3n,
    3n,
    salt('reclaimed'),
    funder.address,
  ]);
  for (const n of [1n, 2n]) courtFees[n.toString()] = (await getDispute(n)).fee;
  for (const voter of [v1, v4])
    await send(v5, 'DisputeCourt', court, 'claimReward', [1n, voter.address]);
  for (const voter of [v1, v3, v4])
    await send(voter, 'DisputeCourt', court, 'claimReward', [2n, voter.address]);

  // v2 leaves part of its stake: requests, waits out the cooldown, withdraws; then requests more.
  await send(v2, 'DisputeCourt', court, 'requestUnstake', [stakes[id(v2)]! / 4n]);
  const [, unlockAt] = await read<[bigint, bigint]>('DisputeCourt', court, 'pendingUnstakes', [
    v2.address,
  ]);
  await waitUntil(unlockAt);
  await send(v2, 'DisputeCourt', court, 'withdrawUnstaked');
  await send(v2, 'DisputeCourt', court, 'requestUnstake', [stakes[id(v2)]! / 4n]);

  // The run continues from round 2 (same numbers, new leases), completes, and is swept.
  await claimAndSubmit(w1, 2, 1);
  await claimAndSubmit(w2, 3, 1);
  await passTime(WINDOW + 1n);
  await send(funder, 'TrainingRun', runAddress, 'finalize', [2n]);
  await send(funder, 'TrainingRun', runAddress, 'finalize', [3n]);
  sweepableAt = BigInt(await read<bigint>('TrainingRun', runAddress, 'completedAt')) + 7n * 86400n;
  sweptAmount = await read<bigint>('TrainingRun', runAddress, 'pool');
  await waitUntil(sweepableAt);
  await send(deployer, 'TrainingRun', runAddress, 'sweep');
  for (const who of [w1, w2, w3, challenger, funder, deployer])
    await send(who, 'TrainingRun', runAddress, 'withdraw');
}

const STAKE_UNIT = 1_000_000n * 10n ** 18n;
const STAKES = [3n, 2n, 2n, 1n].map((n) => n * STAKE_UNIT);

async function playMarket(): Promise<void> {
  const token = at('UMToken');
  const registry = at('OperatorRegistry');
  const market = at('ModelMarket');
  const center = at('AttestationCenter');
  for (const [i, operator] of operators.entries()) {
    await send(deployer, 'UMToken', token, 'transfer', [operator.address, 2n * STAKES[i]!]);
    await send(operator, 'UMToken', token, 'approve', [registry, 2n * STAKES[i]!]);
    await send(operator, 'OperatorRegistry', registry, 'register', [STAKES[i]]);
  }
  await send(operators[0]!, 'OperatorRegistry', registry, 'increaseStake', [STAKE_UNIT]);
  await mine(1);

  const config = {
    archURI: 'bafy-arch',
    initialParamsURI: 'bafy-params-0',
    initialParamsHash: keccak256(toHex('params-0')),
    evalSpecURI: 'bafy-eval',
    evalSpecHash: keccak256(toHex('eval')),
    baselineScore: 500_000n,
    minImprovement: 10_000n,
    rewardPerImprovement: parseEther('1'),
    attestationFee: parseEther('0.01'),
    submissionBond: parseEther('0.2'),
    seedDelay: 2n,
  };
  await send(deployer, 'ModelMarket', market, 'createTask', [config], parseEther('5'));
  await send(funder, 'ModelMarket', market, 'fund', [1n], parseEther('1'));
  await send(
    p1,
    'ModelMarket',
    market,
    'submitCandidate',
    [1n, 'bafy-p1', keccak256(toHex('p1'))],
    parseEther('0.2'),
  );
  await send(
    p2,
    'ModelMarket',
    market,
    'submitCandidate',
    [1n, 'bafy-p2', keccak256(toHex('p2'))],
    parseEther('0.2'),
  );
  await mine(3);

  const sorted = [...operators].sort((a, b) =>
    a.address.toLowerCase() < b.address.toLowerCase() ? -1 : 1,
  );
  const attest = async (candidate: bigint, score: bigint, signers: HDAccount[]) => {
    const [seed] = await read<[Hex, bigint]>('ModelMarket', market, 'seedOf', [candidate]);
    seeds[candidate.toString()] = seed;
    const paramsHash = keccak256(toHex(candidate === 1n ? 'p1' : 'p2'));
    const digest = await read<Hex>('AttestationCenter', center, 'attestationDigest', [
      candidate,
      paramsHash,
      seed,
      score,
    ]);
    const signatures = await Promise.all(signers.map((s) => s.sign({ hash: digest })));
    await send(funder, 'AttestationCenter', center, 'attest', [candidate, score, signatures]);
  };
  await attest(1n, 750_000n, sorted);
  // Three operators holding more than two thirds of the stake reject candidate 2.
  await attest(
    2n,
    600_000n,
    sorted.filter((o) => o.address !== operators[3]!.address),
  );
  await send(operators[0]!, 'ModelMarket', market, 'withdraw');

  await send(operators[3]!, 'OperatorRegistry', registry, 'requestExit');
  const cooldown = await read<bigint>('OperatorRegistry', registry, 'exitCooldown');
  await passTime(cooldown + 1n);
  await send(operators[3]!, 'OperatorRegistry', registry, 'withdraw');
  await send(deployer, 'ModelMarket', market, 'closeTask', [1n]);
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'um-subgraph-e2e-'));
  anvil = await startAnvil(20);
  // cacheTime 0: viem otherwise caches eth_blockNumber for 4 s, and the head must be exact.
  pub = createPublicClient({ chain: foundry, transport: http(anvil.url), cacheTime: 0 });
  deploymentPath = await deployContracts(anvil.url, String(process.pid));
  deployment = readDeployment(deploymentPath);
  await buildSubgraph({
    deployment: deploymentPath,
    manifestName: '.e2e.yaml',
    outputDir: join(tmp, 'build'),
    log: () => {},
  });
  await playTraining();
  await playMarket();
  const head = await pub.getBlockNumber();
  indexer = await startIndexer({
    subgraphDir: join(tmp, 'build'),
    rpcUrl: anvil.url,
    dataDir: join(tmp, 'indexer-data'),
  });
  await indexer.waitForBlock(head);
});

afterAll(async () => {
  await indexer?.stop();
  await anvil?.stop();
  rmSync(tmp, { recursive: true, force: true });
  if (deploymentPath) rmSync(dirname(deploymentPath), { recursive: true, force: true });
  rmSync(join(subgraphDir, '.e2e.yaml'), { force: true });
});

type Row = Record<string, unknown>;
const q = <T = Row>(query: string, variables?: Record<string, unknown>) =>
  indexer.query<T>(query, variables);

/** The attempt of round n-1 that round n (attempt a) was built on. */
const baseAttempt = (n: number, a: number): number => (n - 1 === 0 ? 0 : n - 1 === 1 ? 1 : a);
const validLosses = (): bigint[] => ['0-0', '1-1', '2-1', '3-1'].flatMap((key) => LOSSES[key]!);

describe('training runs', () => {
  it('indexes the run, its completion and the creator’s sweep', async () => {
    const { run } = await q<{ run: Row }>(
      `query($id: ID!) { run(id: $id) { runId creator specURI stepsPerRound maxRounds status
        poolBalance totalRewardsPaid completedRounds finalStateHash sweepableAt sweptAmount
        stats { id } } }`,
      { id: runAddress.toLowerCase() },
    );
    expect(sweptAmount).toBeGreaterThan(0n);
    expect(run).toEqual({
      runId: '0',
      creator: id(deployer),
      specURI: 'bafy-run-spec',
      stepsPerRound: '4',
      maxRounds: '4',
      status: 'Completed',
      poolBalance: '0',
      totalRewardsPaid: (4n * REWARD).toString(),
      completedRounds: '4',
      finalStateHash: roundData(3, 1).finalState,
      sweepableAt: sweepableAt.toString(),
      sweptAmount: sweptAmount.toString(),
      stats: { id: runAddress.toLowerCase() },
    });
  });

  it('keeps every lease by claimId, linked across a rollback, with its disputes and commits', async () => {
    const { rounds } = await q<{ rounds: Row[] }>(
      `query($run: String!) { rounds(where: { run: $run }, orderBy: claimId) {
        id number attempt claimId status slashed invalidationRefund invalidatedBy { id }
        forfeited reward previous { id } next { id } challengeCommits pendingCommits
        disputesOpened openDisputes challenges(orderBy: seq) { id seq status } } }`,
      { run: runAddress.toLowerCase() },
    );
    const r = runAddress.toLowerCase();
    expect(rounds.map((x) => [x.id, x.claimId, x.status, x.slashed])).toEqual([
      [`${r}-0-0`, '1', 'Finalized', false],
      [`${r}-1-0`, '2', 'Expired', false],
      [`${r}-1-1`, '3', 'Finalized', false],
      [`${r}-2-0`, '4', 'Invalidated', true],
      [`${r}-3-0`, '5', 'Invalidated', false],
      [`${r}-2-1`, '6', 'Finalized', false],
      [`${r}-3-1`, '7', 'Finalized', false],
    ]);
    const byId = Object.fromEntries(rounds.map((x) => [x.id, x]));
    // The rolled-back attempt stays, linked to the lease that reused its number.
    expect(byId[`${r}-2-0`]).toMatchObject({
      next: { id: `${r}-2-1` },
      invalidatedBy: { id: '2' },
      invalidationRefund: '0',
      challengeCommits: 2,
      pendingCommits: 0,
      disputesOpened: 2,
      openDisputes: 0,
      challenges: [
        { id: '1', seq: 0, status: 'Rejected' },
        { id: '2', seq: 1, status: 'Upheld' },
      ],
    });
    expect(byId[`${r}-2-1`]).toMatchObject({ previous: { id: `${r}-2-0` }, next: null });
    expect(byId[`${r}-3-0`]).toMatchObject({
      invalidationRefund: WORKER_DEPOSIT.toString(),
      challengeCommits: 2,
      pendingCommits: 0,
      openDisputes: 0,
      challenges: [{ id: '3', seq: 0, status: 'Cancelled' }],
    });
    expect(byId[`${r}-0-0`]).toMatchObject({ reward: REWARD.toString(), challengeCommits: 1 });
    expect(byId[`${r}-1-0`]!.forfeited).not.toBeNull();
  });

  it('gives every step its loss and state hash, and marks rolled-back steps Invalidated', async () => {
    const { steps } = await q<{ steps: Row[] }>(
      `query($run: String!) { steps(where: { run: $run }, first: 1000, orderBy: blockNumber) {
        id step lossRaw loss stateHash previousStateHash status round { number attempt }
        invalidatedBy { id } checkpoint { uri } } }`,
      { run: runAddress.toLowerCase() },
    );
    expect(steps).toHaveLength(6 * K);
    for (const step of steps) {
      const round = step.round as { number: string; attempt: number };
      const n = Number(round.number);
      const losses = LOSSES[`${n}-${round.attempt}`]!;
      const t = Number(step.step);
      const index = t - n * K - 1;
      expect(step.lossRaw).toBe(losses[index]!.toString());
      expect(step.loss).toBe(decimal(losses[index]!, 9));
      expect(step.stateHash).toBe(stateHash(n, round.attempt, t));
      // The hash before step t: the previous step's, or the final state of the round before.
      const base =
        n === 0 ? stateHash(0, 0, 0) : roundData(n - 1, baseAttempt(n, round.attempt)).finalState;
      expect(step.previousStateHash).toBe(index === 0 ? base : stateHash(n, round.attempt, t - 1));
      const invalid = (n === 2 || n === 3) && round.attempt === 0;
      expect(step.status).toBe(invalid ? 'Invalidated' : 'Valid');
      expect(step.invalidatedBy).toEqual(invalid ? { id: '2' } : null);
      expect(step.checkpoint).toEqual({ uri: `bafy-state-${n}-${round.attempt}` });
    }
    const extremes = steps.filter(
      (s) => s.lossRaw === INT64_MIN.toString() || s.lossRaw === INT64_MAX.toString(),
    );
    expect(extremes.map((s) => s.loss).sort()).toEqual([
      '-9223372036.854775808',
      '9223372036.854775807',
    ]);
  });

  it('keeps RunStats aggregates over valid steps, recomputed after the rollback', async () => {
    const { runStats } = await q<{ runStats: Row }>(
      `query($id: ID!) { runStats(id: $id) { roundsClaimed roundsSubmitted roundsFinalized
        roundsInvalidated leasesExpired challengeCommits challenges disputesUpheld disputesRejected
        disputesCancelled stepCount validStepCount invalidatedStepCount lastStep lastLoss minLossRaw
        minLoss minLossStep lossSumRaw avgLoss minLossAllRaw lossBucketLevels } }`,
      { id: runAddress.toLowerCase() },
    );
    const sum = validLosses().reduce((a, b) => a + b, 0n);
    expect(runStats).toMatchObject({
      roundsClaimed: 7,
      roundsSubmitted: 6,
      roundsFinalized: 4,
      roundsInvalidated: 2,
      leasesExpired: 1,
      challengeCommits: 5,
      challenges: 3,
      disputesUpheld: 1,
      disputesRejected: 1,
      disputesCancelled: 1,
      stepCount: '24',
      validStepCount: '16',
      invalidatedStepCount: '8',
      lastStep: '16',
      lastLoss: '0.123456789',
      minLossRaw: '123456789',
      minLoss: '0.123456789',
      minLossStep: '16',
      lossSumRaw: sum.toString(),
      minLossAllRaw: INT64_MIN.toString(),
      lossBucketLevels: 10,
    });
    expect(Number(runStats.avgLoss)).toBeCloseTo(Number(sum) / 16 / 1e9, 6);
  });

  it('keeps the downsampled loss curve of the valid chain, before and after the rollback', async () => {
    const query = `query($run: String!, $level: Int!, $block: Block_height) {
      lossBuckets(where: { run: $run, level: $level, count_gt: 0 }, orderBy: startStep,
        block: $block) { index startStep count firstStep lastStep minLossRaw minLossStep
        maxLossRaw sumLossRaw lastLossRaw meanLoss } }`;
    const expected = (losses: bigint[], width: number) => {
      const out: Row[] = [];
      for (let start = 0; start < losses.length; start += width) {
        const part = losses.slice(start, start + width);
        const min = part.reduce((a, b) => (b < a ? b : a));
        const sumRaw = part.reduce((a, b) => a + b, 0n);
        out.push({
          index: String(start / width),
          startStep: String(start + 1),
          count: part.length,
          firstStep: String(start + 1),
          lastStep: String(start + part.length),
          minLossRaw: min.toString(),
          minLossStep: String(start + 1 + part.indexOf(min)),
          maxLossRaw: part.reduce((a, b) => (b > a ? b : a)).toString(),
          sumLossRaw: sumRaw.toString(),
          lastLossRaw: part[part.length - 1]!.toString(),
        });
      }
      return out;
    };
    const run = runAddress.toLowerCase();
    const strip = (rows: Row[]) => rows.map(({ meanLoss: _mean, ...rest }) => rest);
    for (const [level, width] of [
      [1, 4],
      [2, 16],
      [3, 64],
      [10, 4 ** 10],
    ] as const) {
      const now = await q<{ lossBuckets: Row[] }>(query, { run, level, block: null });
      expect(strip(now.lossBuckets), `level ${level}`).toEqual(expected(validLosses(), width));
      const before = await q<{ lossBuckets: Row[] }>(query, {
        run,
        level,
        block: { number: Number(blockBeforeRuling) },
      });
      const branch = ['0-0', '1-1', '2-0', '3-0'].flatMap((key) => LOSSES[key]!);
      expect(strip(before.lossBuckets), `level ${level} before`).toEqual(expected(branch, width));
    }
    // Level-1 buckets the rollback emptied are kept with count 0 (and then refilled).
    const { lossBuckets } = await q<{ lossBuckets: Row[] }>(
      `query($run: String!) { lossBuckets(where: { run: $run, level: 2 }) { meanLoss count } }`,
      { run },
    );
    const sum = validLosses().reduce((a, b) => a + b, 0n);
    expect(lossBuckets).toHaveLength(1);
    expect(Number(lossBuckets[0]!.meanLoss)).toBeCloseTo(Number(sum) / 16 / 1e9, 6);
  });

  it('records pool fundings (forfeits included), withdrawals and checkpoints', async () => {
    const data = await q<{ poolFundings: Row[]; withdrawals: Row[]; checkpoints: Row[] }>(
      `query($run: String!) {
        poolFundings(where: { run: $run }, orderBy: blockNumber) { funder amount poolBalance }
        withdrawals(where: { source: TrainingRun }) { account amount run { id } }
        checkpoints(where: { run: $run }, orderBy: blockNumber) { id step stateHash uri worker { id } } }`,
      { run: runAddress.toLowerCase() },
    );
    expect(data.poolFundings[0]).toMatchObject({
      funder: id(deployer),
      amount: parseEther('1').toString(),
    });
    // The expired challenge commitment's deposit went to the pool, paid by the run itself.
    expect(data.poolFundings).toContainEqual(
      expect.objectContaining({
        funder: runAddress.toLowerCase(),
        amount: CHALLENGER_DEPOSIT.toString(),
      }),
    );
    expect(data.withdrawals.map((w) => w.account).sort()).toEqual(
      [w1, w2, w3, challenger, funder, deployer].map(id).sort(),
    );
    expect(data.checkpoints).toHaveLength(6);
    expect(data.checkpoints[0]).toMatchObject({
      step: '4',
      stateHash: roundData(0, 0).finalState,
      uri: 'bafy-state-0-0',
      worker: { id: id(w1) },
    });
  });

  it('keeps each worker’s record', async () => {
    const { workers } = await q<{ workers: Row[] }>(
      `{ workers(first: 100) { id roundsClaimed roundsSubmitted roundsFinalized roundsInvalidated
        roundsSlashed leasesExpired stepsSubmitted totalSlashed totalRewards challengeCommits
        challengesMade challengesWon challengesLost challengePayouts } }`,
    );
    const byId = Object.fromEntries(workers.map((w) => [w.id, w]));
    expect(byId[id(w1)]).toMatchObject({
      roundsClaimed: 4,
      roundsSubmitted: 4,
      roundsFinalized: 3,
      roundsInvalidated: 1,
      roundsSlashed: 0,
      stepsSubmitted: '16',
      totalRewards: (3n * REWARD).toString(),
    });
    expect(byId[id(w2)]).toMatchObject({
      leasesExpired: 1,
      roundsFinalized: 1,
      challengeCommits: 1,
      challengesMade: 1,
      challengesLost: 1,
    });
    expect(byId[id(w3)]).toMatchObject({
      roundsSlashed: 1,
      totalSlashed: WORKER_DEPOSIT.toString(),
      roundsFinalized: 0,
    });
    // The squat's deposit (less the court fee) went to the worker it accused.
    expect(BigInt(byId[id(w3)]!.challengePayouts as string)).toBe(
      CHALLENGER_DEPOSIT - courtFees['1']!,
    );
    expect(byId[id(challenger)]).toMatchObject({
      challengeCommits: 2,
      challengesMade: 2,
      challengesWon: 1,
      challengePayouts: (WORKER_DEPOSIT / 4n).toString(),
    });
  });
});

describe('challenges, disputes, ballots and court stake', () => {
  it('records every challenge commitment: revealed, expired and reclaimed', async () => {
    const { challengeCommits } = await q<{ challengeCommits: Row[] }>(
      `{ challengeCommits(orderBy: blockNumber) { id commitment committer { id } roundNumber
         claimId status deposit forfeited refunded reclaimedBy challenge { id } round { id } } }`,
    );
    const r = runAddress.toLowerCase();
    const byLabel = (label: string) =>
      challengeCommits.find((c) => c.commitment === commitments[label]);
    expect(challengeCommits).toHaveLength(5);
    expect(byLabel('expired')).toMatchObject({
      id: `${r}-${commitments.expired}`,
      status: 'Expired',
      claimId: '1',
      forfeited: CHALLENGER_DEPOSIT.toString(),
      challenge: null,
    });
    expect(byLabel('squat')).toMatchObject({
      status: 'Revealed',
      committer: { id: id(w2) },
      challenge: { id: '1' },
      round: { id: `${r}-2-0` },
    });
    expect(byLabel('fraud')).toMatchObject({ status: 'Revealed', challenge: { id: '2' } });
    expect(byLabel('later')).toMatchObject({ status: 'Revealed', challenge: { id: '3' } });
    expect(byLabel('reclaimed')).toMatchObject({
      status: 'Reclaimed',
      claimId: '5',
      refunded: CHALLENGER_DEPOSIT.toString(),
      reclaimedBy: id(funder),
      round: { id: `${r}-3-0` },
    });
  });

  it('settles two disputes on one round and cancels the one on the voided lease', async () => {
    const data = await q<{ challenges: Row[]; disputes: Row[] }>(
      `{ challenges(orderBy: id) { id seq claimId status step stepEntity { id } challenger { id }
           claimedStateHash previousStateHash winner payout courtFee toPool refunded commitment }
         disputes(orderBy: disputeId) { id status fraud quorumReached cancelled commitCount
           revealCount fraudVotes validVotes abstainVotes courtFee rewardsClaimed snapshotBlock
           commitDeadline revealDeadline challenge { id } round { id } } }`,
    );
    const r = runAddress.toLowerCase();
    const fee = (WORKER_DEPOSIT * 1000n) / 10_000n;
    expect(data.challenges).toMatchObject([
      {
        id: '1',
        seq: 0,
        claimId: '4',
        status: 'Rejected',
        step: '9',
        stepEntity: { id: `${r}-2-0-9` },
        challenger: { id: id(w2) },
        claimedStateHash: stateHash(2, 0, 9),
        previousStateHash: roundData(1, 1).finalState,
        winner: id(w3),
        payout: (CHALLENGER_DEPOSIT - courtFees['1']!).toString(),
        commitment: commitments.squat,
      },
      {
        id: '2',
        seq: 1,
        status: 'Upheld',
        step: '10',
        challenger: { id: id(challenger) },
        claimedStateHash: stateHash(2, 0, 10),
        previousStateHash: stateHash(2, 0, 9),
        winner: id(challenger),
        payout: (WORKER_DEPOSIT / 4n).toString(),
        courtFee: fee.toString(),
        toPool: (WORKER_DEPOSIT - WORKER_DEPOSIT / 4n - fee).toString(),
      },
      {
        id: '3',
        seq: 0,
        claimId: '5',
        status: 'Cancelled',
        step: '13',
        winner: null,
        refunded: CHALLENGER_DEPOSIT.toString(),
      },
    ]);
    const court = at('DisputeCourt');
    for (const dispute of data.disputes) {
      const chain = await read<Row>('DisputeCourt', court, 'getDispute', [
        BigInt(dispute.id as string),
      ]);
      expect(dispute.commitDeadline).toBe(String(chain.commitDeadline));
      expect(dispute.revealDeadline).toBe(String(chain.revealDeadline));
      expect(dispute.snapshotBlock).toBe(String(chain.snapshotBlock));
    }
    expect(data.disputes[0]).toMatchObject({
      fraud: false,
      cancelled: false,
      commitCount: 2,
      revealCount: 2,
      validVotes: (stakes[id(v1)]! + stakes[id(v4)]!).toString(),
      round: { id: `${r}-2-0` },
    });
    expect(data.disputes[1]).toMatchObject({
      status: 'Resolved',
      fraud: true,
      quorumReached: true,
      cancelled: false,
      commitCount: 4,
      revealCount: 3,
      fraudVotes: (stakes[id(v1)]! + stakes[id(v3)]!).toString(),
      validVotes: stakes[id(v4)]!.toString(),
      abstainVotes: '0',
      courtFee: courtFees['2']!.toString(),
      rewardsClaimed: courtFees['2']!.toString(),
      challenge: { id: '2' },
      round: { id: `${r}-2-0` },
    });
    expect(data.disputes[2]).toMatchObject({ status: 'Resolved', cancelled: true, commitCount: 0 });
  });

  it('keeps ballots hidden until revealed, with the signed one and the unrevealed one', async () => {
    const { ballots } = await q<{ ballots: Row[] }>(
      `{ ballots(where: { dispute: "2" }, orderBy: committedAtBlock) { id voter { id } commitment
         bySig revealed support weight reward } }`,
    );
    expect(ballots).toEqual([
      {
        id: `2-${id(v1)}`,
        voter: { id: id(v1) },
        commitment: await ballot(2n, v1, 0),
        bySig: false,
        revealed: true,
        support: 'Fraud',
        weight: stakes[id(v1)]!.toString(),
        reward: expect.any(String),
      },
      {
        id: `2-${id(v3)}`,
        voter: { id: id(v3) },
        commitment: await ballot(2n, v3, 0),
        bySig: true,
        revealed: true,
        support: 'Fraud',
        weight: stakes[id(v3)]!.toString(),
        reward: expect.any(String),
      },
      {
        id: `2-${id(v4)}`,
        voter: { id: id(v4) },
        commitment: await ballot(2n, v4, 1),
        bySig: false,
        revealed: true,
        support: 'Valid',
        weight: stakes[id(v4)]!.toString(),
        reward: expect.any(String),
      },
      {
        id: `2-${id(v5)}`,
        voter: { id: id(v5) },
        commitment: await ballot(2n, v5, 2),
        bySig: false,
        revealed: false,
        support: null,
        weight: null,
        reward: null,
      },
    ]);
    const rewards = ballots.reduce((a, b) => a + BigInt((b.reward as string | null) ?? 0), 0n);
    expect(rewards).toBe(courtFees['2']);
    // Before the reveal phase a ballot showed only its commitment.
    const { ballot: hidden } = await q<{ ballot: Row }>(
      `query($id: ID!, $block: Int!) { ballot(id: $id, block: { number: $block }) {
        commitment revealed support weight } }`,
      { id: `2-${id(v1)}`, block: Number(blockBeforeReveals) },
    );
    expect(hidden).toEqual({
      commitment: await ballot(2n, v1, 0),
      revealed: false,
      support: null,
      weight: null,
    });
  });

  it('tracks court stakes, unstake requests with their unlock time, and withdrawals', async () => {
    const court = at('DisputeCourt');
    const { voter, protocol } = await q<{ voter: Row; protocol: Row }>(
      `query($v: ID!) { voter(id: $v) { stake pendingUnstake unlockAt totalStaked totalUnstaked
          stakeEvents(orderBy: blockNumber) { kind amount stakeAfter pendingAfter unlockAt totalStake } }
        protocol(id: "protocol") { courtTotalStake courtPendingUnstake courtStakerCount } }`,
      { v: id(v2) },
    );
    const [pending, unlockAt] = await read<[bigint, bigint]>(
      'DisputeCourt',
      court,
      'pendingUnstakes',
      [v2.address],
    );
    const quarter = stakes[id(v2)]! / 4n;
    expect(voter).toMatchObject({
      stake: (await read<bigint>('DisputeCourt', court, 'stakeOf', [v2.address])).toString(),
      pendingUnstake: pending.toString(),
      unlockAt: unlockAt.toString(),
      totalStaked: stakes[id(v2)]!.toString(),
      totalUnstaked: quarter.toString(),
    });
    expect(pending).toBe(quarter);
    expect(
      (voter.stakeEvents as Row[]).map((e) => [e.kind, e.amount, e.stakeAfter, e.pendingAfter]),
    ).toEqual([
      ['Staked', stakes[id(v2)]!.toString(), stakes[id(v2)]!.toString(), '0'],
      [
        'UnstakeRequested',
        quarter.toString(),
        (stakes[id(v2)]! - quarter).toString(),
        quarter.toString(),
      ],
      ['Unstaked', quarter.toString(), (stakes[id(v2)]! - quarter).toString(), '0'],
      [
        'UnstakeRequested',
        quarter.toString(),
        (stakes[id(v2)]! - 2n * quarter).toString(),
        quarter.toString(),
      ],
    ]);
    expect(protocol).toEqual({
      courtTotalStake: (await read<bigint>('DisputeCourt', court, 'totalStake')).toString(),
      courtPendingUnstake: quarter.toString(),
      courtStakerCount: 5,
    });
  });
});

describe('model market and operators', () => {
  it('indexes the task, its funding, candidates, scores and best-model change', async () => {
    const data = await q<{
      task: Row;
      candidates: Row[];
      bestModelChanges: Row[];
      taskFundings: Row[];
    }>(
      `{ task(id: "1") { status bestScore bestScoreRaw baselineScore candidateCount settledCount
           improvementCount balance refunded bestCandidate { id } }
         candidates(orderBy: candidateId) { id status score seed optimizer { id }
           attestation { signerCount stakeShare seed } reward bondSlashed bondPerSigner }
         bestModelChanges { id previousScore newScore improvement candidate { id } }
         taskFundings { amount funder } }`,
    );
    expect(data.task).toMatchObject({
      status: 'Closed',
      bestScore: '0.75',
      bestScoreRaw: '750000',
      baselineScore: '0.5',
      candidateCount: 2,
      settledCount: 2,
      improvementCount: 1,
      balance: '0',
      bestCandidate: { id: '1' },
    });
    expect(data.candidates).toMatchObject([
      {
        id: '1',
        status: 'Improved',
        score: '0.75',
        seed: seeds['1'],
        optimizer: { id: id(p1) },
        attestation: { signerCount: 4, stakeShare: '1', seed: seeds['1'] },
        reward: parseEther('1').toString(),
      },
      {
        id: '2',
        status: 'Rejected',
        score: '0.6',
        seed: seeds['2'],
        optimizer: { id: id(p2) },
        attestation: { signerCount: 3 },
        bondSlashed: parseEther('0.2').toString(),
      },
    ]);
    expect(data.bestModelChanges).toEqual([
      {
        id: '1-1',
        previousScore: '0.5',
        newScore: '0.75',
        improvement: '0.25',
        candidate: { id: '1' },
      },
    ]);
    expect(data.taskFundings).toEqual([{ amount: parseEther('1').toString(), funder: id(funder) }]);
  });

  it('keeps operators, their stake history and earnings', async () => {
    const data = await q<{
      operators: Row[];
      stakeChanges: Row[];
      optimizers: Row[];
      accuracyScores: Row[];
    }>(
      `{ operators(first: 10) { id status stake attestationCount feesEarned bondSharesEarned withdrawn }
         stakeChanges(first: 100, orderBy: blockNumber) { operator { id } kind oldStake newStake totalStake }
         optimizers { id candidateCount improvementCount rejectedCount }
         accuracyScores(orderBy: id) { id signers signerOperators { id } stakeSigned totalStake } }`,
    );
    const byId = Object.fromEntries(data.operators.map((o) => [o.id, o]));
    expect(byId[id(operators[0]!)]).toMatchObject({
      status: 'Active',
      stake: (STAKES[0]! + STAKE_UNIT).toString(),
      attestationCount: 2,
    });
    expect(byId[id(operators[3]!)]).toMatchObject({
      status: 'Exited',
      stake: '0',
      attestationCount: 1,
      withdrawn: STAKES[3]!.toString(),
    });
    expect(BigInt(byId[id(operators[1]!)]!.bondSharesEarned as string)).toBeGreaterThan(0n);
    const o1 = data.stakeChanges.filter((c) => (c.operator as Row).id === id(operators[0]!));
    expect(o1.map((c) => [c.kind, c.oldStake, c.newStake])).toEqual([
      ['Increase', '0', STAKES[0]!.toString()],
      ['Increase', STAKES[0]!.toString(), (STAKES[0]! + STAKE_UNIT).toString()],
    ]);
    const last = data.stakeChanges[data.stakeChanges.length - 1]!;
    expect(last).toMatchObject({ kind: 'Decrease', newStake: '0' });
    expect(last.totalStake).toBe((STAKES[0]! + STAKES[1]! + STAKES[2]! + STAKE_UNIT).toString());
    expect(data.accuracyScores[0]!.signers).toEqual(
      (data.accuracyScores[0]!.signerOperators as Row[]).map((o) => o.id),
    );
    expect(data.optimizers).toHaveLength(2);
  });
});

describe('protocol aggregates', () => {
  it('sums everything into Protocol and DailyActivity', async () => {
    const data = await q<{ protocol: Row; dailyActivities: Row[] }>(
      `{ protocol(id: "protocol") { runCount completedRunCount roundsClaimed roundsSubmitted
           roundsFinalized roundsInvalidated leasesExpired stepCount validStepCount challengeCount
           disputeCount disputesUpheld disputesRejected disputesCancelled challengeCommitCount
           challengeCommitsExpired ballotsCommitted ballotsRevealed poolsSwept taskCount openTaskCount
           candidateCount attestationCount bestModelChangeCount operatorCount totalOperatorStake
           tokenSupply courtFeeBps courtCommitPeriod courtRevealPeriod courtUnstakeCooldown }
         dailyActivities(first: 1000, orderBy: day) { day roundsSubmitted stepsSubmitted
           ballotsRevealed attestations validStepCount totalOperatorStake courtTotalStake } }`,
    );
    const token = at('UMToken');
    expect(data.protocol).toMatchObject({
      runCount: 1,
      completedRunCount: 1,
      roundsClaimed: 7,
      roundsSubmitted: 6,
      roundsFinalized: 4,
      roundsInvalidated: 2,
      leasesExpired: 1,
      stepCount: '24',
      validStepCount: '16',
      challengeCount: 3,
      disputeCount: 3,
      disputesUpheld: 1,
      disputesRejected: 1,
      disputesCancelled: 1,
      challengeCommitCount: 5,
      challengeCommitsExpired: 1,
      ballotsCommitted: 6,
      ballotsRevealed: 5,
      poolsSwept: sweptAmount.toString(),
      taskCount: 1,
      openTaskCount: 0,
      candidateCount: 2,
      attestationCount: 2,
      bestModelChangeCount: 1,
      operatorCount: 3,
      totalOperatorStake: (
        await read<bigint>('OperatorRegistry', at('OperatorRegistry'), 'totalStake')
      ).toString(),
      tokenSupply: (await read<bigint>('UMToken', token, 'totalSupply')).toString(),
      courtFeeBps: 1000,
      courtCommitPeriod: '150',
      courtRevealPeriod: '90',
      courtUnstakeCooldown: '600',
    });
    const days = data.dailyActivities;
    const total = (field: string) =>
      days.reduce((a, d) => a + BigInt(d[field] as string | number), 0n);
    expect(total('roundsSubmitted')).toBe(6n);
    expect(total('stepsSubmitted')).toBe(24n);
    expect(total('ballotsRevealed')).toBe(5n);
    expect(total('attestations')).toBe(2n);
    expect(days[days.length - 1]).toMatchObject({
      validStepCount: '16',
      totalOperatorStake: data.protocol.totalOperatorStake,
      courtTotalStake: (
        await read<bigint>('DisputeCourt', at('DisputeCourt'), 'totalStake')
      ).toString(),
    });
  });
});

describe('the ten example queries of docs/subgraph.md', () => {
  const queries = docsQueries();
  const run = () => runAddress.toLowerCase();
  const text = (name: string): string => {
    const query = queries.get(name);
    if (query === undefined) throw new Error(`docs/subgraph.md has no query ${name}`);
    return query;
  };

  it('documents exactly ten', () => {
    expect([...queries.keys()]).toEqual([
      'loss-curve',
      'valid-loss-curve',
      'worker-history',
      'round-disputes',
      'court-member',
      'task-leaderboard',
      'accuracy-history',
      'operator-stake-history',
      'daily-totals',
      'time-travel',
    ]);
  });

  it('1. loss curve of a run, including rolled-back steps', async () => {
    const { steps } = await q<{ steps: Row[] }>(text('loss-curve'), { run: run() });
    expect(steps).toHaveLength(24);
    expect(steps.filter((s) => s.status === 'Invalidated')).toHaveLength(8);
    expect(steps.map((s) => Number(s.step))).toEqual(
      [...steps.map((s) => Number(s.step))].sort((a, b) => a - b),
    );
  });

  it('2. valid loss curve with provenance', async () => {
    const { run: data } = await q<{ run: { steps: Row[]; stats: Row } }>(text('valid-loss-curve'), {
      run: run(),
    });
    expect(data.steps.map((s) => s.step)).toEqual(
      Array.from({ length: 16 }, (_, i) => String(i + 1)),
    );
    expect(data.steps[15]).toMatchObject({
      loss: '0.123456789',
      checkpoint: { uri: 'bafy-state-3-1' },
    });
    expect(data.stats).toMatchObject({
      validStepCount: '16',
      invalidatedStepCount: '8',
      minLoss: '0.123456789',
    });
  });

  it('3. a worker’s history', async () => {
    const { worker } = await q<{ worker: Row }>(text('worker-history'), { worker: id(w3) });
    expect(worker).toMatchObject({
      roundsClaimed: 1,
      roundsSlashed: 1,
      totalSlashed: WORKER_DEPOSIT.toString(),
    });
    expect(worker.rounds).toEqual([
      {
        id: `${run()}-2-0`,
        number: '2',
        attempt: 0,
        status: 'Invalidated',
        slashed: true,
        reward: null,
        run: { id: run() },
      },
    ]);
  });

  it('4. a round’s disputes side by side, across its leases', async () => {
    const { rounds } = await q<{ rounds: Row[] }>(text('round-disputes'), {
      run: run(),
      number: '2',
    });
    expect(rounds.map((r) => [r.claimId, r.status])).toEqual([
      ['4', 'Invalidated'],
      ['6', 'Finalized'],
    ]);
    const challenges = rounds[0]!.challenges as Row[];
    expect(challenges.map((c) => [c.id, c.seq, c.status])).toEqual([
      ['1', 0, 'Rejected'],
      ['2', 1, 'Upheld'],
    ]);
    const ballots = (challenges[1]!.dispute as Row).ballots as Row[];
    expect(ballots.map((b) => [b.revealed, b.support])).toEqual([
      [true, 'Fraud'],
      [true, 'Fraud'],
      [true, 'Valid'],
      [false, null],
    ]);
    expect((rounds[0]!.commits as Row[]).map((c) => c.status)).toEqual(['Revealed', 'Revealed']);
  });

  it('5. a court member’s record', async () => {
    const { voter } = await q<{ voter: Row }>(text('court-member'), { voter: id(v3) });
    expect(voter).toMatchObject({
      stake: stakes[id(v3)]!.toString(),
      pendingUnstake: '0',
      unlockAt: null,
      ballotsCommitted: 1,
      ballotsRevealed: 1,
    });
    expect(BigInt(voter.rewardsClaimed as string)).toBeGreaterThan(0n);
    expect(voter.ballots).toEqual([
      {
        dispute: { id: '2', fraud: true },
        revealed: true,
        support: 'Fraud',
        weight: stakes[id(v3)]!.toString(),
        reward: voter.rewardsClaimed,
      },
    ]);
    expect((voter.stakeEvents as Row[]).map((e) => e.kind)).toEqual(['Staked']);
  });

  it('6. a task’s leaderboard', async () => {
    const { task } = await q<{ task: Row & { candidates: Row[] } }>(text('task-leaderboard'), {
      task: '1',
    });
    expect(task).toMatchObject({ bestScore: '0.75', bestCandidate: { id: '1' } });
    expect(task.candidates.map((c) => [c.id, c.score, c.status])).toEqual([
      ['1', '0.75', 'Improved'],
      ['2', '0.6', 'Rejected'],
    ]);
  });

  it('7. accuracy history', async () => {
    const { task } = await q<{ task: { bestModelChanges: Row[]; scores: Row[] } }>(
      text('accuracy-history'),
      { task: '1' },
    );
    expect(task.bestModelChanges).toHaveLength(1);
    expect(task.scores.map((s) => s.score)).toEqual(['0.75', '0.6']);
  });

  it('8. an operator’s stake history', async () => {
    const { operator } = await q<{ operator: Row }>(text('operator-stake-history'), {
      operator: id(operators[3]!),
    });
    expect(operator.status).toBe('Exited');
    expect((operator.stakeChanges as Row[]).map((c) => c.kind)).toEqual(['Increase', 'Decrease']);
  });

  it('9. protocol totals and activity per day', async () => {
    const data = await q<{ protocol: Row; dailyActivities: Row[] }>(text('daily-totals'));
    expect(data.protocol).toMatchObject({
      runCount: 1,
      validStepCount: '16',
      taskCount: 1,
      ballotsRevealed: 5,
    });
    expect(data.dailyActivities.length).toBeGreaterThan(0);
  });

  it('10. time travel to the block before the ruling', async () => {
    const data = await q<{ before: Row; now: Row }>(text('time-travel'), {
      run: run(),
      block: Number(blockBeforeRuling),
    });
    // Before the ruling the fraudulent branch was still valid, with its extreme loss.
    expect(data.before).toEqual({
      validStepCount: '16',
      invalidatedStepCount: '0',
      lastStep: '16',
      minLoss: '-9223372036.854775808',
    });
    expect(data.now).toEqual({
      validStepCount: '16',
      invalidatedStepCount: '8',
      lastStep: '16',
      minLoss: '0.123456789',
    });
  });
});
