import { join } from 'node:path';
import { trainingRunAbi } from '@um/protocol/abis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Trainer } from '../src/roles/trainer.js';
import { Verifier } from '../src/roles/verifier.js';
import { startChain, type TestChain } from './harness/chain.js';
import { connectAs, createIrisRun, newMetrics, openStore, runTerms, scratchDir, testLogger, waitFor } from './harness/fixtures.js';

describe('honest trainer + verifier', () => {
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

  it('submits rounds that the verifier accepts, finalises them and pays the rewards', async () => {
    const store = await openStore(scratch.dir);
    const { run, startBlock } = await createIrisRun({ chain, store, k: 4 });
    const trainerAccount = chain.accounts[1]!;
    const trainerMetrics = newMetrics();
    const verifierMetrics = newMetrics();
    const trainer = new Trainer({
      conn: await connectAs(chain, trainerAccount),
      store,
      run,
      journalPath: join(scratch.dir, 'trainer.json'),
      log: testLogger('trainer'),
      metrics: trainerMetrics,
      pollMs: 100,
      fromBlock: startBlock,
      maxRounds: 3,
    });
    const verifier = new Verifier({
      conn: await connectAs(chain, chain.accounts[2]!),
      store,
      run,
      journalPath: join(scratch.dir, 'verifier.json'),
      log: testLogger('verifier'),
      metrics: verifierMetrics,
      pollMs: 100,
      fromBlock: startBlock,
    });
    const stop = new AbortController();
    const balanceBefore = await chain.publicClient.getBalance({ address: trainerAccount.address });
    const running = [trainer.run(stop.signal), verifier.run(stop.signal)];
    try {
      await waitFor('three verified rounds', async () => (await verifierMetrics.roundsVerified.get()).values.find((v) => v.labels.result === 'valid')?.value === 3, 90_000);
      expect(await chain.publicClient.readContract({ address: run, abi: trainingRunAbi, functionName: 'nextRound' })).toBe(3n);
      await chain.travel(Number(runTerms.challengeWindow) + 1);
      await waitFor('three final rounds', async () => (await chain.publicClient.readContract({ address: run, abi: trainingRunAbi, functionName: 'finalizedRounds' })) === 3n, 30_000);
      await waitFor('credits withdrawn', async () => (await chain.publicClient.readContract({ address: run, abi: trainingRunAbi, functionName: 'credits', args: [trainerAccount.address] })) === 0n);
    } finally {
      stop.abort();
      await Promise.all(running);
      await store.close();
    }
    const finalized = await chain.publicClient.getContractEvents({ address: run, abi: trainingRunAbi, eventName: 'RoundFinalized', fromBlock: startBlock });
    expect(finalized.map((e) => [Number(e.args.round), e.args.worker, e.args.reward, e.args.depositReturned])).toEqual(
      [0, 1, 2].map((round) => [round, trainerAccount.address, runTerms.rewardPerRound, runTerms.workerDeposit]),
    );
    const challenges = await chain.publicClient.getContractEvents({ address: run, abi: trainingRunAbi, eventName: 'RoundChallenged', fromBlock: startBlock });
    expect(challenges).toHaveLength(0);
    // Three rewards arrived; gas costs far less than one reward on anvil.
    const gained = (await chain.publicClient.getBalance({ address: trainerAccount.address })) - balanceBefore;
    expect(gained).toBeGreaterThan(3n * runTerms.rewardPerRound - runTerms.rewardPerRound / 2n);
    expect(gained).toBeLessThanOrEqual(3n * runTerms.rewardPerRound);
    expect((await trainerMetrics.roundsSubmitted.get()).values[0]?.value).toBe(3);
    expect((await trainerMetrics.stepsComputed.get()).values[0]?.value).toBe(12);
  }, 180_000);
});
