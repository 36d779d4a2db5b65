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
import { merkleProof, merkleRoot, stepLeaf } from '../../../packages/protocol/src/merkle.js';
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

interface RoundData {
  readonly leaves: Hex[];
  readonly root: Hex;
  readonly finalState: Hex;
  readonly losses: bigint[];
}
function roundData(round: number, attempt: number): RoundData {
  const steps = Array.from({ length: K }, (_, i) => round * K + i + 1);
  const leaves = steps.map((t) => stepLeaf(t, stateHash(round, attempt, t)));
  return {
    leaves,
    root: merkleRoot(leaves),
    finalState: stateHash(round, attempt, steps[K - 1]!),
    losses: LOSSES[`${round}-${attempt}`]!,
  };
}

let anvil: Anvil;
let indexer: Indexer;
let pub: PublicClient;
let deployment: Deployment;
let tmp: string;
let deploymentPath: string;
let runAddress: Address;
let blockBeforeRuling: bigint;
let courtFee: bigint;
const votingWeights: Record<string, bigint> = {};
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

async function claimAndSubmit(worker: HDAccount, round: number, attempt: number): Promise<void> {
  await send(worker, 'TrainingRun', runAddress, 'claim', [], WORKER_DEPOSIT);
  const data = roundData(round, attempt);
  await send(worker, 'TrainingRun', runAddress, 'submit', [
    BigInt(round),
    data.root,
    data.finalState,
    `bafy-state-${round}-${attempt}`,
    data.losses,
  ]);
}

