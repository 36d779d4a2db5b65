import { join } from 'node:path';
import { trainingRunAbi } from '@um/protocol/abis';
import { createWalletClient, http } from 'viem';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Trainer } from '../src/roles/trainer.js';
import { startChain, type TestChain } from './harness/chain.js';
import {
  connectAs,
  createIrisRun,
  newMetrics,
  openStore,
  runTerms,
  scratchDir,
  testLogger,
  waitFor,
} from './harness/fixtures.js';

describe('trainer: an abandoned lease and an exhausted pool', () => {
  let chain: TestChain;
  let scratch: { dir: string; remove(): void };
  beforeAll(async () => {
    chain = await startChain();
    scratch = scratchDir('lease-pool');
  }, 120_000);
  afterAll(async () => {
    await chain?.stop();
    scratch?.remove();
  });

  it('waits for funding, waits out a live lease, then takes over an expired one', async () => {
    const store = await openStore(scratch.dir);
    // An empty pool: no reward for anyone until someone funds the run.
    const { run, startBlock } = await createIrisRun({ chain, store, k: 3, pool: 0n });
    const absent = chain.accounts[5]!;
    const absentWallet = createWalletClient({
      chain: foundry,
      transport: http(chain.url),
      account: absent,
    });
    const trainerAccount = chain.accounts[1]!;
    const trainer = new Trainer({
      conn: await connectAs(chain, trainerAccount),
      store,
      run,
      journalPath: join(scratch.dir, 'trainer.json'),
      log: testLogger('trainer'),
      metrics: newMetrics(),
      pollMs: 100,
      fromBlock: startBlock,
      maxRounds: 1,
    });
    const stop = new AbortController();
    const running = trainer.run(stop.signal);
    const claims = async () =>
      chain.publicClient.getContractEvents({
        address: run,
        abi: trainingRunAbi,
        eventName: 'RoundClaimed',
        fromBlock: startBlock,
      });
    try {
      await waitFor('trainer up', () => trainer.status() === 'Up');
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await claims()).toHaveLength(0); // it does not work for nothing

      // Another worker claims round 0 and vanishes; the pool gets funded meanwhile.
      await chain.publicClient.waitForTransactionReceipt({
        hash: await absentWallet.writeContract({
          address: run,
          abi: trainingRunAbi,
          functionName: 'claim',
          value: runTerms.workerDeposit,
        }),
      });
      await chain.publicClient.waitForTransactionReceipt({
        hash: await absentWallet.writeContract({
          address: run,
          abi: trainingRunAbi,
          functionName: 'fund',
          value: runTerms.rewardPerRound,
        }),
      });
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await claims()).toHaveLength(1); // the live lease is respected

      await chain.travel(Number(runTerms.leaseDuration) + 1);
      await waitFor(
        'round 0 submitted by the trainer',
        async () =>
          (
            await chain.publicClient.getContractEvents({
              address: run,
              abi: trainingRunAbi,
              eventName: 'RoundSubmitted',
              fromBlock: startBlock,
            })
          )[0]?.args.worker === trainerAccount.address,
        60_000,
      );
      const [expired] = await chain.publicClient.getContractEvents({
        address: run,
        abi: trainingRunAbi,
        eventName: 'LeaseExpired',
        fromBlock: startBlock,
      });
      expect(expired?.args).toMatchObject({
        round: 0n,
        worker: absent.address,
        forfeited: runTerms.workerDeposit / 10n,
      });
      expect((await claims()).map((c) => c.args.worker)).toEqual([
        absent.address,
        trainerAccount.address,
      ]);
    } finally {
      stop.abort();
      await running;
      await store.close();
    }
  }, 120_000);
});
