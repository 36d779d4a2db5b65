/** `npm run bench -w indexer`: every indexer benchmark, one after the other. */
import { runIngestBench } from './ingest.bench.js';

await runIngestBench(process.argv.slice(2));
