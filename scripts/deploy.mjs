#!/usr/bin/env node
// npm run deploy:local [-- --rpc-url <url>]: deploys the contracts (default: local anvil on 8545)
// and writes deployments/<chainId>.json.
import { parseArgs } from 'node:util';
import { ANVIL_KEY_0, deploy, waitForRpc } from './lib/foundry.mjs';

const { values } = parseArgs({
  options: {
    'rpc-url': { type: 'string', default: process.env.UM_RPC_URL ?? 'http://127.0.0.1:8545' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`Deploys the Unstoppable Models contracts and writes deployments/<chainId>.json.

Usage: npm run deploy:local [-- --rpc-url <url>]
Env:   UM_PRIVATE_KEY (default: anvil's first dev key), UM_TOKEN_HOLDER, UM_TOKEN_SUPPLY

Examples:
  npm run deploy:local
  UM_PRIVATE_KEY=0x... npm run deploy:local -- --rpc-url http://127.0.0.1:9545`);
  process.exit(0);
}
const rpcUrl = values['rpc-url'];
const chainId = await waitForRpc(rpcUrl, 5_000);
await deploy({ rpcUrl, privateKey: process.env.UM_PRIVATE_KEY ?? ANVIL_KEY_0 });
console.log(`deployed to chain ${chainId}: deployments/${chainId}.json`);
