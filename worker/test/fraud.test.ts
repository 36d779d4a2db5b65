import { join } from 'node:path';
import { challengeCommitment } from '@um/protocol';
import { disputeCourtAbi, trainingRunAbi } from '@um/protocol/abis';
import { createWalletClient, http, keccak256, parseEther, toHex, type Hex } from 'viem';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { parseFault } from '../src/faults.js';
import { Trainer } from '../src/roles/trainer.js';
import { Verifier } from '../src/roles/verifier.js';
import { judgeDispute } from '../src/vote.js';
import { startChain, type TestChain } from './harness/chain.js';
import {
  connectAs,
  createIrisRun,
  distributeTokens,
  keepMining,
  newMetrics,
  openStore,
  privateKeyOf,
  runTerms,
  scratchDir,
  testLogger,
  waitFor,
} from './harness/fixtures.js';

describe('faulty trainer + squatter + verifier + staked court', () => {
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

  it('the first diverging step is challenged by commit and reveal, an earlier squat settles first, the fraud is ruled and everyone is paid', async () => {
    const store = await openStore(scratch.dir);
    const [, cheatAccount, verifierAccount, voterA, voterB, relayer, honestAccount, squatter] =
      chain.accounts;
    const court = chain.address('DisputeCourt');
    const { run, startBlock } = await createIrisRun({ chain, store, k: 4 });
    const cli = (dataDir: string) => [
      '--rpc',
      chain.url,
      '--deployments',
      chain.deploymentsDir,
      '--ipfs',
      `embedded:${join(scratch.dir, 'ipfs')}`,
      '--from-block',
      String(startBlock),
      '--data-dir',
      join(scratch.dir, dataDir),
    ];
    const run_ = async (args: string[], key?: Hex) => {
      const out: string[] = [];
      const errors: string[] = [];
      const code = await main(
        args,
        key ? { UM_PRIVATE_KEY: key } : {},
        (t) => out.push(t),
        (t) => errors.push(t),
      );
      expect(code, errors.join('')).toBe(0);
      return out.join('');
    };

    // Voters stake before any dispute opens: weight is the court stake at the dispute's snapshot.
    await distributeTokens(chain, [voterA!, voterB!], parseEther('1000'));
    expect(await run_(['stake', '--amount', '600', ...cli('a')], privateKeyOf(voterA!))).toMatch(
      / 600 UM staked in the court/,
    );
    expect(
      await run_(['stake', '--amount', '200', '--permit', ...cli('b')], privateKeyOf(voterB!)),
    ).toMatch(/ 200 UM staked in the court/);

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
      maxRounds: 2,
    });
    const stop = new AbortController();
    const stopMining = keepMining(chain);
    const running: Promise<void>[] = [cheat.run(stop.signal)];
    try {
      // Attack 2: the cheat's second address challenges a CORRECT step (step 5, index 0) of its
      // own wrong round 1 before anyone else, to hold the round.
      await waitFor(
        'round 1 submitted',
        async () =>
          (
            await chain.publicClient.getContractEvents({
              address: run,
              abi: trainingRunAbi,
              eventName: 'RoundSubmitted',
              args: { round: 1n },
              fromBlock: startBlock,
            })
          )[0],
        90_000,
      );
      const squat = createWalletClient({
        chain: foundry,
        transport: http(chain.url),
        account: squatter!,
      });
      const squatSalt = keccak256(toHex('squat'));
      const squatCommitment = challengeCommitment(run, squatter!.address, 1, 0, squatSalt);
      await chain.publicClient.waitForTransactionReceipt({
        hash: await squat.writeContract({
          address: run,
          abi: trainingRunAbi,
          functionName: 'commitChallenge',
          args: [1n, squatCommitment],
          value: runTerms.challengerDeposit,
        }),
      });
      await chain.mine(1);
      await chain.publicClient.waitForTransactionReceipt({
        hash: await squat.writeContract({
          address: run,
          abi: trainingRunAbi,
          functionName: 'revealChallenge',
          args: [1n, 0n, squatSalt, squatter!.address, ''],
        }),
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
      running.push(verifier.run(stop.signal));
      const challenges = await waitFor(
        "the verifier's challenge",
        async () => {
          const events = await chain.publicClient.getContractEvents({
            address: run,
            abi: trainingRunAbi,
            eventName: 'RoundChallenged',
            fromBlock: startBlock,
          });
          return events.length === 2 && events;
        },
        90_000,
      );
      const [squatted, challenged] = challenges;
      expect(squatted!.args).toMatchObject({ challenger: squatter!.address, seq: 0, step: 5n });
      // Step 6 is the second step of round 1: the first whose on-chain hash is wrong.
      expect(challenged!.args).toMatchObject({
        round: 1n,
        stepIndex: 1n,
        step: 6n,
        challenger: verifierAccount!.address,
        seq: 1,
      });
      const [committed] = await chain.publicClient.getContractEvents({
        address: run,
        abi: trainingRunAbi,
        eventName: 'ChallengeCommitted',
        args: { committer: verifierAccount!.address },
        fromBlock: startBlock,
      });
      expect(committed!.args.commitment).toBe(challenged!.args.commitment);
      expect(committed!.blockNumber).toBeLessThan(challenged!.blockNumber);
      const evidence = JSON.parse(
        new TextDecoder().decode(await store.cat(challenged!.args.evidenceURI!)),
      ) as { reason: string; step: number; priorStateHash: Hex; committedStateHash: Hex };
      const [round1] = await chain.publicClient.getContractEvents({
        address: run,
        abi: trainingRunAbi,
        eventName: 'RoundSubmitted',
        args: { round: 1n },
        fromBlock: startBlock,
      });
      expect(evidence).toMatchObject({
        reason: 'wrong-step',
        step: 6,
        priorStateHash: round1!.args.stateHashes![0]!.toLowerCase(),
        committedStateHash: round1!.args.stateHashes![1]!.toLowerCase(),
      });
      const disputeId = challenged!.args.disputeId!;
      await waitFor('the cheat to stop', () => cheat.finished, 90_000);

      // A voter replays the ONE disputed step from the evidence's prior state.
      const report = await judgeDispute({
        conn: await connectAs(chain, voterA!),
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
        phase: 'commit',
        replayedFrom: 'evidence',
      });
      expect(report.recomputedStateHash).toBe(report.challengerStateHash);
      expect(report.recomputedStateHash).not.toBe(report.committedStateHash);
      // The squat names a correct step: replaying it confirms the worker's hash.
      const squatReport = await judgeDispute({
        conn: await connectAs(chain, voterA!),
        store,
        court,
        disputeId: squatted!.args.disputeId!,
        fromBlock: startBlock,
      });
      expect(squatReport).toMatchObject({ verdict: 'valid', replayedFrom: 'round-base' });

      // Voter A commits with the CLI; voter B signs a BallotCommit that a relayer sends.
      const voteArgs = ['vote', '--dispute', String(disputeId)];
      const dry = JSON.parse(await run_([...voteArgs, '--dry-run', '--json', ...cli('a')])) as {
        support: string;
        report: { verdict: string };
      };
      expect(dry).toMatchObject({ support: 'fraud', report: { verdict: 'fraud' } });
      expect(await run_([...voteArgs, ...cli('a')], privateKeyOf(voterA!))).toMatch(
        /committed a hidden fraud ballot/,
      );
      const printed = JSON.parse(
        await run_([
          ...voteArgs,
          '--print-payload',
          '--voter',
          voterB!.address,
          '--json',
          ...cli('relay'),
        ]),
      ) as {
        payload: {
          domain: { name: string; version: string; chainId: number; verifyingContract: Hex };
          message: { disputeId: string; voter: Hex; commitment: Hex };
        };
      };
      expect(printed.payload.domain).toMatchObject({ name: 'UM DisputeCourt', version: '2' });
      const signature = await createWalletClient({
        chain: foundry,
        transport: http(chain.url),
        account: voterB!,
      }).signTypedData({
        domain: printed.payload.domain,
        types: {
          BallotCommit: [
            { name: 'disputeId', type: 'uint256' },
            { name: 'voter', type: 'address' },
            { name: 'commitment', type: 'bytes32' },
          ],
        },
        primaryType: 'BallotCommit',
        message: {
          ...printed.payload.message,
          disputeId: BigInt(printed.payload.message.disputeId),
        },
      });
      expect(
        await run_(
          [...voteArgs, '--voter', voterB!.address, '--signature', signature, ...cli('relay')],
          privateKeyOf(relayer!),
        ),
      ).toMatch(/relayed the fraud ballot commit/);
      const hidden = await chain.publicClient.readContract({
        address: court,
        abi: disputeCourtAbi,
        functionName: 'getReceipt',
        args: [disputeId, voterB!.address],
      });
      expect(hidden).toMatchObject({
        revealed: false,
        commitment: printed.payload.message.commitment,
      });

      // Reveal phase: reruns reveal from the journals (the relayer reveals B's ballot).
      const dispute = await chain.publicClient.readContract({
        address: court,
        abi: disputeCourtAbi,
        functionName: 'getDispute',
        args: [disputeId],
      });
      const now = (await chain.publicClient.getBlock()).timestamp;
      await chain.travel(Number(dispute.commitDeadline - now) + 1);
      expect(await run_([...voteArgs, ...cli('a')], privateKeyOf(voterA!))).toMatch(
        /revealed the fraud ballot .* with weight 600/,
      );
      expect(
        await run_(
          [...voteArgs, '--voter', voterB!.address, ...cli('relay')],
          privateKeyOf(relayer!),
        ),
      ).toMatch(/revealed the fraud ballot .* with weight 200/);

      // After the reveal phase the verifier resolves the squat (seq 0) first, then its own.
      await chain.travel(Number(dispute.revealDeadline - dispute.commitDeadline) + 1);
      const rulings = await waitFor(
        'both rulings',
        async () => {
          const events = await chain.publicClient.getContractEvents({
            address: court,
            abi: disputeCourtAbi,
            eventName: 'DisputeResolved',
            fromBlock: startBlock,
          });
          return events.length === 2 && events;
        },
        60_000,
      );
      expect(rulings.map((r) => [r.args.disputeId, r.args.fraud])).toEqual([
        [squatted!.args.disputeId, false],
        [disputeId, true],
      ]);
      const invalidated = await chain.publicClient.getContractEvents({
        address: run,
        abi: trainingRunAbi,
        eventName: 'RoundInvalidated',
        fromBlock: startBlock,
      });
      expect(invalidated.map((e) => Number(e.args.round))).toEqual([1]);

      // The challenger is paid 25 % of the slashed deposit plus its own deposit back and withdraws.
      const ruling = (
        await chain.publicClient.getContractEvents({
          address: run,
          abi: trainingRunAbi,
          eventName: 'ChallengeResolved',
          args: { disputeId },
          fromBlock: startBlock,
        })
      )[0]!;
      const reward = (runTerms.workerDeposit * 2_500n) / 10_000n;
      const fee = (runTerms.workerDeposit * 1_000n) / 10_000n;
      expect(ruling.args).toMatchObject({
        fraud: true,
        winner: verifierAccount!.address,
        payout: reward,
        courtFee: fee,
      });
      await waitFor(
        'the challenger withdrew',
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
          reward + runTerms.challengerDeposit,
      );
      // Voters claim their share of the court fee, pro rata to stake (600 : 200).
      expect(await run_([...voteArgs, ...cli('a')], privateKeyOf(voterA!))).toMatch(
        new RegExp(`claimed ${(Number(fee) * 0.75) / 1e18} ETH`),
      );
      expect(
        await chain.publicClient.readContract({
          address: court,
          abi: disputeCourtAbi,
          functionName: 'pendingReward',
          args: [disputeId, voterB!.address],
        }),
      ).toBe(fee / 4n);

      // An honest trainer rebuilds round 1 on round 0's state and the verifier accepts it.
      const honest = new Trainer({
        conn: await connectAs(chain, honestAccount!),
        store,
        run,
        journalPath: join(scratch.dir, 'honest.json'),
        log: testLogger('honest'),
        metrics: newMetrics(),
        pollMs: 100,
        fromBlock: startBlock,
        maxRounds: 1,
      });
      running.push(honest.run(stop.signal));
      await waitFor(
        'the honest round verified',
        async () =>
          ((await verifierMetrics.roundsVerified.get()).values.find(
            (v) => v.labels.result === 'valid',
          )?.value ?? 0) >= 2 && honest.finished,
        90_000,
      );
      const [claim] = await chain.publicClient.getContractEvents({
        address: run,
        abi: trainingRunAbi,
        eventName: 'RoundClaimed',
        args: { worker: honestAccount!.address },
        fromBlock: startBlock,
      });
      const [round0] = await chain.publicClient.getContractEvents({
        address: run,
        abi: trainingRunAbi,
        eventName: 'RoundSubmitted',
        args: { round: 0n },
        fromBlock: startBlock,
      });
      expect(claim!.args).toMatchObject({ round: 1n, baseStateHash: round0!.args.finalStateHash });
      expect(
        (await verifierMetrics.challengesRaised.get()).values.reduce((n, v) => n + v.value, 0),
      ).toBe(1);
    } finally {
      stopMining();
      stop.abort();
      await Promise.all(running);
      await store.close();
    }
  }, 300_000);
});
