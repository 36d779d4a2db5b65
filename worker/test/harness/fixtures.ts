import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Engine, irisExampleSpec, stateHash, type ContentStore } from '@um/engine';
import { EmbeddedIpfs } from '@um/engine/node';
import { encodeSpec, specHash, type RunSpecInput } from '@um/protocol';
import { runFactoryAbi, umTokenAbi } from '@um/protocol/abis';
import { parseEther, parseEventLogs, type Address, type Hex } from 'viem';
import type { HDAccount } from 'viem/accounts';
import { connect, type ChainConnection } from '../../src/chain/client.js';
import { createLogger, type Logger } from '../../src/log.js';
import { WorkerMetrics } from '../../src/metrics.js';
import { repoRoot, type TestChain } from './chain.js';

export const runTerms = {
  leaseDuration: 600n,
  challengeWindow: 600n,
  workerDeposit: parseEther('1'),
  challengerDeposit: parseEther('0.5'),
  rewardPerRound: parseEther('0.1'),
} as const;

/** A scratch folder under ./.data, removed by the returned cleanup. */
export function scratchDir(label: string): { dir: string; remove(): void } {
  mkdirSync(join(repoRoot, '.data'), { recursive: true });
  const dir = mkdtempSync(join(repoRoot, '.data', `${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function openStore(dir: string): Promise<ContentStore> {
  return EmbeddedIpfs.open(join(dir, 'ipfs'));
}

/** Quiet logs unless UM_TEST_LOGS is set. */
export function testLogger(name: string): Logger {
  return createLogger({ name, level: process.env.UM_TEST_LOGS ? 'debug' : 'silent' });
}

export async function connectAs(chain: TestChain, account: HDAccount): Promise<ChainConnection> {
  const key = account.getHdKey().privateKey!;
  const { privateKeyToAccount } = await import('viem/accounts');
  return connect({
    rpcUrl: chain.url,
    account: privateKeyToAccount(`0x${Buffer.from(key).toString('hex')}` as Hex),
    pollingIntervalMs: 50,
  });
}

export const privateKeyOf = (account: HDAccount): Hex =>
  `0x${Buffer.from(account.getHdKey().privateKey!).toString('hex')}`;

/** Creates an iris run (k steps per round) whose spec lives in `store`. */
export async function createIrisRun(args: {
  chain: TestChain;
  store: ContentStore;
  k: number;
  pool?: bigint;
  maxRounds?: bigint;
}): Promise<{ run: Address; spec: RunSpecInput; initialStateHash: Hex; startBlock: bigint }> {
  const spec = irisExampleSpec({ stepsPerRound: args.k });
  const specURI = await args.store.addBytes(encodeSpec(spec));
  const engine = await Engine.create(spec);
  const initialStateHash = stateHash(engine.initialState());
  engine.dispose();
  const { chain } = args;
  const owner = chain.accounts[0]!;
  const { createWalletClient, http } = await import('viem');
  const { foundry } = await import('viem/chains');
  const wallet = createWalletClient({ chain: foundry, transport: http(chain.url), account: owner });
  const startBlock = await chain.publicClient.getBlockNumber();
  const hash = await wallet.writeContract({
    address: chain.address('RunFactory'),
    abi: runFactoryAbi,
    functionName: 'createRun',
    args: [
      {
        specHash: specHash(spec),
        specURI,
        initialStateHash,
        stepsPerRound: BigInt(args.k),
        maxRounds: args.maxRounds ?? 0n,
        ...runTerms,
      },
    ],
    value: args.pool ?? parseEther('1'),
  });
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  const created = parseEventLogs({
    abi: runFactoryAbi,
    logs: receipt.logs,
    eventName: 'RunCreated',
  })[0]!;
  return { run: created.args.run, spec, initialStateHash, startBlock };
}

/** Gives `holders` UM tokens from account 0 (they stake them in the court themselves). */
export async function distributeTokens(
  chain: TestChain,
  holders: readonly HDAccount[],
  amount: bigint,
): Promise<void> {
  const { createWalletClient, http } = await import('viem');
  const { foundry } = await import('viem/chains');
  const admin = createWalletClient({
    chain: foundry,
    transport: http(chain.url),
    account: chain.accounts[0]!,
  });
  for (const holder of holders) {
    const sent = await admin.writeContract({
      address: chain.address('UMToken'),
      abi: umTokenAbi,
      functionName: 'transfer',
      args: [holder.address, amount],
    });
    await chain.publicClient.waitForTransactionReceipt({ hash: sent });
  }
}

/**
 * Mines an empty block every `everyMs` until stopped. Anvil mines only on transactions, and a
 * challenge's reveal must come at least one block after its commit.
 */
export function keepMining(chain: TestChain, everyMs = 500): () => void {
  const timer = setInterval(() => void chain.mine(1).catch(() => {}), everyMs);
  return () => clearInterval(timer);
}

export const newMetrics = (): WorkerMetrics => new WorkerMetrics({ defaultMetrics: false });

/** Polls `check` until it returns a truthy value or the timeout passes. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 60_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
