import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  createPublicClient,
  createWalletClient,
  http,
  keccak256,
  toHex,
  type Abi,
  type Address,
  type Hex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ballotCommitDigest,
  ballotCommitment,
  challengeCommitment,
  CommitmentError,
  Support,
} from '../src/index.js';
import { disputeCourtAbi, trainingRunAbi } from '../src/abis/index.js';

// The helpers must equal the contracts' own views: deploy the real DisputeCourt and TrainingRun
// (forge's artifacts) on a fresh anvil and compare.
const repo = join(import.meta.dirname, '..', '..', '..');
const KEY: Hex = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

function artifact(file: string, name: string): { abi: Abi; bytecode: Hex } {
  const json = JSON.parse(
    readFileSync(join(repo, 'contracts', 'out', file, `${name}.json`), 'utf8'),
  ) as { abi: Abi; bytecode: { object: Hex } };
  return { abi: json.abi, bytecode: json.bytecode.object };
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

describe('commitment helpers equal the deployed contracts’ views', () => {
  let anvil: ChildProcess;
  let court: Address;
  let run: Address;
  let publicClient: ReturnType<typeof createPublicClient>;
  beforeAll(async () => {
    const port = await freePort();
    anvil = spawn(
      join(repo, 'node_modules', '.bin', 'anvil'),
      ['--host', '127.0.0.1', '--port', String(port), '--silent'],
      { stdio: 'ignore' },
    );
    const transport = http(`http://127.0.0.1:${port}`, { retryCount: 50, retryDelay: 100 });
    publicClient = createPublicClient({ chain: foundry, transport, pollingInterval: 50 });
    const account = privateKeyToAccount(KEY);
    const wallet = createWalletClient({ chain: foundry, transport, account });
    const deploy = async (file: string, name: string, args: readonly unknown[]) => {
      const { abi, bytecode } = artifact(file, name);
      const hash = await wallet.deployContract({ abi, bytecode, args } as never);
      return (await publicClient.waitForTransactionReceipt({ hash })).contractAddress!;
    };
    const token = await deploy('UMToken.sol', 'UMToken', [account.address, 10n ** 24n]);
    court = await deploy('DisputeCourt.sol', 'DisputeCourt', [
      token,
      account.address,
      {
        commitPeriod: 150n,
        revealPeriod: 90n,
        unstakeCooldown: 600n,
        quorumBps: 400,
        courtFeeBps: 1000,
      },
    ]);
    run = await deploy('TrainingRun.sol', 'TrainingRun', []);
  }, 60_000);
  afterAll(async () => {
    if (anvil && anvil.exitCode === null) {
      anvil.kill('SIGTERM');
      await once(anvil, 'exit');
    }
  });

  const voters: Address[] = [
    '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    '0x000000000000000000000000000000000000dEaD',
  ];
  const salts: Hex[] = [keccak256(toHex('a')), `0x${'f'.repeat(64)}`, `0x${'0'.repeat(64)}`];

  it('ballotCommitment', async () => {
    for (const disputeId of [1n, 7n, 2n ** 200n])
      for (const voter of voters)
        for (const support of [Support.Fraud, Support.Valid, Support.Abstain])
          for (const salt of salts) {
            const onChain = await publicClient.readContract({
              address: court,
              abi: disputeCourtAbi,
              functionName: 'ballotCommitment',
              args: [disputeId, voter, support, salt],
            });
            expect(ballotCommitment(disputeId, voter, support, salt)).toBe(onChain);
          }
  });

  it('ballotCommitDigest (EIP-712 domain "UM DisputeCourt" version "2")', async () => {
    const chainId = await publicClient.getChainId();
    for (const voter of voters) {
      const commitment = ballotCommitment(3n, voter, Support.Valid, salts[0]!);
      const onChain = await publicClient.readContract({
        address: court,
        abi: disputeCourtAbi,
        functionName: 'ballotCommitDigest',
        args: [3n, voter, commitment],
      });
      expect(
        ballotCommitDigest({ chainId, court, ballot: { disputeId: 3n, voter, commitment } }),
      ).toBe(onChain);
      // the same ballot for another court is another digest
      expect(
        ballotCommitDigest({ chainId, court: run, ballot: { disputeId: 3n, voter, commitment } }),
      ).not.toBe(onChain);
    }
  });

  it('challengeCommitment binds the run it is computed for', async () => {
    for (const [round, stepIndex] of [
      [0n, 0n],
      [5n, 3n],
      [2n ** 64n, 4095n],
    ] as const)
      for (const challenger of voters)
        for (const salt of salts) {
          const onChain = await publicClient.readContract({
            address: run,
            abi: trainingRunAbi,
            functionName: 'challengeCommitment',
            args: [challenger, round, stepIndex, salt],
          });
          expect(challengeCommitment(run, challenger, round, stepIndex, salt)).toBe(onChain);
          expect(challengeCommitment(court, challenger, round, stepIndex, salt)).not.toBe(onChain);
        }
    expect(() => challengeCommitment(run, voters[0]!, 0, -1, salts[0]!)).toThrow(CommitmentError);
    expect(() => challengeCommitment(run, voters[0]!, 0, 0, '0x12')).toThrow(/salt/);
  });
});
