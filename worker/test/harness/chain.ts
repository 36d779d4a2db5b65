import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { loadDeployment, type Deployment } from '@um/protocol/deployments';
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  getContractAddress,
  http,
  type Abi,
  type Address,
  type Hex,
} from 'viem';
import { mnemonicToAccount, type HDAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');
const bin = (name: string): string => join(repoRoot, 'node_modules', '.bin', name);
const MNEMONIC = 'test test test test test test test test test test test junk';
/** anvil's account 0 key (public knowledge; local chains only). */
export const ANVIL_KEY_0: Hex =
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

async function waitForRpc(url: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`anvil did not answer at ${url}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${code}:\n${output.slice(-3000)}`);
}

function artifact(file: string, name: string): { abi: Abi; bytecode: Hex } {
  const json = JSON.parse(
    readFileSync(join(repoRoot, 'contracts', 'out', file, `${name}.json`), 'utf8'),
  ) as {
    abi: Abi;
    bytecode: { object: Hex };
  };
  return { abi: json.abi, bytecode: json.bytecode.object };
}

export interface TestChain {
  readonly url: string;
  readonly port: number;
  readonly deploymentsDir: string;
  readonly deployment: Deployment;
  readonly accounts: readonly HDAccount[];
  readonly publicClient: ReturnType<typeof createPublicClient>;
  readonly testClient: ReturnType<typeof createTestClient>;
  address(name: string): Address;
  /** Moves block time forward and mines a block. */
  travel(seconds: number): Promise<void>;
  mine(blocks?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Parameters the test harness gives contracts that Deploy.s.sol does not deploy (yet). */
export const harnessParameters = {
  court: {
    commitPeriod: 150n,
    revealPeriod: 90n,
    unstakeCooldown: 600n,
    quorumBps: 400,
    courtFeeBps: 1_000,
  },
  minStake: 1n,
  exitCooldown: 3_600n,
  expiryBlocks: 1_000n,
} as const;

/**
 * Starts anvil on a free port and deploys the system with `forge script
 * contracts/script/Deploy.s.sol` into a fresh deployments folder under ./.data. Contracts the
 * script does not deploy yet are deployed from forge's artifacts with viem (same bytecode).
 */
export async function startChain(): Promise<TestChain> {
  const port = await freePort();
  const anvil: ChildProcess = spawn(
    bin('anvil'),
    ['--host', '127.0.0.1', '--port', String(port), '--silent', '--accounts', '12'],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForRpc(url);
  const deploymentsDir = join(repoRoot, '.data', `worker-test-${process.pid}-${port}`);
  mkdirSync(deploymentsDir, { recursive: true });
  await run(
    bin('forge'),
    [
      'script',
      'contracts/script/Deploy.s.sol',
      '--rpc-url',
      url,
      '--broadcast',
      '--private-key',
      ANVIL_KEY_0,
    ],
    { ...process.env, UM_DEPLOYMENTS_DIR: deploymentsDir },
  );
  let deployment = loadDeployment(31337, deploymentsDir);
  const accounts = Array.from({ length: 12 }, (_, i) =>
    mnemonicToAccount(MNEMONIC, { addressIndex: i }),
  );
  const transport = http(url);
  const publicClient = createPublicClient({ chain: foundry, transport, pollingInterval: 50 });
  const testClient = createTestClient({ chain: foundry, transport, mode: 'anvil' });
  deployment = await completeDeployment(
    deployment,
    publicClient,
    createWalletClient({ chain: foundry, transport, account: accounts[0]! }),
  );
  // Child processes (um-worker CLI) read the completed deployment from disk.
  writeFileSync(join(deploymentsDir, '31337.json'), JSON.stringify(deployment, null, 2));
  return {
    url,
    port,
    deploymentsDir,
    deployment,
    accounts,
    publicClient,
    testClient,
    address(name) {
      const entry = deployment.contracts[name];
      if (!entry) throw new Error(`no ${name} in the deployment`);
      return entry.address;
    },
    async travel(seconds) {
      await testClient.increaseTime({ seconds });
      await testClient.mine({ blocks: 1 });
    },
    async mine(blocks = 1) {
      await testClient.mine({ blocks });
    },
    async stop() {
      anvil.kill('SIGTERM');
      if (anvil.exitCode === null) await once(anvil, 'exit');
      rmSync(deploymentsDir, { recursive: true, force: true });
    },
  };
}

async function completeDeployment(
  deployment: Deployment,
  publicClient: ReturnType<typeof createPublicClient>,
  wallet: ReturnType<typeof createWalletClient<ReturnType<typeof http>, typeof foundry, HDAccount>>,
): Promise<Deployment> {
  const contracts: Record<string, { address: Address; startBlock: number }> = {
    ...deployment.contracts,
  };
  const deployer = wallet.account.address;
  const startBlock = Number(await publicClient.getBlockNumber());
  const deploy = async (file: string, name: string, args: readonly unknown[]): Promise<Address> => {
    const { abi, bytecode } = artifact(file, name);
    const hash = await wallet.deployContract({ abi, bytecode, args } as never);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    return receipt.contractAddress!;
  };
  const token = contracts.UMToken!.address;
  if (!contracts.DisputeCourt || !contracts.RunFactory) {
    const p = harnessParameters;
    const court = await deploy('DisputeCourt.sol', 'DisputeCourt', [token, deployer, p.court]);
    const implementation = await deploy('TrainingRun.sol', 'TrainingRun', []);
    const factory = await deploy('RunFactory.sol', 'RunFactory', [court, implementation]);
    const hash = await wallet.writeContract({
      address: court,
      abi: artifact('DisputeCourt.sol', 'DisputeCourt').abi,
      functionName: 'setRegistrar',
      args: [factory],
    } as never);
    await publicClient.waitForTransactionReceipt({ hash });
    contracts.DisputeCourt = { address: court, startBlock };
    contracts.TrainingRun = { address: implementation, startBlock };
    contracts.RunFactory = { address: factory, startBlock };
  }
  if (!contracts.ModelMarket || !contracts.AttestationCenter || !contracts.OperatorRegistry) {
    // registry(token, center) ← market(center) ← center(registry, market): predict the center.
    const nonce = await publicClient.getTransactionCount({ address: deployer });
    const center = getContractAddress({ from: deployer, nonce: BigInt(nonce + 2) });
    const p = harnessParameters;
    const registry = await deploy('OperatorRegistry.sol', 'OperatorRegistry', [
      token,
      center,
      p.minStake,
      p.exitCooldown,
    ]);
    const market = await deploy('ModelMarket.sol', 'ModelMarket', [center, p.expiryBlocks]);
    const deployed = await deploy('AttestationCenter.sol', 'AttestationCenter', [registry, market]);
    if (deployed.toLowerCase() !== center.toLowerCase())
      throw new Error('AttestationCenter address prediction failed');
    contracts.OperatorRegistry = { address: registry, startBlock };
    contracts.ModelMarket = { address: market, startBlock };
    contracts.AttestationCenter = { address: center, startBlock };
  }
  return { ...deployment, contracts };
}
