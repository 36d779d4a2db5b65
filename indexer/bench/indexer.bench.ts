/**
 * `npm run bench -w indexer`: every indexer benchmark, one after the other — ingestion
 * (bench/ingest.bench.ts, events/s over anvil) and queries (bench/graphql.bench.ts). Each module
 * exports a `run…Bench(argv)` function; modules are found by name so either half can be
 * benchmarked on its own branch.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BENCHES: ReadonlyArray<readonly [file: string, exported: string]> = [
  ['ingest.bench.ts', 'runIngestBench'],
  ['graphql.bench.ts', 'runGraphqlBench'],
];

for (const [file, exported] of BENCHES) {
  const path = fileURLToPath(new URL(`./${file}`, import.meta.url));
  if (!existsSync(path)) continue;
  const module = (await import(path)) as Record<string, (argv: string[]) => Promise<unknown>>;
  await module[exported]!(process.argv.slice(2));
}
