import { join } from 'node:path';
import { trainingRunAbi } from '@um/protocol/abis';
import { createWalletClient, http } from 'viem';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Verifier } from '../src/roles/verifier.js';
import { startChain, type TestChain } from './harness/chain.js';
import { startWorkerProcess, type WorkerProcess } from './harness/child.js';
import {
  connectAs,
  createIrisRun,
  newMetrics,
  openStore,
  privateKeyOf,
  runTerms,
  scratchDir,
  testLogger,
  waitFor,
} from './harness/fixtures.js';

const K = 4;

describe('crash/restart of the trainer (kill -9)', () => {
  let chain: TestChain;
  let scratch: { dir: string; remove(): void };
  const children: WorkerProcess[] = [];
  beforeAll(async () => {
    chain = await startChain();
    scratch = scratchDir('crash');
  }, 120_000);
  afterAll(async () => {
    for (const c of children)
      if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await chain?.stop();
    scratch?.remove();
  });

  it('never claims twice, never loses the deposit and never recomputes a published round', async () => {
    const store = await openStore(scratch.dir);
    const { run, startBlock } = await createIrisRun({ chain, store, k: K });
    const trainer = chain.accounts[1]!;
    const args = [
      '--roles',
      'train',
      '--run',
      run,
      '--rpc',
      chain.url,
      '--deployments',
      chain.deploymentsDir,
      '--data-dir',
      join(scratch.dir, 'trainer'),
      '--ipfs',
      `embedded:${join(scratch.dir, 'ipfs')}`,
      '--poll-ms',
      '100',
      '--http-port',
      'off',
      '--rounds',
      '2',
      '--log-level',
      'debug',
      '--from-block',
      String(startBlock),
    ];
    const env = { UM_PRIVATE_KEY: privateKeyOf(trainer) };
    const launch = (crashAt?: string): WorkerProcess => {
      const child = startWorkerProcess(
        args,
        crashAt ? { ...env, UM_WORKER_CRASH_AT: crashAt } : env,
      );
      children.push(child);
      return child;
    };
    const events = async (eventName: 'RoundClaimed' | 'RoundSubmitted' | 'LeaseExpired') =>
      chain.publicClient.getContractEvents({
        address: run,
        abi: trainingRunAbi,
        eventName,
        fromBlock: startBlock,
      });
    const computed = (child: WorkerProcess, round: number) =>
      child.lines.filter((l) => l.msg === 'step computed' && l.round === round).length;

    // 1. killed right after broadcasting the claim
    const a = launch('claim-sent');
    expect((await a.exited).signal).toBe('SIGKILL');
    expect(await events('RoundClaimed')).toHaveLength(1);

    // 2. restarts, rebroadcasts the same signed claim, computes and publishes round 0, killed
    const b = launch('published');
    expect((await b.exited).signal).toBe('SIGKILL');
    expect(b.lines.some((l) => l.msg === 'resuming: rebroadcasting the journaled claim')).toBe(
      true,
    );
    expect(computed(b, 0)).toBe(K);
    expect(await events('RoundClaimed')).toHaveLength(1);
    expect(await events('RoundSubmitted')).toHaveLength(0);

    // 3. restarts with the round published: submits without recomputing, killed after broadcast
    const c = launch('submit-sent');
    expect((await c.exited).signal).toBe('SIGKILL');
    expect(
      c.lines.some(
        (l) => l.msg === 'resuming: round already published, submitting without recomputing',
      ),
    ).toBe(true);
    expect(computed(c, 0)).toBe(0);

    // 4. restarts mid-submit: rebroadcasts the signed submit, then claims round 1 and is killed after
    //    its second step (mid-round)
    const d = launch(`step:${K + 2}`);
    expect((await d.exited).signal).toBe('SIGKILL');
    expect(await events('RoundSubmitted')).toHaveLength(1);
    expect(computed(d, 1)).toBe(2);
    expect(d.lines.some((l) => l.msg === 'resuming: rebroadcasting the journaled submit')).toBe(
      true,
    );
    expect(computed(d, 0)).toBe(0);

    // 5. restarts mid-round 1 and is killed from outside as soon as it resumes, wherever it is
    const x = launch();
    await x.waitForLine((l) => l.msg === 'trainer started');
    x.child.kill('SIGKILL');
    expect((await x.exited).signal).toBe('SIGKILL');

    // 6. restarts: keeps its lease (no new claim), finishes and submits; SIGTERM stops it cleanly
    const e = launch();
    await e.waitForLine((l) => l.msg === 'round budget reached; only finalising now');
    e.child.kill('SIGTERM');
    expect((await e.exited).code).toBe(0);
    expect(e.lines.some((l) => l.msg === 'um-worker stopped')).toBe(true);

    const claims = await events('RoundClaimed');
    const submissions = await events('RoundSubmitted');
    expect(claims.map((l) => [Number(l.args.round), l.args.worker])).toEqual([
      [0, trainer.address],
      [1, trainer.address],
    ]);
    expect(submissions.map((l) => Number(l.args.round))).toEqual([0, 1]);
    expect(await events('LeaseExpired')).toHaveLength(0);
    // Round 0 was computed exactly once over all five processes.
    expect([a, b, c, d, x, e].reduce((n, p) => n + computed(p, 0), 0)).toBe(K);

    // The submitted rounds are honest (a verifier accepts both) and pay back deposit and reward.
    const metrics = newMetrics();
    const verifier = new Verifier({
      conn: await connectAs(chain, chain.accounts[2]!),
      store,
      run,
      journalPath: join(scratch.dir, 'verifier.json'),
      log: testLogger('verifier'),
      metrics,
      pollMs: 100,
      fromBlock: startBlock,
    });
    const stop = new AbortController();
    const verifying = verifier.run(stop.signal);
    try {
      await waitFor(
        'both rounds verified',
        async () =>
          (await metrics.roundsVerified.get()).values.find((v) => v.labels.result === 'valid')
            ?.value === 2,
        60_000,
      );
    } finally {
      stop.abort();
      await verifying;
      await store.close();
    }
    await chain.travel(Number(runTerms.challengeWindow) + 1);
    const wallet = createWalletClient({
      chain: foundry,
      transport: http(chain.url),
      account: chain.accounts[3]!,
    });
    for (const round of [0n, 1n]) {
      await chain.publicClient.waitForTransactionReceipt({
        hash: await wallet.writeContract({
          address: run,
          abi: trainingRunAbi,
          functionName: 'finalize',
          args: [round],
        }),
      });
    }
    const credits = await chain.publicClient.readContract({
      address: run,
      abi: trainingRunAbi,
      functionName: 'credits',
      args: [trainer.address],
    });
    expect(credits).toBe(2n * (runTerms.workerDeposit + runTerms.rewardPerRound));
  }, 240_000);
});
