import { join } from 'node:path';
import { trainingRunAbi } from '@um/protocol/abis';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { startWorker, type RunningWorker } from '../src/service.js';
import { startChain, type TestChain } from './harness/chain.js';
import {
  createIrisRun,
  openStore,
  privateKeyOf,
  runTerms,
  scratchDir,
  testLogger,
  waitFor,
} from './harness/fixtures.js';

const metric = async (
  worker: RunningWorker,
  name: string,
  labels = '',
): Promise<number | undefined> => {
  const text = await (await fetch(`${worker.http!.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
};

describe('honest trainer + verifier (the um-worker service)', () => {
  let chain: TestChain;
  let scratch: { dir: string; remove(): void };
  beforeAll(async () => {
    chain = await startChain();
    scratch = scratchDir('honest');
  }, 120_000);
  afterAll(async () => {
    await chain?.stop();
    scratch?.remove();
  });

  it('submits rounds that the verifier accepts, finalises them, pays the rewards and reports it all', async () => {
    const store = await openStore(scratch.dir);
    const { run, startBlock } = await createIrisRun({ chain, store, k: 4 });
    await store.close();
    const trainerAccount = chain.accounts[1]!;
    const base = {
      rpc: chain.url,
      deployments: chain.deploymentsDir,
      run,
      'from-block': String(startBlock),
      ipfs: `embedded:${join(scratch.dir, 'ipfs')}`,
      'poll-ms': '100',
      'http-port': '0',
    };
    const trainer = await startWorker(
      resolveConfig({
        ...base,
        roles: 'train',
        rounds: '3',
        'data-dir': join(scratch.dir, 'trainer'),
        'gateway-port': '0',
      }),
      privateKeyToAccount(privateKeyOf(trainerAccount)),
      testLogger('trainer'),
    );
    const verifier = await startWorker(
      resolveConfig({ ...base, roles: 'verify', 'data-dir': join(scratch.dir, 'verifier') }),
      privateKeyToAccount(privateKeyOf(chain.accounts[2]!)),
      testLogger('verifier'),
    );
    const balanceBefore = await chain.publicClient.getBalance({ address: trainerAccount.address });
    try {
      expect((await fetch(`${trainer.http!.url}/eigen/node`)).status).toBe(200);
      await waitFor(
        'healthy services',
        async () => (await fetch(`${trainer.http!.url}/health`)).status === 200,
      );
      expect(await (await fetch(`${trainer.http!.url}/eigen/node/services`)).json()).toEqual({
        services: [expect.objectContaining({ id: 'trainer', status: 'Up' })],
      });
      expect((await fetch(`${verifier.http!.url}/eigen/node/health`)).status).toBe(200);

      await waitFor(
        'three verified rounds',
        async () =>
          (await metric(verifier, 'um_worker_rounds_verified_total', '{result="valid"}')) === 3,
        90_000,
      );
      expect(
        await chain.publicClient.readContract({
          address: run,
          abi: trainingRunAbi,
          functionName: 'nextRound',
        }),
      ).toBe(3n);
      await chain.travel(Number(runTerms.challengeWindow) + 1);
      await waitFor(
        'three final rounds',
        async () =>
          (await chain.publicClient.readContract({
            address: run,
            abi: trainingRunAbi,
            functionName: 'finalizedRounds',
          })) === 3n,
        30_000,
      );
      await waitFor(
        'credits withdrawn',
        async () =>
          (await chain.publicClient.readContract({
            address: run,
            abi: trainingRunAbi,
            functionName: 'credits',
            args: [trainerAccount.address],
          })) === 0n,
      );

      expect(await metric(trainer, 'um_worker_rounds_submitted_total')).toBe(3);
      // Every step's state hash is on chain; the embedded gateway serves the final checkpoint.
      const [last] = await chain.publicClient.getContractEvents({
        address: run,
        abi: trainingRunAbi,
        eventName: 'RoundSubmitted',
        args: { round: 2n },
        fromBlock: startBlock,
      });
      expect(last!.args.stateHashes).toHaveLength(4);
      expect(last!.args.stateHashes!.at(-1)).toBe(last!.args.finalStateHash);
      expect(new Set(last!.args.stateHashes).size).toBe(4);
      expect(last!.args.firstStep).toBe(9n);
      const weights = await fetch(
        `${trainer.gateway!.url}/ipfs/${last!.args.stateURI}/weights.bin`,
      );
      expect(weights.status).toBe(200);
      expect(await metric(trainer, 'um_worker_steps_computed_total', '{role="train"}')).toBe(12);
      expect(await metric(verifier, 'um_worker_steps_computed_total', '{role="verify"}')).toBe(12);
      expect(await metric(trainer, 'um_worker_rounds_finalized_total')).toBe(3);
      expect(await metric(verifier, 'um_worker_challenges_raised_total')).toBeUndefined();
      expect(await metric(trainer, 'um_worker_eth_balance_wei')).toBeGreaterThan(0);
    } finally {
      await Promise.all([trainer.stop(), verifier.stop()]);
    }
    expect(await trainer.done).toBe(true);
    const finalized = await chain.publicClient.getContractEvents({
      address: run,
      abi: trainingRunAbi,
      eventName: 'RoundFinalized',
      fromBlock: startBlock,
    });
    expect(
      finalized.map((e) => [
        Number(e.args.round),
        e.args.worker,
        e.args.reward,
        e.args.depositReturned,
      ]),
    ).toEqual(
      [0, 1, 2].map((round) => [
        round,
        trainerAccount.address,
        runTerms.rewardPerRound,
        runTerms.workerDeposit,
      ]),
    );
    expect(
      await chain.publicClient.getContractEvents({
        address: run,
        abi: trainingRunAbi,
        eventName: 'RoundChallenged',
        fromBlock: startBlock,
      }),
    ).toHaveLength(0);
    // Three rewards arrived; gas costs far less than one reward on anvil.
    const gained =
      (await chain.publicClient.getBalance({ address: trainerAccount.address })) - balanceBefore;
    expect(gained).toBeGreaterThan(3n * runTerms.rewardPerRound - runTerms.rewardPerRound / 2n);
    expect(gained).toBeLessThanOrEqual(3n * runTerms.rewardPerRound);
  }, 180_000);
});
