// The real parts the end-to-end scenario runs on: anvil (from npm), the contracts deployed by
// contracts/script/Deploy.s.sol, the subgraph built for that deployment, and the embedded indexer
// started through its public CLI (`um-indexer`, see docs/indexer.md) and queried over GraphQL
// exactly as a portal or researcher would.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/build.js';

export const bin = (name: string): string => join(repoRoot, 'node_modules', '.bin', name);

export class HarnessError extends Error {
  override name = 'HarnessError';
}

/** A failure that waiting longer cannot fix (a process exited, the indexer reported an error). */
export class FatalHarnessError extends HarnessError {
  override name = 'FatalHarnessError';
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

async function poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof FatalHarnessError) throw error;
      last = error;
    }
    if (Date.now() > deadline)
      throw new HarnessError(`${what} within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Runs a command to completion; rejects with its output on a non-zero exit. */
export async function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0)
    throw new HarnessError(`${command} ${args.join(' ')} exited with ${code}:\n${output}`);
  return output;
}

export interface Anvil {
  readonly url: string;
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

export async function startAnvil(accounts = 20): Promise<Anvil> {
  const port = await freePort();
  const child = spawn(
    bin('anvil'),
    ['--host', '127.0.0.1', '--port', String(port), '--accounts', String(accounts), '--silent'],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  await poll('anvil did not answer', 15_000, async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    });
    return response.ok ? true : undefined;
  });
  return { url, stop: () => stopChild(child) };
}

/** anvil's first development key (public knowledge; never use it on a real network). */
export const ANVIL_KEY_0 = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

/**
 * Deploys the whole system with the repository's deploy script and returns the path of the
 * deployments/<chainId>.json it wrote (into a folder of its own under ./.data, which forge may
 * write to).
 */
export async function deployContracts(rpcUrl: string, tag: string): Promise<string> {
  const dir = join(repoRoot, '.data', `subgraph-e2e-${tag}`);
  mkdirSync(dir, { recursive: true });
  await run(
    bin('forge'),
    [
      'script',
      'contracts/script/Deploy.s.sol',
      '--rpc-url',
      rpcUrl,
      '--broadcast',
      '--private-key',
      ANVIL_KEY_0,
      '--slow',
    ],
    { UM_DEPLOYMENTS_DIR: dir },
  );
  return join(dir, '31337.json');
}

/** The full ABI of a contract from forge's output. */
export function contractAbi(name: string): readonly unknown[] {
  const path = join(repoRoot, 'contracts', 'out', `${name}.sol`, `${name}.json`);
  return (JSON.parse(readFileSync(path, 'utf8')) as { abi: unknown[] }).abi;
}

export interface GraphQLResult<T> {
  readonly data?: T;
  readonly errors?: readonly { message: string }[];
}

export interface Indexer {
  readonly endpoint: string;
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<T>;
  /** Resolves once `_meta.block.number` ≥ block. */
  waitForBlock(block: bigint, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `um-indexer` (indexer/bin/um-indexer.js) on a free port with its own PGlite data dir. */
export async function startIndexer(args: {
  readonly subgraphDir: string;
  readonly rpcUrl: string;
  readonly dataDir: string;
  readonly name?: string;
}): Promise<Indexer> {
  const port = await freePort();
  const name = args.name ?? 'unstoppable-models';
  let log = '';
  const child = spawn(
    process.execPath,
    [
      join(repoRoot, 'indexer', 'bin', 'um-indexer.js'),
      '--subgraph',
      args.subgraphDir,
      '--rpc',
      args.rpcUrl,
      '--data-dir',
      args.dataDir,
      '--port',
      String(port),
      '--name',
      name,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000)));
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000)));
  const base = `http://127.0.0.1:${port}`;
  const endpoint = `${base}/subgraphs/name/${name}`;
  const failIfExited = (): void => {
    if (child.exitCode !== null)
      throw new FatalHarnessError(`um-indexer exited with ${child.exitCode}:\n${log}`);
  };
  await poll('um-indexer did not become healthy', 60_000, async () => {
    failIfExited();
    const response = await fetch(`${base}/health`);
    return response.status < 500 ? true : undefined;
  });

  const query = async <T>(text: string, variables: Record<string, unknown> = {}): Promise<T> => {
    failIfExited();
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: text, variables }),
    });
    const body = (await response.json()) as GraphQLResult<T>;
    if (body.errors?.length || body.data === undefined)
      throw new HarnessError(`GraphQL errors: ${JSON.stringify(body.errors)}\nquery: ${text}`);
    return body.data;
  };

  return {
    endpoint,
    query,
    async waitForBlock(block, timeoutMs = 300_000) {
      await poll(`the indexer did not reach block ${block}`, timeoutMs, async () => {
        const data = await query<{
          _meta: { block: { number: number }; hasIndexingErrors: boolean };
        }>('{ _meta { block { number } hasIndexingErrors } }');
        if (data._meta.hasIndexingErrors)
          throw new FatalHarnessError(`indexing error reported by _meta:\n${log}`);
        return BigInt(data._meta.block.number) >= block ? true : undefined;
      });
    },
    stop: () => stopChild(child),
  };
}

/** The ten example queries of docs/subgraph.md, by the name in their `<!-- query: … -->` marker. */
export function docsQueries(): Map<string, string> {
  const docs = readFileSync(join(repoRoot, 'docs', 'subgraph.md'), 'utf8');
  const queries = new Map<string, string>();
  for (const match of docs.matchAll(/<!-- query: ([a-z-]+) -->\s*```graphql\n([\s\S]*?)```/g))
    queries.set(match[1]!, match[2]!);
  return queries;
}
