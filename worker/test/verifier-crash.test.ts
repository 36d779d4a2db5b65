import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeSpec, challengeCommitment } from '@um/protocol';
import { trainingRunAbi } from '@um/protocol/abis';
import { EmbeddedIpfs } from '@um/engine/node';
import type { Address, Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFault } from '../src/faults.js';
import { Trainer } from '../src/roles/trainer.js';
import type { VerifierJournal } from '../src/roles/verifier.js';
import { startChain, type TestChain } from './harness/chain.js';
import { startWorkerProcess, type WorkerProcess } from './harness/child.js';
import {
  connectAs,
  createIrisRun,
  keepMining,
  newMetrics,
  openStore,
  privateKeyOf,
  scratchDir,
  testLogger,
  waitFor,
} from './harness/fixtures.js';

const K = 3;

describe('crash/restart of the verifier between challenge commit and reveal (kill -9)', () => {
  let chain: TestChain;
  let scratch: { dir: string; remove(): void };
  const children: WorkerProcess[] = [];
  beforeAll(async () => {
    chain = await startChain();
    scratch = scratchDir('verifier-crash');
  }, 120_000);
  afterAll(async () => {
    for (const c of children)
      if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await chain?.stop();
    scratch?.remove();
  });

  /** A run whose only round is wrong from step 2 on, and the verifier's CLI arguments for it. */
  async function faultyRound(label: string) {
    const dir = join(scratch.dir, label);
    const store = await openStore(dir);
    const { run, spec, startBlock } = await createIrisRun({ chain, store, k: K, maxRounds: 1n });
    // The verifier process has its own embedded store; it needs only the spec (round 0 starts
    // from the spec's initializer), which has the same CID there.
    const verifierStore = await EmbeddedIpfs.open(join(dir, 'verifier-ipfs'));
    await verifierStore.addBytes(encodeSpec(spec));
    await verifierStore.close();
    const cheat = new Trainer({
      conn: await connectAs(chain, chain.accounts[1]!),
      store,
      run,
      journalPath: join(dir, 'cheat.json'),
      log: testLogger('cheat'),
      metrics: newMetrics(),
      faults: [parseFault('wrong-step:2')],
      pollMs: 100,
      fromBlock: startBlock,
      maxRounds: 1,
      finalize: false,
    });
    const stop = new AbortController();
    const training = cheat.run(stop.signal);
    await waitFor('the cheat to submit', () => cheat.finished, 60_000);
    stop.abort();
    await training;
    await store.close();
    const verifierKey = chain.accounts[2]!;
    const dataDir = join(dir, 'verifier');
    const args = [
      '--roles',
      'verify',
      '--run',
      run,
      '--rpc',
      chain.url,
      '--deployments',
      chain.deploymentsDir,
      '--data-dir',
      dataDir,
      '--ipfs',
      `embedded:${join(dir, 'verifier-ipfs')}`,
      '--poll-ms',
      '100',
      '--http-port',
      'off',
      '--log-level',
      'debug',
      '--from-block',
      String(startBlock),
    ];
    const launch = (crashAt?: string): WorkerProcess => {
      const env = { UM_PRIVATE_KEY: privateKeyOf(verifierKey) };
      const child = startWorkerProcess(
        args,
        crashAt ? { ...env, UM_WORKER_CRASH_AT: crashAt } : env,
      );
      children.push(child);
      return child;
    };
    const journalPath = join(
      dataDir,
      'journal',
      `31337-${verifierKey.address.toLowerCase()}-verify-${run}.json`,
    );
    const commits = async () =>
      chain.publicClient.getContractEvents({
        address: run,
        abi: trainingRunAbi,
        eventName: 'ChallengeCommitted',
        fromBlock: startBlock,
      });
    const challenges = async () =>
      chain.publicClient.getContractEvents({
        address: run,
        abi: trainingRunAbi,
        eventName: 'RoundChallenged',
        fromBlock: startBlock,
      });
    return {
      run,
      launch,
      journalPath,
      commits,
      challenges,
      verifier: verifierKey.address as Address,
    };
  }

  function journaled(path: string): VerifierJournal {
    return JSON.parse(readFileSync(path, 'utf8')) as VerifierJournal;
  }

  it('reveals after a restart: the salt was journaled before the commit was sent', async () => {
    const { run, launch, journalPath, commits, challenges, verifier } = await faultyRound('reveal');
    const stopMining = keepMining(chain);
    try {
      const first = launch('challenge-committed');
      expect((await first.exited).signal).toBe('SIGKILL');
      const [committed] = await commits();
      expect(committed!.args.committer).toBe(verifier);
      expect(await challenges()).toHaveLength(0);
      const [entry] = journaled(journalPath).challenges;
      expect(entry).toMatchObject({ round: 0, stepIndex: 1, phase: 'committed' });
      expect(
        challengeCommitment(run, verifier, entry!.round, entry!.stepIndex, entry!.salt as Hex),
      ).toBe(committed!.args.commitment);

      const second = launch();
      await second.waitForLine((l) => l.msg === 'round challenged', 60_000);
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);
      // The restarted process did not recompute or commit again: it revealed the journaled salt.
      expect(second.lines.some((l) => l.msg === 'verifier started' && l.pending === 1)).toBe(true);
      expect(second.lines.filter((l) => l.msg === 'step computed')).toHaveLength(0);
      const [challenged] = await challenges();
      expect(challenged!.args).toMatchObject({
        round: 0n,
        stepIndex: 1n,
        step: 2n,
        challenger: verifier,
        commitment: committed!.args.commitment,
      });
      expect(await commits()).toHaveLength(1);
      expect(journaled(journalPath).challenges[0]).toMatchObject({
        phase: 'revealed',
        disputeId: challenged!.args.disputeId!.toString(),
      });
    } finally {
      stopMining();
    }
  }, 180_000);

  it('reports a commit whose reveal period ran out while it was down', async () => {
    const { launch, journalPath, commits, challenges } = await faultyRound('expired');
    const first = launch('challenge-committed');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(await commits()).toHaveLength(1);
    await chain.travel(3_600 + 1);
    const second = launch();
    const line = await second.waitForLine(
      (l) => l.msg === 'challenge commit expired before its reveal: the deposit is forfeited',
      60_000,
    );
    expect(line.level).toBe(50); // error
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect(await challenges()).toHaveLength(0);
    expect(journaled(journalPath).challenges).toHaveLength(0);
  }, 180_000);
});
