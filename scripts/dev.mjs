#!/usr/bin/env node
// npm run dev: the local stack. At this stage: anvil on 127.0.0.1:8545, a fresh deployment,
// and the contract addresses printed. Later issues add the indexer, IPFS, workers and portal.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { deploy, repoRoot, startAnvil } from './lib/foundry.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.UM_ANVIL_PORT ?? '8545' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`Starts the local Unstoppable Models stack.

Usage: npm run dev [-- --port <anvil port>]

Examples:
  npm run dev
  npm run dev -- --port 9545`);
  process.exit(0);
}

console.log(`[dev] starting anvil on 127.0.0.1:${values.port}`);
const anvil = await startAnvil({ port: Number(values.port) });
const stop = (signal) => {
  console.log(`\n[dev] ${signal}: stopping anvil`);
  anvil.child.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

console.log('[dev] deploying contracts');
await deploy({ rpcUrl: anvil.url });
const deployment = JSON.parse(readFileSync(join(repoRoot, 'deployments', '31337.json'), 'utf8'));
console.log('[dev] ready');
console.log(`  RPC        ${anvil.url}`);
for (const [name, { address }] of Object.entries(deployment.contracts)) {
  console.log(`  ${name.padEnd(10)} ${address}`);
}
console.log('[dev] Ctrl-C to stop');
