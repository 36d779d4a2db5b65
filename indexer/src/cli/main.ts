import { pino } from 'pino';
import { ConfigError, IndexerError } from '../errors.js';
import { parseCli, usage } from './options.js';
import { runIndexer } from './run.js';

/** Entry point of the um-indexer command; resolves with the exit code after SIGINT/SIGTERM. */
export async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseCli(argv);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`um-indexer: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (parsed.help) {
    process.stdout.write(usage);
    return 0;
  }
  const logger = pino({ name: 'um-indexer', level: process.env.LOG_LEVEL ?? 'info' });
  let running;
  try {
    running = await runIndexer({
      ...parsed.options,
      logger,
      reorgThreshold: parsed.options.reorgThreshold,
    });
  } catch (error) {
    if (error instanceof IndexerError) {
      process.stderr.write(`um-indexer: ${error.name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  process.stderr.write(`um-indexer: serving ${running.server.endpoint} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      logger.info({ signal }, 'stopping after the current block');
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await running.close();
  return 0;
}
