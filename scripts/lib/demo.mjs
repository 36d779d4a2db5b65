// The demo that `npm run dev` and the end-to-end suite seed on a fresh chain, through viem and the
// generated ABIs of @um/protocol (the same calls any client makes):
//   - UM tokens for the dev accounts 0–9, half of each staked in the DisputeCourt (court weight
//     is stake at the dispute's snapshot block), so a visitor can vote from the portal's
//     dev-account picker;
//   - tokens for the three market operators' stakes;
//   - run "live": iris, an honest trainer and a verifier, training as long as the stack runs;
//   - run "fraud": iris, a trainer with an injected fault (its second round is wrong from one step
//     on). runDisputeDemo() plays the worker's second address: right after that round is
//     submitted it squats it, committing and revealing a challenge of a CORRECT step (attack 2 of
//     docs/protocol.md); the honest verifier challenges the first wrong step all the same, two dev
//     accounts judge both disputes with `um-worker vote --wait` (commit, then reveal), and the
//     verifier resolves them in order: the squat is ruled valid, the fraud is ruled fraud;
//   - a market task (x² regression, as in the original Zarathustra example) with an improving and
//     a worse candidate, evaluated by three staked operators and settled by an aggregator.
import {
  currentProfile,
  datasetRoot,
  Engine,
  evaluate,
  irisExampleSpec,
  stateHash,
  syntheticDataset,
} from '@um/engine';
import { challengeCommitment, encodeSpec, specHash } from '@um/protocol';
import {
  disputeCourtAbi,
  modelMarketAbi,
  operatorRegistryAbi,
  runFactoryAbi,
  trainingRunAbi,
  umTokenAbi,
} from '@um/protocol/abis';
import { randomBytes } from 'node:crypto';
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  formatEther,
  http,
  parseEther,
  parseEventLogs,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

export {
  ACCOUNT_COUNT,
  DemoError,
  TEST_MNEMONIC,
  defaultDemoTerms,
  demoAccounts,
  roleIndex,
} from './demo-accounts.mjs';
import { DemoError, defaultDemoTerms } from './demo-accounts.mjs';

/** x² on [−1, 1] with a 1-16-16-1 tanh MLP, Adam, evaluated by R² (the Zarathustra example). */
export function squareSpec() {
  const data = { function: 'square', domain: [-1, 1], size: 500, seed: 7, split: 'train' };
  const dense = (name, units, activation, inputDim) => ({
    class_name: 'Dense',
    config: {
      name,
      units,
      activation,
      ...(inputDim ? { batch_input_shape: [null, inputDim] } : {}),
    },
  });
  return {
    version: 1,
    model: {
      format: 'layers-model',
      topology: {
        class_name: 'Sequential',
        config: {
          name: 'square_mlp',
          layers: [
            dense('hidden1', 16, 'tanh', 1),
            dense('hidden2', 16, 'tanh'),
            dense('output', 1, 'linear'),
          ],
        },
      },
    },
    initialState: { kind: 'initializer', initializer: 'glorot-uniform', seed: 5 },
    dataset: { name: 'synthetic', ...data, root: datasetRoot(syntheticDataset(data)) },
    batchSize: 32,
    schedule: { seed: 11 },
    optimizer: { kind: 'adam', learningRate: 0.02 },
    loss: 'meanSquaredError',
    stepsPerRound: 10,
    evaluation: { metric: 'r2', function: 'square', domain: [-1, 1], sampleSize: 256 },
    computeProfile: currentProfile('wasm'),
  };
}

