#!/usr/bin/env node
// The dev stack's IPFS node: the engine's embedded node (Helia over a filesystem blockstore, no
// public network) serving its read-only HTTP gateway (/ipfs/<cid>, /health, /metrics). Workers
// and the seeding script write into the same blockstore folder (`--ipfs embedded:<dir>`): blocks
// are content-addressed files written atomically, so several processes can share it, and this
// process serves whatever any of them stored to the portal and the indexer.
import { parseArgs } from 'node:util';
import { EmbeddedIpfs, startGateway } from '@um/engine/node';

const usage = `ipfs-node: serve an embedded IPFS blockstore over a read-only HTTP gateway.

Usage: node scripts/lib/ipfs-node.mjs --dir <blockstore dir> [--port <n>] [--host <addr>]

Examples:
  node scripts/lib/ipfs-node.mjs --dir .data/dev/ipfs --port 8080
  curl http://127.0.0.1:8080/ipfs/<cid>/model.json`;

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (!values.dir) {
  console.error('ipfs-node: --dir is required\n\n' + usage);
  process.exit(2);
}

const store = await EmbeddedIpfs.open(values.dir);
const gateway = await startGateway(store, { host: values.host, port: Number(values.port) });
console.log(`embedded IPFS node: blockstore ${values.dir}, gateway ${gateway.url}/ipfs/<cid>`);

let stopping = false;
const stop = async (signal) => {
  if (stopping) process.exit(1);
  stopping = true;
  console.log(`${signal}: closing the gateway and the blockstore`);
  await gateway.close();
  await store.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
