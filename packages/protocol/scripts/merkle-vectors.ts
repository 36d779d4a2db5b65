#!/usr/bin/env -S npx tsx
// Writes test/vectors/merkle.json from src/merkle.ts: the shared vectors that the Solidity twin
// (contracts/src/libraries/PositionalMerkle.sol) is tested against in
// contracts/test/training/MerkleVectors.t.sol. test/merkle-vectors.test.ts fails if the committed
// file drifts from what merkle.ts computes.
//
// Usage: npx tsx packages/protocol/scripts/merkle-vectors.ts [--check]
//   --check  exit 1 instead of writing when the committed file differs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMerkleVectors } from '../test/vectors/build.js';

const target = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'test',
  'vectors',
  'merkle.json',
);
const text = `${JSON.stringify(buildMerkleVectors(), null, 2)}\n`;

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log('Usage: npx tsx packages/protocol/scripts/merkle-vectors.ts [--check]');
  process.exit(0);
}
if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== text) {
    console.error(`${target} is stale: run npx tsx packages/protocol/scripts/merkle-vectors.ts`);
    process.exit(1);
  }
  console.log(`${target} is up to date`);
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
