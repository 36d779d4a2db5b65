import { ConfigError } from '../errors.js';
import { parseCli, usage } from './options.js';

/** Entry point of the um-indexer command. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const parsed = parseCli(argv);
    if (parsed.help) {
      process.stdout.write(usage);
      return 0;
    }
    process.stderr.write('um-indexer: the indexing host is not built yet (see docs/indexer.md)\n');
    return 1;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`um-indexer: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
