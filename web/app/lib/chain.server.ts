/**
 * Where the chain is and which contracts to call: UM_RPC_URL (default anvil), UM_CHAIN_ID (default
 * 31337) and the deployment file deployments/<chainId>.json written by the deploy script
 * (UM_DEPLOYMENTS_DIR overrides the folder). A missing deployment is not an error for read-only
 * pages; the voting panel says what is missing.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type ChainConfig = {
  chainId: number;
  rpcUrl: string;
  token: `0x${string}` | null;
  court: `0x${string}` | null;
  problem: string | null;
};

export function chainConfig(): ChainConfig {
  const chainId = Number(process.env.UM_CHAIN_ID || 31337);
  const rpcUrl = process.env.UM_RPC_URL || 'http://127.0.0.1:8545';
  const dir = process.env.UM_DEPLOYMENTS_DIR || resolve(process.cwd(), '..', 'deployments');
  const path = join(dir, `${chainId}.json`);
  try {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as {
      contracts?: Record<string, { address?: string }>;
    };
    const addr = (name: string) => {
      const a = doc.contracts?.[name]?.address;
      return a && /^0x[0-9a-fA-F]{40}$/.test(a) ? (a as `0x${string}`) : null;
    };
    return { chainId, rpcUrl, token: addr('UMToken'), court: addr('DisputeCourt'), problem: null };
  } catch {
    return {
      chainId,
      rpcUrl,
      token: null,
      court: null,
      problem: `no deployment file at ${path} (run npm run deploy:local)`,
    };
  }
}
