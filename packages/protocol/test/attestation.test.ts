import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  getAddress,
  getContractAddress,
  http,
  keccak256,
  parseEther,
  parseEventLogs,
  stringToHex,
  type Abi,
  type Address,
  type Hex,
} from 'viem';
import { mnemonicToAccount, privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attestationCenterAbi,
  modelMarketAbi,
  operatorRegistryAbi,
  umTokenAbi,
} from '../src/abis/index.js';
import {
  AttestationError,
  attestationDigest,
  attestationTypedData,
  hasAttestationQuorum,
  orderAttestationSignatures,
  recoverAttestationSigner,
  type Attestation,
} from '../src/index.js';

const repo = join(import.meta.dirname, '..', '..', '..');

/** The vector also asserted by contracts/test/market/AttestationCenter.t.sol. */
const vectorTarget = {
  chainId: 31337,
  attestationCenter: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
} as const;
const vectorMessage: Attestation = {
  candidateId: 7n,
  paramsHash: keccak256(stringToHex('params')),
  seed: keccak256(stringToHex('seed')),
  score: -1_234_567n,
};
const VECTOR_DIGEST = '0xb5df527c7978802807f90e5cda89cc7c3561e7b9def9a5e3e67c1e020efdf1c5';

describe('attestation typed data', () => {
  it('hashes to the digest the Solidity contract computes', () => {
    expect(attestationDigest(vectorTarget, vectorMessage)).toBe(VECTOR_DIGEST);
  });

  it('binds the digest to the chain id and the contract', () => {
    const otherChain = attestationDigest({ ...vectorTarget, chainId: 1 }, vectorMessage);
    const otherContract = attestationDigest(
      { ...vectorTarget, attestationCenter: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512' },
      vectorMessage,
    );
    expect(new Set([VECTOR_DIGEST, otherChain, otherContract]).size).toBe(3);
  });

  it('recovers the signer of a viem signature', async () => {
    const account = privateKeyToAccount(keccak256(stringToHex('operator key')));
    const signature = await account.signTypedData(
      attestationTypedData(vectorTarget, vectorMessage),
    );
    await expect(recoverAttestationSigner(vectorTarget, vectorMessage, signature)).resolves.toBe(
      account.address,
    );
  });

  it.each([
    [{ ...vectorMessage, candidateId: 0n }, 'candidateId'],
    [{ ...vectorMessage, paramsHash: '0x1234' as Hex }, 'paramsHash'],
    [{ ...vectorMessage, seed: '0x' as Hex }, 'seed'],
    [{ ...vectorMessage, score: 2n ** 255n }, 'score'],
  ])('rejects a malformed message (%#: %s)', (message, field) => {
    expect(() => attestationTypedData(vectorTarget, message)).toThrow(AttestationError);
    expect(() => attestationTypedData(vectorTarget, message)).toThrow(field);
  });

  it('rejects a malformed domain', () => {
    expect(() => attestationDigest({ ...vectorTarget, chainId: 0 }, vectorMessage)).toThrow(
      AttestationError,
    );
    expect(() =>
      attestationDigest({ ...vectorTarget, attestationCenter: '0x12' as Address }, vectorMessage),
    ).toThrow(/attestationCenter/);
  });

  it('orders signatures by ascending signer and refuses duplicates', () => {
    const low = '0x00000000000000000000000000000000000000aa' as const;
    const high = '0xFF00000000000000000000000000000000000000' as const;
    expect(
      orderAttestationSignatures([
        { signer: high, signature: '0x02' },
        { signer: low, signature: '0x01' },
      ]),
    ).toEqual(['0x01', '0x02']);
    expect(() =>
      orderAttestationSignatures([
        { signer: low, signature: '0x01' },
        { signer: low.toUpperCase().replace('0X', '0x') as Address, signature: '0x01' },
      ]),
    ).toThrow(/signed twice/);
  });

  it('applies the strict two-thirds quorum', () => {
    expect(hasAttestationQuorum(2n, 3n)).toBe(false);
    expect(hasAttestationQuorum(2001n, 3000n)).toBe(true);
    expect(hasAttestationQuorum(0n, 0n)).toBe(false);
  });
});

// ------------------------------------------------------------------ on a real chain

const MNEMONIC = 'test test test test test test test test test test test junk';
const accounts = Array.from({ length: 7 }, (_, i) =>
  mnemonicToAccount(MNEMONIC, { addressIndex: i }),
);
type DevAccount = (typeof accounts)[number];
const [deployer, op1, op2, op3, op4, optimizer, aggregator] = accounts as [
  DevAccount,
  DevAccount,
  DevAccount,
  DevAccount,
  DevAccount,
  DevAccount,
  DevAccount,
];

function bytecode(file: string, name: string): Hex {
  const artifact = JSON.parse(
    readFileSync(join(repo, 'contracts', 'out', file, `${name}.json`), 'utf8'),
  ) as { bytecode: { object: Hex } };
  return artifact.bytecode.object;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('attestations on anvil', () => {
  let anvil: ChildProcess;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    anvil = spawn(join(repo, 'node_modules', '.bin', 'anvil'), [
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--silent',
    ]);
    url = `http://127.0.0.1:${port}`;
    const client = createPublicClient({ chain: foundry, transport: http(url) });
    for (let i = 0; ; i++) {
      try {
        await client.getChainId();
        break;
      } catch (error) {
        if (i > 100) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }, 20_000);

  afterAll(() => {
    anvil?.kill();
  });

  it('settles a candidate with viem-signed attestations from four operators', async () => {
    const publicClient = createPublicClient({ chain: foundry, transport: http(url) });
    const testClient = createTestClient({ chain: foundry, mode: 'anvil', transport: http(url) });
    const wallet = (account: DevAccount) =>
      createWalletClient({ account, chain: foundry, transport: http(url) });
    const send = async (hash: Promise<Hex>) => {
      const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
      expect(receipt.status).toBe('success');
      return receipt;
    };
    const deploy = async (abi: Abi, code: Hex, args: readonly unknown[]) => {
      const receipt = await send(wallet(deployer).deployContract({ abi, bytecode: code, args }));
      return getAddress(receipt.contractAddress!);
    };

    const token = await deploy(umTokenAbi, bytecode('UMToken.sol', 'UMToken'), [
      deployer.address,
      parseEther('1000000'),
    ]);
    const nonce = await publicClient.getTransactionCount({ address: deployer.address });
    const predicted = getContractAddress({ from: deployer.address, nonce: BigInt(nonce + 2) });
    const registry = await deploy(
      operatorRegistryAbi,
      bytecode('OperatorRegistry.sol', 'OperatorRegistry'),
      [token, predicted, parseEther('100'), 60n],
    );
    const market = await deploy(modelMarketAbi, bytecode('ModelMarket.sol', 'ModelMarket'), [
      predicted,
      1000n,
    ]);
    const center = await deploy(
      attestationCenterAbi,
      bytecode('AttestationCenter.sol', 'AttestationCenter'),
      [registry, market],
    );
    expect(center).toBe(predicted);

    const operators = [op1, op2, op3, op4];
    for (const op of operators) {
      await send(
        wallet(deployer).writeContract({
          address: token,
          abi: umTokenAbi,
          functionName: 'transfer',
          args: [op.address, parseEther('1000')],
        }),
      );
      await send(
        wallet(op).writeContract({
          address: token,
          abi: umTokenAbi,
          functionName: 'approve',
          args: [registry, parseEther('1000')],
        }),
      );
      await send(
        wallet(op).writeContract({
          address: registry,
          abi: operatorRegistryAbi,
          functionName: 'register',
          args: [parseEther('1000')],
        }),
      );
    }

    await send(
      wallet(deployer).writeContract({
        address: market,
        abi: modelMarketAbi,
        functionName: 'createTask',
        value: parseEther('5'),
        args: [
          {
            archURI: 'ipfs://arch',
            initialParamsURI: 'ipfs://p0',
            initialParamsHash: keccak256(stringToHex('p0')),
            evalSpecURI: 'ipfs://eval',
            evalSpecHash: keccak256(stringToHex('eval')),
            baselineScore: 500_000n,
            minImprovement: 10_000n,
            rewardPerImprovement: parseEther('1'),
            attestationFee: parseEther('0.01'),
            submissionBond: parseEther('0.1'),
            seedDelay: 2n,
          },
        ],
      }),
    );
    const paramsHash = keccak256(stringToHex('better params'));
    await send(
      wallet(optimizer).writeContract({
        address: market,
        abi: modelMarketAbi,
        functionName: 'submitCandidate',
        value: parseEther('0.1'),
        args: [1n, 'ipfs://better', paramsHash],
      }),
    );
    await testClient.mine({ blocks: 3 });
    await send(
      wallet(aggregator).writeContract({
        address: market,
        abi: modelMarketAbi,
        functionName: 'recordSeed',
        args: [1n],
      }),
    );
    const [seed] = await publicClient.readContract({
      address: market,
      abi: modelMarketAbi,
      functionName: 'seedOf',
      args: [1n],
    });

    const target = { chainId: foundry.id, attestationCenter: center };
    const message: Attestation = { candidateId: 1n, paramsHash, seed, score: 620_000n };
    const onChainDigest = await publicClient.readContract({
      address: center,
      abi: attestationCenterAbi,
      functionName: 'attestationDigest',
      args: [1n, paramsHash, seed, 620_000n],
    });
    expect(attestationDigest(target, message)).toBe(onChainDigest);

    const signed = await Promise.all(
      operators.map(async (op) => ({
        signer: op.address,
        signature: await op.signTypedData(attestationTypedData(target, message)),
      })),
    );
    const receipt = await send(
      wallet(aggregator).writeContract({
        address: center,
        abi: attestationCenterAbi,
        functionName: 'attest',
        args: [1n, 620_000n, orderAttestationSignatures(signed)],
      }),
    );

    const [attested] = parseEventLogs({
      abi: attestationCenterAbi,
      eventName: 'Attested',
      logs: receipt.logs,
    });
    expect(attested?.args.stakeSigned).toBe(parseEther('4000'));
    expect(attested?.args.signers).toEqual(
      operators.map((op) => op.address).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)),
    );
    const [best] = parseEventLogs({
      abi: modelMarketAbi,
      eventName: 'BestModelChanged',
      logs: receipt.logs,
    });
    expect(best?.args).toMatchObject({
      candidateId: 1n,
      newScore: 620_000n,
      optimizer: optimizer.address,
    });
    const task = await publicClient.readContract({
      address: market,
      abi: modelMarketAbi,
      functionName: 'getTask',
      args: [1n],
    });
    expect(task.bestScore).toBe(620_000n);
  }, 60_000);
});