async function playTraining(): Promise<void> {
  const token = at('UMToken');
  const court = at('DisputeCourt');
  const supply = await read<bigint>('UMToken', token, 'totalSupply');
  // Voters hold most of the supply so quorum is reachable; v2 delegates to v1.
  const shares: [HDAccount, bigint][] = [
    [v1, 30n],
    [v2, 20n],
    [v3, 15n],
    [v4, 5n],
    [v5, 2n],
  ];
  for (const [voter, percent] of shares)
    await send(deployer, 'UMToken', token, 'transfer', [voter.address, (supply * percent) / 100n]);
  for (const voter of [v1, v3, v4, v5])
    await send(voter, 'UMToken', token, 'delegate', [voter.address]);
  await send(v2, 'UMToken', token, 'delegate', [v1.address]);
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

  // Round 0 by w1; round 1 leased by w2, who never submits; w1 takes it over after the lease.
  await claimAndSubmit(w1, 0, 0);
  await send(w2, 'TrainingRun', runAddress, 'claim', [], WORKER_DEPOSIT);
  await passTime(LEASE + 1n);
  await claimAndSubmit(w1, 1, 1);
  await passTime(WINDOW + 1n);
  await send(funder, 'TrainingRun', runAddress, 'finalize', [0n]);
  await send(funder, 'TrainingRun', runAddress, 'finalize', [1n]);

  // Round 2: w3 commits a wrong state; w1 builds round 3 on top of it in good faith.
  await claimAndSubmit(w3, 2, 0);
  await claimAndSubmit(w1, 3, 0);
  const bad = roundData(2, 0);
  await send(
    challenger,
    'TrainingRun',
    runAddress,
    'challenge',
    [2n, 1n, bad.leaves[1], merkleProof(bad.leaves, 1), 'bafy-evidence-2'],
    CHALLENGER_DEPOSIT,
  );
  const later = roundData(3, 0);
  await send(
    challenger,
    'TrainingRun',
    runAddress,
    'challenge',
    [3n, 0n, later.leaves[0], merkleProof(later.leaves, 0), 'bafy-evidence-3'],
    CHALLENGER_DEPOSIT,
  );

  // Votes on dispute 1: Fraud (v1 with v2's delegation), Fraud by signature (v3, relayed),
  // Valid (v4), Abstain (v5). Dispute 2 gets no votes.
  await send(v1, 'DisputeCourt', court, 'castVote', [1n, 0, 'step 6 recomputed: different bytes']);
  const nonce = await read<bigint>('DisputeCourt', court, 'nonces', [v3.address]);
  const reason = 'checked in the browser';
  const digest = await read<Hex>('DisputeCourt', court, 'ballotDigest', [
    1n,
    0,
    v3.address,
    nonce,
    reason,
  ]);
  const signature = await v3.sign({ hash: digest });
  await send(deployer, 'DisputeCourt', court, 'castVoteBySig', [
    1n,
    0,
    v3.address,
    reason,
    signature,
  ]);
  await send(v4, 'DisputeCourt', court, 'castVote', [1n, 1, 'looks fine to me']);
  await send(v5, 'DisputeCourt', court, 'castVote', [1n, 2, '']);
  for (const voter of [v1, v3, v4, v5])
    votingWeights[id(voter)] = await read<bigint>('UMToken', token, 'getVotes', [voter.address]);

  blockBeforeRuling = await pub.getBlockNumber();
  const votingPeriod = await read<bigint>('DisputeCourt', court, 'votingPeriod');
  await passTime(votingPeriod + 1n);
  await send(funder, 'DisputeCourt', court, 'resolve', [1n]);
  await send(funder, 'DisputeCourt', court, 'resolve', [2n]);
  courtFee = (
    (await read<{ fee: bigint }>('DisputeCourt', court, 'getDispute', [1n])) as {
      fee: bigint;
    }
  ).fee;
  for (const voter of [v1, v3, v4, v5])
    await send(voter, 'DisputeCourt', court, 'claimReward', [1n]);

  // The run continues from round 2, then completes.
  await claimAndSubmit(w1, 2, 1);
  await claimAndSubmit(w2, 3, 1);
  await passTime(WINDOW + 1n);
  await send(funder, 'TrainingRun', runAddress, 'finalize', [2n]);
  await send(funder, 'TrainingRun', runAddress, 'finalize', [3n]);
  for (const who of [w1, w2, challenger]) await send(who, 'TrainingRun', runAddress, 'withdraw');
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

describe('training runs', () => {
  it('indexes the run from RunFactory through its TrainingRun template', async () => {
    const { run } = await q<{ run: Row }>(
      `query($id: ID!) { run(id: $id) { runId creator specURI stepsPerRound maxRounds status
        poolBalance totalFunded totalRewardsPaid completedRounds finalStateHash
        stats { id } } }`,
      { id: runAddress.toLowerCase() },
    );
    const pool = await read<bigint>('TrainingRun', runAddress, 'pool');
    expect(run).toEqual({
      runId: '0',
      creator: id(deployer),
      specURI: 'bafy-run-spec',
      stepsPerRound: '4',
      maxRounds: '4',
      status: 'Completed',
      poolBalance: pool.toString(),
      totalFunded: expect.any(String),
      totalRewardsPaid: (4n * REWARD).toString(),
      completedRounds: '4',
      finalStateHash: roundData(3, 1).finalState,
      stats: { id: runAddress.toLowerCase() },
    });
  });

  it('keeps every round attempt, with expiry, slashing, good-faith refunds and finality', async () => {
    const { rounds } = await q<{ rounds: Row[] }>(
      `query($run: String!) { rounds(where: { run: $run }, orderBy: claimedAtBlock) {
        id number attempt status slashed worker { id } invalidationRefund invalidatedBy { id }
        forfeited reward openChallenge { id status } } }`,
      { run: runAddress.toLowerCase() },
    );
    const r = runAddress.toLowerCase();
    expect(rounds.map((x) => [x.id, x.status, x.slashed])).toEqual([
      [`${r}-0-0`, 'Finalized', false],
      [`${r}-1-0`, 'Expired', false],
      [`${r}-1-1`, 'Finalized', false],
      [`${r}-2-0`, 'Invalidated', true],
      [`${r}-3-0`, 'Invalidated', false],
      [`${r}-2-1`, 'Finalized', false],
      [`${r}-3-1`, 'Finalized', false],
    ]);
    const byId = Object.fromEntries(rounds.map((x) => [x.id, x]));
    expect(byId[`${r}-1-0`]!.forfeited).not.toBeNull();
    expect(byId[`${r}-2-0`]!.invalidatedBy).toEqual({ id: '1' });
    expect(byId[`${r}-2-0`]!.invalidationRefund).toBe('0');
    expect(byId[`${r}-3-0`]!.invalidationRefund).toBe(WORKER_DEPOSIT.toString());
    expect(byId[`${r}-3-0`]!.openChallenge).toEqual({ id: '2', status: 'Cancelled' });
    expect(byId[`${r}-0-0`]!.reward).toBe(REWARD.toString());
    const { roundSlots } = await q<{ roundSlots: Row[] }>(
      `query($run: String!) { roundSlots(where: { run: $run }, orderBy: number) {
        number attempts current { id } } }`,
      { run: r },
    );
    expect(roundSlots.map((s) => [s.number, s.attempts])).toEqual([
      ['0', 1],
      ['1', 2],
      ['2', 2],
      ['3', 2],
    ]);
  });

  it('converts every fixed-point loss exactly and marks rolled-back steps Invalidated', async () => {
    const { steps } = await q<{ steps: Row[] }>(
      `query($run: String!) { steps(where: { run: $run }, first: 1000, orderBy: blockNumber) {
        id step lossRaw loss status round { number attempt } invalidatedBy { id }
        checkpoint { uri } } }`,
      { run: runAddress.toLowerCase() },
    );
    expect(steps).toHaveLength(6 * K);
    for (const step of steps) {
      const round = step.round as { number: string; attempt: number };
      const losses = LOSSES[`${round.number}-${round.attempt}`]!;
      const index = Number(step.step) - Number(round.number) * K - 1;
      expect(step.lossRaw).toBe(losses[index]!.toString());
      expect(step.loss).toBe(decimal(losses[index]!, 9));
      const invalid = (round.number === '2' || round.number === '3') && round.attempt === 0;
      expect(step.status).toBe(invalid ? 'Invalidated' : 'Valid');
      expect(step.invalidatedBy).toEqual(invalid ? { id: '1' } : null);
      expect(step.checkpoint).toEqual({ uri: `bafy-state-${round.number}-${round.attempt}` });
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
        roundsInvalidated leasesExpired challenges disputesUpheld disputesRejected stepCount
        validStepCount invalidatedStepCount lastStep lastLoss minLossRaw minLoss minLossStep
        lossSumRaw avgLoss minLossAllRaw } }`,
      { id: runAddress.toLowerCase() },
    );
    const valid = ['0-0', '1-1', '2-1', '3-1'].flatMap((key) => LOSSES[key]!);
    const sum = valid.reduce((a, b) => a + b, 0n);
    expect(runStats).toMatchObject({
      roundsClaimed: 7,
      roundsSubmitted: 6,
      roundsFinalized: 4,
      roundsInvalidated: 2,
      leasesExpired: 1,
      challenges: 2,
      disputesUpheld: 1,
      disputesRejected: 0,
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
    });
    expect(Number(runStats.avgLoss)).toBeCloseTo(Number(sum) / 16 / 1e9, 6);
  });

  it('records pool fundings, withdrawals and checkpoints', async () => {
    const data = await q<{ poolFundings: Row[]; withdrawals: Row[]; checkpoints: Row[] }>(
      `query($run: String!) {
        poolFundings(where: { run: $run }, orderBy: blockNumber) { funder amount poolBalance }
        withdrawals(where: { source: TrainingRun }) { account amount run { id } }
        checkpoints(where: { run: $run }, orderBy: blockNumber) { id step stateHash uri worker { id } } }`,
      { run: runAddress.toLowerCase() },
    );
    expect(data.poolFundings.map((f) => f.funder)).toEqual(
      expect.arrayContaining([id(deployer), id(funder), id(w2)]),
    );
    expect(data.poolFundings[0]).toMatchObject({
      funder: id(deployer),
      amount: parseEther('1').toString(),
    });
    expect(data.withdrawals.map((w) => w.account).sort()).toEqual(
      [id(w1), id(w2), id(challenger)].sort(),
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
        roundsSlashed leasesExpired stepsSubmitted totalSlashed totalRewards challengesMade
        challengesWon totalWithdrawn } }`,
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
    expect(byId[id(w2)]).toMatchObject({ leasesExpired: 1, roundsFinalized: 1 });
    expect(byId[id(w3)]).toMatchObject({
      roundsSlashed: 1,
      totalSlashed: WORKER_DEPOSIT.toString(),
      roundsFinalized: 0,
    });
    expect(byId[id(challenger)]).toMatchObject({ challengesMade: 2, challengesWon: 1 });
  });
});

