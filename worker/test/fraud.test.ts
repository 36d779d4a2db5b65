import { join } from 'node:path';
import { disputeCourtAbi, trainingRunAbi } from '@um/protocol/abis';
import { createWalletClient, http, parseEther } from 'viem';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFault } from '../src/faults.js';
import { Trainer } from '../src/roles/trainer.js';
import { Verifier } from '../src/roles/verifier.js';
import { main } from '../src/cli/main.js';
import { judgeDispute } from '../src/vote.js';
import { startChain, type TestChain } from './harness/chain.js';
import {
  connectAs,
  createIrisRun,
  distributeVotes,
  newMetrics,
  openStore,
  privateKeyOf,
  runTerms,
  scratchDir,
  testLogger,
  waitFor,
} from './harness/fixtures.js';

describe('faulty trainer + verifier + token-holder vote', () => {
  let chain: TestChain;
  let scratch: { dir: string; remove(): void };
  beforeAll(async () => {
    chain = await startChain();
    scratch = scratchDir('fraud');
  }, 120_000);
  afterAll(async () => {
    await chain?.stop();
    scratch?.remove();
  });

  it('challenges the wrong step, the vote rules fraud, the run rolls back and an honest trainer continues', async () => {
    const store = await openStore(scratch.dir);
    const [, cheatAccount, verifierAccount, voterA, voterB, relayer, honestAccount] =
      chain.accounts;
    await distributeVotes(chain, [voterA!, voterB!], parseEther('200000000'));
    const { run, startBlock } = await createIrisRun({ chain, store, k: 4 });
    const court = chain.address('DisputeCourt');
    const cheat = new Trainer({
      conn: await connectAs(chain, cheatAccount!),
      store,
      run,
      journalPath: join(scratch.dir, 'cheat.json'),
      log: testLogger('cheat'),
      metrics: newMetrics(),
      faults: [parseFault('wrong-step:6')],
      pollMs: 100,
      fromBlock: startBlock,
      maxRounds: 3,
    });
    const verifierMetrics = newMetrics();
    const verifier = new Verifier({
      conn: await connectAs(chain, verifierAccount!),
      store,
      run,
      journalPath: join(scratch.dir, 'verifier.json'),
      log: testLogger('verifier'),
      metrics: verifierMetrics,
      pollMs: 100,
      fromBlock: startBlock,
    });
    const stop = new AbortController();
    const running = [cheat.run(stop.signal), verifier.run(stop.signal)];
    const stopHonest = new AbortController();
    let honestRun: Promise<void> | undefined;
    try {
      // Step 6 is the second step of round 1: the verifier proves leaf index 1 of round 1.
      const challenged = await waitFor(
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
      expect(challenged.args.round).toBe(1n);
      expect(challenged.args.stepIndex).toBe(1n);
      expect(challenged.args.step).toBe(6n);
      expect(challenged.args.challenger).toBe(verifierAccount!.address);
      const evidence = JSON.parse(
        new TextDecoder().decode(await store.cat(challenged.args.evidenceURI!)),
      ) as { reason: string; step: number };
      expect(evidence).toMatchObject({ reason: 'wrong-step', step: 6 });
      const disputeId = challenged.args.disputeId!;
      await waitFor('the cheat to stop', () => cheat.finished, 60_000);
      // Exactly one challenge: the honest round 0 and the round built on the bad state are not challenged.
      expect(
        await chain.publicClient.getContractEvents({
          address: run,
          abi: trainingRunAbi,
          eventName: 'RoundChallenged',
          fromBlock: startBlock,
        }),
      ).toHaveLength(1);

      // Token holders recompute the step and vote: one directly, one by signature relayed by a third party.
      const voterConn = await connectAs(chain, voterA!);
      const report = await judgeDispute({
        conn: voterConn,
        store,
        court,
        disputeId,
        fromBlock: startBlock,
      });
      expect(report).toMatchObject({
        verdict: 'fraud',
        round: 1,
        stepIndex: 1,
        step: 6,
        state: 'open',
      });
      expect(report.recomputedLeaf).not.toBe(report.committedLeaf);
      // Voter A uses the CLI: a dry run prints the verdict as JSON, then it votes with the verdict.
      const cliOut: string[] = [];
      const cliArgs = [
        'vote',
        '--dispute',
        String(disputeId),
        '--rpc',
        chain.url,
        '--deployments',
        chain.deploymentsDir,
        '--ipfs',
        `embedded:${join(scratch.dir, 'ipfs')}`,
        '--from-block',
        String(startBlock),
      ];
      expect(await main([...cliArgs, '--dry-run', '--json'], {}, (t) => cliOut.push(t))).toBe(0);
      expect(JSON.parse(cliOut.join(''))).toMatchObject({
        support: 'fraud',
        report: { verdict: 'fraud', step: 6 },
      });
      expect(
        await main(cliArgs, { UM_PRIVATE_KEY: privateKeyOf(voterA!) }, (t) => cliOut.push(t)),
      ).toBe(0);
      expect(cliOut.join('')).toMatch(/voted fraud on dispute/);
      const receipt = await chain.publicClient.readContract({
        address: court,
        abi: disputeCourtAbi,
        functionName: 'getReceipt',
        args: [disputeId, voterA!.address],
      });
      expect(receipt).toMatchObject({ hasVoted: true, support: 0 });
      // Voter B only signs (say, on a hardware wallet): the CLI prints the EIP-712 ballot and a
      // relayer sends the signature with the CLI.
      const reason = 'recomputed step 6: fraud';
      const printed: string[] = [];
      expect(
        await main(
          [...cliArgs, '--print-payload', '--voter', voterB!.address, '--reason', reason],
          {},
          (t) => printed.push(t),
        ),
      ).toBe(0);
      const text = printed.join('');
      expect(text).toMatch(/verdict: FRAUD/);
      const payload = JSON.parse(text.slice(text.indexOf('\n{') + 1)) as {
        domain: {
          name: string;
          version: string;
          chainId: number;
          verifyingContract: `0x${string}`;
        };
        types: { Ballot: { name: string; type: string }[] };
        message: {
          disputeId: string;
          support: number;
          voter: `0x${string}`;
          nonce: string;
          reason: string;
        };
      };
      expect(payload.message).toMatchObject({
        disputeId: String(disputeId),
        support: 0,
        voter: voterB!.address,
        reason,
      });
      const signature = await createWalletClient({
        chain: foundry,
        transport: http(chain.url),
        account: voterB!,
      }).signTypedData({
        domain: payload.domain,
        types: payload.types,
        primaryType: 'Ballot',
        message: {
          ...payload.message,
          disputeId: BigInt(payload.message.disputeId),
          nonce: BigInt(payload.message.nonce),
        },
      });
      const relayed: string[] = [];
      expect(
        await main(
          [...cliArgs, '--voter', voterB!.address, '--reason', reason, '--signature', signature],
          { UM_PRIVATE_KEY: privateKeyOf(relayer!) },
          (t) => relayed.push(t),
        ),
      ).toBe(0);
      expect(relayed.join('')).toMatch(/relayed fraud ballot/);
      const receiptB = await chain.publicClient.readContract({
        address: court,
        abi: disputeCourtAbi,
        functionName: 'getReceipt',
        args: [disputeId, voterB!.address],
      });
      expect(receiptB).toMatchObject({ hasVoted: true, support: 0 });

      const votingPeriod = await chain.publicClient.readContract({
        address: court,
        abi: disputeCourtAbi,
        functionName: 'votingPeriod',
      });
      await chain.travel(Number(votingPeriod) + 1);
      const resolved = await waitFor(
        'the ruling',
        async () =>
          (
            await chain.publicClient.getContractEvents({
              address: court,
              abi: disputeCourtAbi,
              eventName: 'DisputeResolved',
              fromBlock: startBlock,
            })
          )[0],
        30_000,
      );
      expect(resolved.args.fraud).toBe(true);
      const invalidated = await chain.publicClient.getContractEvents({
        address: run,
        abi: trainingRunAbi,
        eventName: 'RoundInvalidated',
        fromBlock: startBlock,
      });
      expect(invalidated.map((e) => Number(e.args.round))).toEqual([1, 2]);
      expect(
        await chain.publicClient.readContract({
          address: run,
          abi: trainingRunAbi,
          functionName: 'nextRound',
        }),
      ).toBe(1n);

      // An honest trainer continues from the last valid state (round 0's) and the verifier accepts it.
      const honest = new Trainer({
        conn: await connectAs(chain, honestAccount!),
        store,
        run,
        journalPath: join(scratch.dir, 'honest.json'),
        log: testLogger('honest'),
        metrics: newMetrics(),
        pollMs: 100,
        fromBlock: startBlock,
        maxRounds: 2,
      });
      honestRun = honest.run(stopHonest.signal);
      await waitFor(
        'two valid honest rounds',
        async () => {
          const valid =
            (await verifierMetrics.roundsVerified.get()).values.find(
              (v) => v.labels.result === 'valid',
            )?.value ?? 0;
          return (
            valid >= 3 &&
            (await chain.publicClient.readContract({
              address: run,
              abi: trainingRunAbi,
              functionName: 'nextRound',
            })) === 3n
          );
        },
        90_000,
      );
      const claims = await chain.publicClient.getContractEvents({
        address: run,
        abi: trainingRunAbi,
        eventName: 'RoundClaimed',
        args: { worker: honestAccount!.address },
        fromBlock: startBlock,
      });
      const round0 = (
        await chain.publicClient.getContractEvents({
          address: run,
          abi: trainingRunAbi,
          eventName: 'RoundSubmitted',
          args: { round: 0n },
          fromBlock: startBlock,
        })
      )[0]!;
      expect(claims[0]!.args.round).toBe(1n);
      expect(claims[0]!.args.baseStateHash).toBe(round0.args.finalStateHash);
      await chain.travel(Number(runTerms.challengeWindow) + 1);
      await waitFor(
        'rounds 0-2 final',
        async () =>
          (await chain.publicClient.readContract({
            address: run,
            abi: trainingRunAbi,
            functionName: 'finalizedRounds',
          })) === 3n,
        30_000,
      );
      expect(
        (await verifierMetrics.challengesRaised.get()).values.reduce((n, v) => n + v.value, 0),
      ).toBe(1);

      // Who was paid: the challenger got the cheat's deposit less the court fee plus its own deposit back.
      const ruling = (
        await chain.publicClient.getContractEvents({
          address: run,
          abi: trainingRunAbi,
          eventName: 'ChallengeResolved',
          fromBlock: startBlock,
        })
      )[0]!;
      const fee = (runTerms.workerDeposit * 1000n) / 10_000n;
      expect(ruling.args.winner).toBe(verifierAccount!.address);
      expect(ruling.args.payout).toBe(runTerms.workerDeposit - fee);
      await waitFor(
        'challenger withdrew',
        async () =>
          (
            await chain.publicClient.getContractEvents({
              address: run,
              abi: trainingRunAbi,
              eventName: 'Withdrawn',
              args: { account: verifierAccount!.address },
              fromBlock: startBlock,
            })
          )[0]?.args.amount ===
          runTerms.workerDeposit - fee + runTerms.challengerDeposit,
      );
      const pending = await chain.publicClient.readContract({
        address: court,
        abi: disputeCourtAbi,
        functionName: 'pendingReward',
        args: [disputeId, voterA!.address],
      });
      expect(pending).toBe(fee / 2n);
    } finally {
      stop.abort();
      stopHonest.abort();
      await Promise.all([...running, honestRun]);
      await store.close();
    }
  }, 240_000);
});
