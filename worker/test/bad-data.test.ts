import { join } from 'node:path';
import { trainingRunAbi } from '@um/protocol/abis';
import { keccak256 } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFault } from '../src/faults.js';
import { Trainer } from '../src/roles/trainer.js';
import { Verifier } from '../src/roles/verifier.js';
import { startChain, type TestChain } from './harness/chain.js';
import {
  connectAs,
  createIrisRun,
  keepMining,
  newMetrics,
  openStore,
  scratchDir,
  testLogger,
  waitFor,
} from './harness/fixtures.js';

const K = 3;

describe('bad data: checkpoints that do not match the commitment, steps that skip the update', () => {
  let chain: TestChain;
  let scratch: { dir: string; remove(): void };
  beforeAll(async () => {
    chain = await startChain();
    scratch = scratchDir('bad-data');
  }, 120_000);
  afterAll(async () => {
    await chain?.stop();
    scratch?.remove();
  });

  // Since v2 every step's hash is on chain, so a round whose hashes are right is honest whatever
  // happens to its files: a one-step replay would rule any challenge of it valid. The verifier
  // therefore does not challenge; it publishes the state it recomputed instead.
  for (const [fault, result] of [
    ['bad-checkpoint', 'checkpoint-mismatch'],
    ['withhold-checkpoint', 'checkpoint-unavailable'],
  ] as const) {
    it(`${fault}: the verifier does not challenge honest hashes and republishes the state`, async () => {
      const store = await openStore(join(scratch.dir, fault));
      const { run, startBlock } = await createIrisRun({ chain, store, k: K });
      const trainer = new Trainer({
        conn: await connectAs(chain, chain.accounts[1]!),
        store,
        run,
        journalPath: join(scratch.dir, fault, 'trainer.json'),
        log: testLogger('trainer'),
        metrics: newMetrics(),
        faults: [parseFault(fault)],
        pollMs: 100,
        fromBlock: startBlock,
        maxRounds: 1,
      });
      const metrics = newMetrics();
      const verifier = new Verifier({
        conn: await connectAs(chain, chain.accounts[2]!),
        store,
        run,
        journalPath: join(scratch.dir, fault, 'verifier.json'),
        log: testLogger('verifier'),
        metrics,
        pollMs: 100,
        fromBlock: startBlock,
        contentTimeoutMs: 2_000,
      });
      const stop = new AbortController();
      const running = [trainer.run(stop.signal), verifier.run(stop.signal)];
      try {
        await waitFor(
          `the verifier to see the ${result}`,
          async () =>
            (await metrics.roundsVerified.get()).values.find((v) => v.labels.result === result),
          90_000,
        );
        const [submission] = await chain.publicClient.getContractEvents({
          address: run,
          abi: trainingRunAbi,
          eventName: 'RoundSubmitted',
          fromBlock: startBlock,
        });
        expect(
          (await metrics.roundsVerified.get()).values.find((v) => v.labels.result === 'valid')
            ?.value,
        ).toBe(1);
        expect(
          await chain.publicClient.getContractEvents({
            address: run,
            abi: trainingRunAbi,
            eventName: 'ChallengeCommitted',
            fromBlock: startBlock,
          }),
        ).toHaveLength(0);
        const weights = await store
          .cat(submission!.args.stateURI!, 'weights.bin')
          .catch(() => undefined);
        if (fault === 'bad-checkpoint') {
          const slots = await store.cat(submission!.args.stateURI!, 'optimizer.bin');
          expect(keccak256(new Uint8Array([...weights!, ...slots]))).not.toBe(
            submission!.args.finalStateHash,
          );
        } else {
          // The checkpoint's bytes, and so its CID, are deterministic: the verifier's copy is
          // served under the very stateURI the worker committed and withheld.
          expect(weights).toBeInstanceOf(Uint8Array);
        }
      } finally {
        stop.abort();
        await Promise.all(running);
        await store.close();
      }
    }, 180_000);
  }

  it('skip-update: committing unchanged weights is challenged at the round’s first step', async () => {
    const store = await openStore(join(scratch.dir, 'skip-update'));
    const { run, startBlock } = await createIrisRun({ chain, store, k: K });
    const trainer = new Trainer({
      conn: await connectAs(chain, chain.accounts[1]!),
      store,
      run,
      journalPath: join(scratch.dir, 'skip-update', 'trainer.json'),
      log: testLogger('trainer'),
      metrics: newMetrics(),
      faults: [parseFault('skip-update')],
      pollMs: 100,
      fromBlock: startBlock,
      maxRounds: 1,
    });
    const metrics = newMetrics();
    const verifier = new Verifier({
      conn: await connectAs(chain, chain.accounts[2]!),
      store,
      run,
      journalPath: join(scratch.dir, 'skip-update', 'verifier.json'),
      log: testLogger('verifier'),
      metrics,
      pollMs: 100,
      fromBlock: startBlock,
    });
    const stop = new AbortController();
    // The reveal of a challenge needs a block after its commit.
    const stopMining = keepMining(chain);
    const running = [trainer.run(stop.signal), verifier.run(stop.signal)];
    try {
      const challenge = await waitFor(
        'a challenge',
        async () =>
          (
            await chain.publicClient.getContractEvents({
              address: run,
              abi: trainingRunAbi,
              eventName: 'RoundChallenged',
              fromBlock: startBlock,
            })
          )[0],
        90_000,
      );
      expect(challenge.args).toMatchObject({ round: 0n, stepIndex: 0n, step: 1n });
      expect((await metrics.challengesRaised.get()).values).toEqual([
        expect.objectContaining({ labels: { reason: 'wrong-step' }, value: 1 }),
      ]);
    } finally {
      stopMining();
      stop.abort();
      await Promise.all(running);
      await store.close();
    }
  }, 180_000);
});
