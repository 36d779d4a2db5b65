#!/usr/bin/env -S npx tsx
// Writes test/vectors/ballot.json: a commitVoteBySig BallotCommit signed with viem from
// src/eip712/ballot.ts, for Solidity tests to submit to a real DisputeCourt (v2 domain).
// test/ballot.test.ts fails if the committed file drifts.
//
// Usage: npx tsx packages/protocol/scripts/ballot-vectors.ts
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBallotVector } from '../test/vectors/ballot-vector.js';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(
    'Usage: npx tsx packages/protocol/scripts/ballot-vectors.ts  (rewrites test/vectors/ballot.json)',
  );
  process.exit(0);
}
const target = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'test',
  'vectors',
  'ballot.json',
);
writeFileSync(target, `${JSON.stringify(await buildBallotVector(), null, 2)}\n`);
console.log(`wrote ${target}`);
