import { join } from 'node:path';
import { Engine, evaluate, irisExampleSpec, stateHash, type ContentStore } from '@um/engine';
import { encodeSpec, specHash } from '@um/protocol';
import { attestationCenterAbi, modelMarketAbi, umTokenAbi } from '@um/protocol/abis';
import { createWalletClient, http, parseEther, parseEventLogs, type Address, type Hex } from 'viem';
import type { HDAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFault } from '../src/faults.js';
import { startHttpServer } from '../src/http/server.js';
import { Aggregator } from '../src/roles/aggregator.js';
import { Evaluator } from '../src/roles/evaluator.js';
import { startChain, type TestChain } from './harness/chain.js';
import {
  connectAs,
  newMetrics,
  openStore,
  scratchDir,
  testLogger,
  waitFor,
} from './harness/fixtures.js';

const terms = {
  baselineScore: 100_000n,
  minImprovement: 10_000n,
  rewardPerImprovement: parseEther('1'),
  attestationFee: parseEther('0.01'),
  submissionBond: parseEther('0.2'),
  seedDelay: 2n,
};

describe('three operators + aggregator settle market candidates', () => {
  let chain: TestChain;
  let scratch: { dir: string; remove(): void };
  beforeAll(async () => {
    chain = await startChain();
    scratch = scratchDir('market');
  }, 120_000);
  afterAll(async () => {
    await chain?.stop();
    scratch?.remove();
  });

  const wallet = (account: HDAccount) =>
    createWalletClient({ chain: foundry, transport: http(chain.url), account });
  const send = async (
    account: HDAccount,
    request: {
      address: Address;
      abi: unknown;
      functionName: string;
      args: readonly unknown[];
      value?: bigint;
    },
  ) => {
    const hash = await wallet(account).writeContract(request as never);
    return chain.publicClient.waitForTransactionReceipt({ hash });
  };

  it('an improving candidate becomes the best and is paid; a worse one loses its bond to the signers', async () => {
    const store: ContentStore = await openStore(scratch.dir);
    const [owner, , , , opA, opB, opC, goodOptimizer, badOptimizer] = chain.accounts as HDAccount[];
    const market = chain.address('ModelMarket');
    const center = chain.address('AttestationCenter');

    // Parameters: the initial (random) state, and the same model trained for 60 steps.
    const spec = irisExampleSpec();
    const specURI = await store.addBytes(encodeSpec(spec));
    const engine = await Engine.create(spec);
    const initial = engine.initialState();
    const trained = (await engine.runSteps(initial, 1, 60)).state;
    const publish = async (state: typeof initial): Promise<{ uri: string; hash: Hex }> => ({
      uri: await store.addDirectory({ ...engine.checkpoint(state) }),
      hash: stateHash(state),
    });
    const initialParams = await publish(initial);
    const good = await publish(trained);
    const bad = await publish(initial);

    // Operators: stakes 40/30/30 %; the third signs wrong scores, so only 70 % agree on the truth.
    for (const op of [opA!, opB!, opC!])
      await send(owner!, {
        address: chain.address('UMToken'),
        abi: umTokenAbi,
        functionName: 'transfer',
        args: [op.address, parseEther('1000')],
      });
    const metrics = newMetrics();
    let http_ = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      metrics,
      nodeVersion: 'test',
      services: () => [],
    });
    const aggregator = new Aggregator({
      conn: await connectAs(chain, chain.accounts[9]!),
      market,
      center,
      registry: chain.address('OperatorRegistry'),
      log: testLogger('aggregator'),
      metrics,
    });
    aggregator.mount(http_);
    const stop = new AbortController();
    const evaluatorMetrics = [newMetrics(), newMetrics(), newMetrics()];
    const evaluators = await Promise.all(
      (
        [
          [opA!, '400', []],
          [opB!, '300', []],
          [opC!, '300', [parseFault('wrong-score')]],
        ] as const
      ).map(
        async ([op, stake, faults], i) =>
          new Evaluator({
            conn: await connectAs(chain, op),
            store,
            market,
            center,
            registry: chain.address('OperatorRegistry'),
            token: chain.address('UMToken'),
            aggregatorUrl: http_.url,
            journalPath: join(scratch.dir, `${op.address}.json`),
            log: testLogger(`operator-${op.address}`),
            metrics: evaluatorMetrics[i]!,
            faults,
            registerStake: stake,
            pollMs: 100,
          }),
      ),
    );
    const running = [aggregator.run(stop.signal), ...evaluators.map((e) => e.run(stop.signal))];
    try {
      await waitFor(
        'operators registered',
        () => evaluators.every((e) => e.status() === 'Up'),
        30_000,
      );
      const created = await send(owner!, {
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
            ...terms,
          },
        ],
        value: parseEther('2'),
      });
      const taskId = parseEventLogs({
        abi: modelMarketAbi,
        logs: created.logs,
        eventName: 'TaskCreated',
      })[0]!.args.taskId!;
      const submit = async (optimizer: HDAccount, params: { uri: string; hash: Hex }) => {
        const receipt = await send(optimizer, {
          address: market,
          abi: modelMarketAbi,
          functionName: 'submitCandidate',
          args: [taskId, params.uri, params.hash],
          value: terms.submissionBond,
        });
        return parseEventLogs({
          abi: modelMarketAbi,
          logs: receipt.logs,
          eventName: 'CandidateSubmitted',
        })[0]!.args.candidateId!;
      };
      const goodId = await submit(goodOptimizer!, good);
      const attested = async (id: bigint) =>
        (
          await chain.publicClient.getContractEvents({
            address: center,
            abi: attestationCenterAbi,
            eventName: 'Attested',
            args: { candidateId: id },
            fromBlock: 0n,
          })
        )[0];
      await chain.mine(Number(terms.seedDelay) + 1);
      const first = await waitFor(
        'the improving candidate attested',
        () => attested(goodId),
        60_000,
      );
      // The aggregator goes down (its tallies are in memory) while the operators sign the next
      // candidate; they keep their signatures and resend them to the restarted aggregator.
      const port = Number(new URL(http_.url).port);
      await http_.close();
      const badId = await submit(badOptimizer!, bad);
      await chain.mine(Number(terms.seedDelay) + 1);
      await waitFor(
        'operators signed',
        async () =>
          (await Promise.all(evaluatorMetrics.map((m) => m.attestationsSigned.get()))).every(
            (v) => v.values[0]?.value === 2,
          ),
        60_000,
      );
      expect(await attested(badId)).toBeUndefined();
      http_ = await startHttpServer({
        host: '127.0.0.1',
        port,
        metrics,
        nodeVersion: 'test',
        services: () => [],
      });
      new Aggregator({
        conn: await connectAs(chain, chain.accounts[9]!),
        market,
        center,
        registry: chain.address('OperatorRegistry'),
        log: testLogger('aggregator-2'),
        metrics,
      }).mount(http_);
      const second = await waitFor('the worse candidate attested', () => attested(badId), 60_000);

      // The attested scores are the honest evaluations on each candidate's seed, signed by the two honest operators.
      const honestSigners = [opA!.address, opB!.address].sort((x, y) =>
        BigInt(x) < BigInt(y) ? -1 : 1,
      );
      for (const [event, id, state] of [
        [first, goodId, trained],
        [second, badId, initial],
      ] as const) {
        const candidate = await chain.publicClient.readContract({
          address: market,
          abi: modelMarketAbi,
          functionName: 'getCandidate',
          args: [id],
        });
        expect(event.args.score).toBe(evaluate(engine, state, candidate.seed).score);
        expect(event.args.signers).toEqual(honestSigners);
        expect(event.args.stakeSigned).toBe(parseEther('700'));
        expect(event.args.totalStake).toBe(parseEther('1000'));
      }
      expect(first.args.score!).toBeGreaterThan(second.args.score!);
      const task = await chain.publicClient.readContract({
        address: market,
        abi: modelMarketAbi,
        functionName: 'getTask',
        args: [taskId],
      });
      expect(task.bestCandidateId).toBe(goodId);
      expect(task.bestScore).toBe(first.args.score);

      const credits = (who: Address) =>
        chain.publicClient.readContract({
          address: market,
          abi: modelMarketAbi,
          functionName: 'credits',
          args: [who],
        });
      expect(await credits(goodOptimizer!.address)).toBe(
        terms.rewardPerImprovement + terms.submissionBond,
      );
      expect(await credits(badOptimizer!.address)).toBe(0n);
      for (const op of [opA!, opB!])
        expect(await credits(op.address)).toBe(
          2n * terms.attestationFee + terms.submissionBond / 2n,
        );
      expect(await credits(opC!.address)).toBe(0n);
      expect((await metrics.attestationsSubmitted.get()).values).toEqual([
        expect.objectContaining({ labels: { outcome: 'settled' }, value: 2 }),
      ]);
    } finally {
      stop.abort();
      await Promise.all(running);
      await http_.close();
      engine.dispose();
      await store.close();
    }
  }, 180_000);
});