function clients(rpcUrl, chainId) {
  const chain = defineChain({
    id: chainId,
    name: chainId === 31337 ? 'Anvil' : `chain ${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 250 });
  const wallet = (key) =>
    createWalletClient({ chain, transport, account: privateKeyToAccount(key) });
  return { publicClient, wallet };
}

async function sender(rpcUrl, chainId) {
  const { publicClient, wallet } = clients(rpcUrl, chainId);
  const send = async (from, request) => {
    const hash = await wallet(from.privateKey).writeContract(request);
    const receipt = await publicClient.waitForTransactionReceipt({ hash, timeout: 60_000 });
    if (receipt.status !== 'success')
      throw new DemoError(`${request.functionName} from ${from.address} reverted (tx ${hash})`);
    return receipt;
  };
  return { publicClient, send };
}

/**
 * Phase 1 (before the workers start): tokens, court stakes and the two runs. Returns the run
 * addresses. `store` is a ContentStore (embedded IPFS or Kubo) the workers can read.
 */
export async function seedRuns({
  rpcUrl,
  chainId,
  deployment,
  store,
  accounts,
  terms = defaultDemoTerms,
  log,
}) {
  const { send } = await sender(rpcUrl, chainId);
  const address = (name) => {
    const entry = deployment.contracts[name];
    if (!entry) throw new DemoError(`the deployment has no ${name}`);
    return entry.address;
  };
  const token = address('UMToken');
  const deployer = accounts.deployer;

  const court = address('DisputeCourt');
  log(
    `seed: UM tokens for dev accounts 1–9 (account 0 keeps the rest); each stakes ${formatEther(terms.voterStake)} UM in the court`,
  );
  for (const voter of accounts.voters) {
    if (voter.index !== 0)
      await send(deployer, {
        address: token,
        abi: umTokenAbi,
        functionName: 'transfer',
        args: [voter.address, terms.voterTokens],
      });
    await send(voter, {
      address: token,
      abi: umTokenAbi,
      functionName: 'approve',
      args: [court, terms.voterStake],
    });
    await send(voter, {
      address: court,
      abi: disputeCourtAbi,
      functionName: 'stake',
      args: [terms.voterStake],
    });
  }
  log('seed: the three operators stake UM in the OperatorRegistry');
  const registry = address('OperatorRegistry');
  const stake = parseEther(terms.operatorStake);
  for (const operator of [accounts.operator1, accounts.operator2, accounts.operator3]) {
    await send(deployer, {
      address: token,
      abi: umTokenAbi,
      functionName: 'transfer',
      args: [operator.address, terms.operatorTokens],
    });
    await send(operator, {
      address: token,
      abi: umTokenAbi,
      functionName: 'approve',
      args: [registry, stake],
    });
    await send(operator, {
      address: registry,
      abi: operatorRegistryAbi,
      functionName: 'register',
      args: [stake],
    });
  }

  const createRun = async (label, spec, maxRounds = 0n) => {
    const specURI = await store.addBytes(encodeSpec(spec));
    const engine = await Engine.create(spec);
    const initialStateHash = stateHash(engine.initialState());
    engine.dispose();
    const receipt = await send(deployer, {
      address: address('RunFactory'),
      abi: runFactoryAbi,
      functionName: 'createRun',
      args: [
        {
          specHash: specHash(spec),
          specURI,
          initialStateHash,
          stepsPerRound: BigInt(spec.stepsPerRound),
          maxRounds,
          leaseDuration: terms.leaseDuration,
          challengeWindow: terms.challengeWindow,
          workerDeposit: terms.workerDeposit,
          challengerDeposit: terms.challengerDeposit,
          rewardPerRound: terms.rewardPerRound,
        },
      ],
      value: terms.pool,
    });
    const [created] = parseEventLogs({
      abi: runFactoryAbi,
      logs: receipt.logs,
      eventName: 'RunCreated',
    });
    log(
      `seed: run "${label}" ${created.args.run} (iris, k=${spec.stepsPerRound}, spec ${specURI})`,
    );
    return created.args.run;
  };
  // Two different schedule seeds, so the two runs' curves are distinguishable in the portal.
  const live = await createRun('live', irisExampleSpec({ stepsPerRound: terms.stepsPerRound }));
  const fraud = await createRun(
    'fraud',
    irisExampleSpec({ stepsPerRound: terms.stepsPerRound, scheduleSeed: 7 }),
    BigInt(terms.faultRunRounds),
  );
  return { live, fraud };
}

/**
 * Phase 2 (once the operators are registered): the x² task and its candidates: one trained for
 * `x2TrainSteps` steps (improves on the baseline), one left at its random initial weights (worse).
 * Returns the task id and the candidate ids.
 */
export async function seedMarket({
  rpcUrl,
  chainId,
  deployment,
  store,
  accounts,
  terms = defaultDemoTerms,
  log,
  waitFor,
}) {
  const { publicClient, send } = await sender(rpcUrl, chainId);
  const market = deployment.contracts.ModelMarket.address;
  const registry = deployment.contracts.OperatorRegistry.address;
  const operators = [accounts.operator1, accounts.operator2, accounts.operator3];
  log('market: waiting for the three operators to register their stake');
  await waitFor('the operators’ stake registration', async () => {
    const stakes = await Promise.all(
      operators.map((o) =>
        publicClient.readContract({
          address: registry,
          abi: operatorRegistryAbi,
          functionName: 'stakeOf',
          args: [o.address],
        }),
      ),
    );
    return stakes.every((s) => s > 0n);
  });

  const spec = squareSpec();
  const specURI = await store.addBytes(encodeSpec(spec));
  const engine = await Engine.create(spec);
  try {
    const initial = engine.initialState();
    log(`market: training the improving x² candidate (${terms.x2TrainSteps} steps)`);
    const trained = (await engine.runSteps(initial, 1, terms.x2TrainSteps)).state;
    const publish = async (state) => ({
      uri: await store.addDirectory({ ...engine.checkpoint(state) }),
      hash: stateHash(state),
    });
    const initialParams = await publish(initial);
    const improving = await publish(trained);
    const preview = evaluate(engine, trained, `0x${'00'.repeat(31)}01`).score;
    log(
      `market: improving candidate scores R² ≈ ${(Number(preview) / 1e6).toFixed(3)} on a sample seed`,
    );

    const created = await send(accounts.deployer, {
      address: market,
      abi: modelMarketAbi,
      functionName: 'createTask',
      args: [
        {
          archURI: specURI,
          initialParamsURI: initialParams.uri,
          initialParamsHash: initialParams.hash,
          evalSpecURI: specURI,
          evalSpecHash: specHash(spec),
          baselineScore: 0n, // R² = 0: as good as predicting the mean
          minImprovement: 50_000n, // 0.05 R²
          rewardPerImprovement: parseEther('1'),
          attestationFee: parseEther('0.01'),
          submissionBond: parseEther('0.2'),
          seedDelay: 2n,
        },
      ],
      value: parseEther('5'),
    });
    const [task] = parseEventLogs({
      abi: modelMarketAbi,
      logs: created.logs,
      eventName: 'TaskCreated',
    });
    const taskId = task.args.taskId;
    log(`market: task ${taskId} (x² regression, baseline R² 0)`);
    const submit = async (label, params) => {
      const receipt = await send(accounts.optimizer, {
        address: market,
        abi: modelMarketAbi,
        functionName: 'submitCandidate',
        args: [taskId, params.uri, params.hash],
        value: parseEther('0.2'),
      });
      const [event] = parseEventLogs({
        abi: modelMarketAbi,
        logs: receipt.logs,
        eventName: 'CandidateSubmitted',
      });
      log(`market: ${label} candidate ${event.args.candidateId} (${params.uri})`);
      return event.args.candidateId;
    };
    const improvingId = await submit('improving', improving);
    const worseId = await submit('worse (untrained)', initialParams);
    return { taskId, improvingId, worseId };
  } finally {
    engine.dispose();
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Phase 3 (once the workers run): the dispute demo on the fraud run. As soon as the faulty
 * trainer submits its fraudulent round, the squatter (the trainer's second address) commits a
 * challenge of a correct step of it (`terms.squatStepIndex`) and reveals it a block later: under
 * v1 that took the round's only dispute slot. The honest verifier's challenge of the first wrong
 * step opens a second dispute beside it. The auto voters judge both with `judge(voter, disputeId)`
 * (`um-worker vote --wait`: a one-step replay, a hidden commit, then the reveal); the verifier
 * resolves them in order once the reveal phase ends. When both disputes are open, the court's
 * periods are raised to `terms.laterCourt`, so the dispute the faulty trainer's redone round gets
 * later stays open for a visitor. Resolves with {round, squatDisputeId, fraudDisputeId, rulings}.
 */
export async function runDisputeDemo({
  rpcUrl,
  chainId,
  deployment,
  accounts,
  runs,
  terms = defaultDemoTerms,
  judge,
  log,
  stopped = () => false,
  timeoutMs = 20 * 60_000,
}) {
  const { publicClient, send } = await sender(rpcUrl, chainId);
  const run = runs.fraud;
  const court = deployment.contracts.DisputeCourt.address;
  const round = BigInt(Math.floor((terms.faultStep - 1) / terms.stepsPerRound));
  const deadline = Date.now() + timeoutMs;
  const poll = async (what, check) => {
    for (;;) {
      if (stopped()) throw new DemoError(`stopped while waiting for ${what}`);
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new DemoError(`timed out waiting for ${what}`);
      await sleep(500);
    }
  };
  const events = (eventName, args) =>
    publicClient.getContractEvents({
      address: run,
      abi: trainingRunAbi,
      eventName,
      args,
      fromBlock: 0n,
    });

  const submitted = await poll(`the faulty trainer's round ${round}`, async () => {
    const [event] = await events('RoundSubmitted', { round });
    return event;
  });
  const { claimId } = await publicClient.readContract({
    address: run,
    abi: trainingRunAbi,
    functionName: 'getRound',
    args: [round],
  });
  const squatter = accounts.squatter;
  const stepIndex = BigInt(terms.squatStepIndex);
  const salt = `0x${randomBytes(32).toString('hex')}`;
  const commitment = challengeCommitment(run, squatter.address, round, stepIndex, salt);
  const { challengerDeposit: deposit } = await publicClient.readContract({
    address: run,
    abi: trainingRunAbi,
    functionName: 'config',
  });
  const committed = await send(squatter, {
    address: run,
    abi: trainingRunAbi,
    functionName: 'commitChallenge',
    args: [round, commitment],
    value: deposit,
  });
  log(
    `squat: ${squatter.address} commits a challenge of round ${round} (block ${committed.blockNumber}, ${submitted.blockNumber === committed.blockNumber ? 'same' : `${committed.blockNumber - submitted.blockNumber} after the`} submission block), hiding step index ${stepIndex}, which is correct`,
  );
  // The reveal must come at least one block after the commit.
  await poll('the block after the squat commit', async () =>
    (await publicClient.getBlockNumber()) > committed.blockNumber ? true : undefined,
  );
  const revealed = await send(squatter, {
    address: run,
    abi: trainingRunAbi,
    functionName: 'revealChallenge',
    args: [round, stepIndex, salt, squatter.address, ''],
  });
  const [squat] = parseEventLogs({
    abi: trainingRunAbi,
    logs: revealed.logs,
    eventName: 'RoundChallenged',
  });
  const squatDisputeId = squat.args.disputeId;
  log(
    `squat: dispute ${squatDisputeId} opened on a correct step (step ${squat.args.step}); the honest challenge still opens beside it`,
  );

  // The honest verifier's dispute on the same lease.
  const honest = await poll('the honest verifier’s dispute', async () => {
    for (const event of await events('RoundChallenged', { round })) {
      if (event.args.disputeId === squatDisputeId) continue;
      const challenge = await publicClient.readContract({
        address: run,
        abi: trainingRunAbi,
        functionName: 'getChallenge',
        args: [event.args.disputeId],
      });
      if (challenge.claimId === claimId) return event;
    }
    return undefined;
  });
  const fraudDisputeId = honest.args.disputeId;
  log(
    `dispute ${fraudDisputeId} opened by ${honest.args.challenger} on step ${honest.args.step}, the first wrong one`,
  );

  if (terms.laterCourt) {
    const current = await publicClient.readContract({
      address: court,
      abi: disputeCourtAbi,
      functionName: 'parameters',
    });
    await send(accounts.deployer, {
      address: court,
      abi: disputeCourtAbi,
      functionName: 'setParameters',
      args: [{ ...current, ...terms.laterCourt }],
    });
    log(
      `court: later disputes get a ${terms.laterCourt.commitPeriod} s commit and a ${terms.laterCourt.revealPeriod} s reveal phase (time to vote from the portal); disputes ${squatDisputeId} and ${fraudDisputeId} keep theirs`,
    );
  }

  const voters = terms.autoVoters.map((i) => accounts.at(i));
  log(
    `court: dev accounts ${terms.autoVoters.join(', ')} judge disputes ${squatDisputeId} and ${fraudDisputeId} (um-worker vote --wait: replay, commit, reveal)`,
  );
  const ballots = await Promise.allSettled(
    [squatDisputeId, fraudDisputeId].flatMap((id) => voters.map((voter) => judge(voter, id))),
  );
  for (const ballot of ballots)
    if (ballot.status === 'rejected') log(`court: a demo ballot failed: ${ballot.reason.message}`);

  const rulings = {};
  for (const id of [squatDisputeId, fraudDisputeId]) {
    const dispute = await poll(`the ruling of dispute ${id}`, async () => {
      const d = await publicClient.readContract({
        address: court,
        abi: disputeCourtAbi,
        functionName: 'getDispute',
        args: [id],
      });
      return d.state === 2 ? d : undefined;
    });
    rulings[id] = dispute.fraud ? 'fraud' : 'valid';
    log(
      `court: dispute ${id} ruled ${rulings[id]} (fraud ${formatEther(dispute.fraudVotes)} UM, valid ${formatEther(dispute.validVotes)} UM revealed)`,
    );
  }
  return { round, squatDisputeId, fraudDisputeId, rulings };
}
