// Paths and helpers for the Foundry binaries that npm installs (@foundry-rs/*), shared by the
// root scripts so nothing depends on a Foundry installed by hand.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);

/**
 * The platform binary of a Foundry tool (e.g. anvil) that @foundry-rs/<tool> installs, so that
 * signals reach the tool itself (the .bin entry is a Node wrapper); the wrapper otherwise.
 */
export function nativeBin(name) {
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch] ?? process.arch;
  const direct = join(
    repoRoot,
    'node_modules',
    '@foundry-rs',
    `${name}-${process.platform}-${arch}`,
    'bin',
    name,
  );
  return existsSync(direct) ? direct : bin(name);
}

/** anvil's first well-known development key: never use it on a real network. */
export const ANVIL_KEY_0 = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

/** Asks the OS for a free loopback port. */
export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** Polls a JSON-RPC endpoint until it answers eth_chainId or the deadline passes. */
export async function waitForRpc(url, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      if (response.ok) return Number((await response.json()).result);
    } catch {
      // not up yet
    }
    if (Date.now() > deadline)
      throw new Error(`no JSON-RPC answer from ${url} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts anvil on loopback and resolves once it answers RPC calls. */
export async function startAnvil({ port, args = [], stdio = 'ignore' } = {}) {
  const child = spawn(bin('anvil'), ['--host', '127.0.0.1', '--port', String(port), ...args], {
    stdio,
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`anvil exited early with code ${code}`);
  });
  await Promise.race([waitForRpc(url), exited]);
  return { child, url };
}

/** Runs a command to completion, streaming its output; rejects on a non-zero exit. */
export async function run(command, args, options = {}) {
  const child = spawn(command, args, { stdio: 'inherit', cwd: repoRoot, ...options });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with code ${code}`);
}

/** Deploys the system with forge script; writes deployments/<chainId>.json. */
export async function deploy({ rpcUrl, privateKey = ANVIL_KEY_0, env = {} }) {
  await run(
    bin('forge'),
    [
      'script',
      'contracts/script/Deploy.s.sol',
      '--rpc-url',
      rpcUrl,
      '--broadcast',
      '--private-key',
      privateKey,
      '--slow',
    ],
    { env: { ...process.env, ...env } },
  );
}
