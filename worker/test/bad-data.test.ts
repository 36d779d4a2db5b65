import { join } from 'node:path';
import { trainingRunAbi } from '@um/protocol/abis';
import { keccak256 } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFault } from '../src/faults.js';
import { Trainer } from '../src/roles/trainer.js';
import { Verifier } from '../src/roles/verifier.js';
import { judgeDispute } from '../src/vote.js';
import { startChain, type TestChain } from './harness/chain.js';
import {
  connectAs,
  createIrisRun,
  newMetrics,
  openStore,
  scratchDir,
  testLogger,
  waitFor,
} from './harness/fixtures.js';

const K = 3;

describe('bad data: checkpoints that do not match the commitment', () => {
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

  for (const [fault, reason, checkpoint] of [
    ['bad-checkpoint', 'checkpoint-mismatch', 'mismatch'],
    ['withhold-checkpoint', 'checkpoint-unavailable', 'unavailable'],
  ] as const) {
    it(`${fault}: the verifier challenges the round's last step and voters see fraud`, async () => {
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
        const [submission] = await chain.publicClient.getContractEvents({
          address: run,
          abi: trainingRunAbi,
          eventName: 'RoundSubmitted',
          fromBlock: startBlock,
        });
        // The committed root and leaves are honest; only the published bytes are wrong or missing.
        expect(challenge.args.stepIndex).toBe(BigInt(K - 1));
        expect((await metrics.challengesRaised.get()).values).toEqual([
          expect.objectContaining({ labels: { reason }, value: 1 }),
        ]);
        if (fault === 'bad-checkpoint') {
          const weights = await store.cat(submission!.args.stateURI!, 'weights.bin');
          const slots = await store.cat(submission!.args.stateURI!, 'optimizer.bin');
          const served = keccak256(new Uint8Array([...weights, ...slots]));
          expect(served).not.toBe(submission!.args.finalStateHash);
        } else {
          await expect(store.cat(submission!.args.stateURI!, 'weights.bin')).rejects.toThrow();
        }
        const report = await judgeDispute({
          conn: await connectAs(chain, chain.accounts[3]!),
          store,
          court: chain.address('DisputeCourt'),
          disputeId: challenge.args.disputeId!,
          fromBlock: startBlock,
          contentTimeoutMs: 2_000,
        });
        expect(report).toMatchObject({ verdict: 'fraud', checkpoint, stepIndex: K - 1 });
        // The recomputed step itself matches: only the data is at fault.
        expect(report.recomputedLeaf).toBe(report.committedLeaf.toLowerCase());
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
      stop.abort();
      await Promise.all(running);
      await store.close();
    }
  }, 180_000);
});