describe('dispute court and voting power', () => {
  it('records the challenges, the disputes and the ruling', async () => {
    const data = await q<{ challenges: Row[]; disputes: Row[] }>(
      `{ challenges(orderBy: id) { id status step stepEntity { id } winner deposit }
         disputes(orderBy: disputeId) { id status fraud quorumReached voteCount fraudVotes
           validVotes abstainVotes courtFee rewardsClaimed challenge { id } round { id } } }`,
    );
    const r = runAddress.toLowerCase();
    expect(data.challenges).toEqual([
      {
        id: '1',
        status: 'Upheld',
        step: '10',
        stepEntity: { id: `${r}-2-0-10` },
        winner: id(challenger),
        deposit: CHALLENGER_DEPOSIT.toString(),
      },
      {
        id: '2',
        status: 'Cancelled',
        step: '13',
        stepEntity: { id: `${r}-3-0-13` },
        winner: null,
        deposit: CHALLENGER_DEPOSIT.toString(),
      },
    ]);
    const fraud = votingWeights[id(v1)]! + votingWeights[id(v3)]!;
    expect(data.disputes[0]).toMatchObject({
      status: 'Resolved',
      fraud: true,
      quorumReached: true,
      voteCount: 4,
      fraudVotes: fraud.toString(),
      validVotes: votingWeights[id(v4)]!.toString(),
      abstainVotes: votingWeights[id(v5)]!.toString(),
      courtFee: courtFee.toString(),
      rewardsClaimed: courtFee.toString(),
      challenge: { id: '1' },
      round: { id: `${r}-2-0` },
    });
    expect(data.disputes[1]).toMatchObject({ status: 'Resolved', fraud: false, voteCount: 0 });
  });

  it('records every vote, including one cast by signature, and the reward claims', async () => {
    const data = await q<{ votes: Row[]; courtRewardClaims: Row[] }>(
      `{ votes(orderBy: weight, orderDirection: desc) { id voter { id } support weight reason bySig }
         courtRewardClaims { voter { id } amount } }`,
    );
    expect(data.votes.map((v) => [v.voter, v.support, v.bySig])).toEqual(
      expect.arrayContaining([
        [{ id: id(v1) }, 'Fraud', false],
        [{ id: id(v3) }, 'Fraud', true],
        [{ id: id(v4) }, 'Valid', false],
        [{ id: id(v5) }, 'Abstain', false],
      ]),
    );
    expect(data.votes[0]!.id).toBe(`1-${id(v1)}`);
    const claimed = data.courtRewardClaims.reduce((a, c) => a + BigInt(c.amount as string), 0n);
    expect(claimed).toBe(courtFee);
  });

  it('tracks delegation and voting power from UMToken', async () => {
    const data = await q<{ voter: Row; delegateChanges: Row[]; votingPowerChanges: Row[] }>(
      `query($v1: ID!) { voter(id: $v1) { votingPower balance delegate { id } delegators { id }
         votesCast weightUsed rewardsClaimed }
         delegateChanges(first: 100) { delegator { id } toDelegate }
         votingPowerChanges(first: 100) { voter { id } newVotes } }`,
      { v1: id(v1) },
    );
    const token = at('UMToken');
    expect(data.voter).toMatchObject({
      votingPower: (await read<bigint>('UMToken', token, 'getVotes', [v1.address])).toString(),
      balance: (await read<bigint>('UMToken', token, 'balanceOf', [v1.address])).toString(),
      delegate: { id: id(v1) },
      votesCast: 1,
      weightUsed: votingWeights[id(v1)]!.toString(),
    });
    expect((data.voter.delegators as Row[]).map((d) => d.id).sort()).toEqual(
      [id(v1), id(v2)].sort(),
    );
    expect(data.delegateChanges).toHaveLength(5);
    expect(data.votingPowerChanges.length).toBeGreaterThanOrEqual(5);
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
           disputeCount disputesUpheld disputesRejected voteCount taskCount openTaskCount
           candidateCount attestationCount bestModelChangeCount operatorCount totalOperatorStake
           tokenSupply courtFeeBps }
         dailyActivities(first: 1000, orderBy: day) { day roundsSubmitted stepsSubmitted votes
           attestations validStepCount totalOperatorStake } }`,
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
      challengeCount: 2,
      disputeCount: 2,
      disputesUpheld: 1,
      disputesRejected: 1,
      voteCount: 4,
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
      courtFeeBps: Number(await read<number>('DisputeCourt', at('DisputeCourt'), 'courtFeeBps')),
    });
    const days = data.dailyActivities;
    const total = (field: string) =>
      days.reduce((a, d) => a + BigInt(d[field] as string | number), 0n);
    expect(total('roundsSubmitted')).toBe(6n);
    expect(total('stepsSubmitted')).toBe(24n);
    expect(total('votes')).toBe(4n);
    expect(total('attestations')).toBe(2n);
    expect(days[days.length - 1]).toMatchObject({
      validStepCount: '16',
      totalOperatorStake: data.protocol.totalOperatorStake,
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
      'dispute-votes',
      'voter-record',
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

  it('4. a dispute’s votes', async () => {
    const { dispute } = await q<{ dispute: Row }>(text('dispute-votes'), { dispute: '1' });
    expect(dispute).toMatchObject({ status: 'Resolved', fraud: true, challenge: { step: '10' } });
    expect((dispute.votes as Row[]).map((v) => v.support)).toHaveLength(4);
    expect((dispute.invalidatedRounds as Row[]).map((r) => r.id).sort()).toEqual([
      `${run()}-2-0`,
      `${run()}-3-0`,
    ]);
  });

  it('5. a voter’s record', async () => {
    const { voter } = await q<{ voter: Row }>(text('voter-record'), { voter: id(v3) });
    expect(voter).toMatchObject({ votesCast: 1, delegate: { id: id(v3) } });
    expect(BigInt(voter.rewardsClaimed as string)).toBeGreaterThan(0n);
    expect(voter.votes).toEqual([
      {
        dispute: { id: '1', fraud: true },
        support: 'Fraud',
        weight: votingWeights[id(v3)]!.toString(),
      },
    ]);
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
    expect(data.protocol).toMatchObject({ runCount: 1, validStepCount: '16', taskCount: 1 });
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
