import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import {
  type Abi,
  createPublicClient,
  createTestClient,
  createWalletClient,
  type Hex,
  http,
  type PublicClient,
  type TestClient,
  type WalletClient,
} from 'viem';
import { foundry } from 'viem/chains';
import { nodeModules } from './asc.js';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** A real anvil chain on a free loopback port, with viem clients. */
export class Anvil {
  private constructor(
    private readonly process: ChildProcess,
    readonly url: string,
    readonly publicClient: PublicClient,
    readonly wallet: WalletClient,
    readonly test: TestClient,
    readonly account: Hex,
  ) {}

  static async start(): Promise<Anvil> {
    const port = await freePort();
    const child = spawn(
      path.join(nodeModules, '.bin/anvil'),
      ['--host', '127.0.0.1', '--port', String(port)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`anvil did not start: ${out}`)), 30_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Listening on')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`anvil exited with ${code}: ${out}`)));
    });
    child.stdout!.resume();
    child.stderr!.resume();
    const url = `http://127.0.0.1:${port}`;
    const transport = http(url, { batch: false });
    const publicClient = createPublicClient({ chain: foundry, transport }) as PublicClient;
    const [account] = (await publicClient.request({ method: 'eth_accounts' } as never)) as Hex[];
    const wallet = createWalletClient({ chain: foundry, transport, account: account! });
    const test = createTestClient({ chain: foundry, transport, mode: 'anvil' });
    return new Anvil(child, url, publicClient, wallet, test, account!);
  }

  async deploy(abi: Abi, bytecode: Hex): Promise<{ address: Hex; block: number }> {
    const hash = await this.wallet.deployContract({
      abi,
      bytecode,
      account: this.account,
      chain: foundry,
    });
    const receipt = await this.publicClient.waitForTransactionReceipt({
      hash,
      pollingInterval: 20,
    });
    return { address: receipt.contractAddress!, block: Number(receipt.blockNumber) };
  }

  async send(address: Hex, abi: Abi, functionName: string, args: unknown[] = []): Promise<number> {
    const hash = await this.wallet.writeContract({
      address,
      abi,
      functionName,
      args,
      account: this.account,
      chain: foundry,
      gas: 25_000_000n,
    });
    const receipt = await this.publicClient.waitForTransactionReceipt({
      hash,
      pollingInterval: 20,
    });
    if (receipt.status !== 'success') throw new Error(`${functionName} reverted`);
    return Number(receipt.blockNumber);
  }

  async blockNumber(): Promise<number> {
    return Number(await this.publicClient.getBlockNumber({ cacheTime: 0 }));
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill('SIGTERM');
    await exited;
  }
}
