import { ConfigError } from '../errors.js';
import { parseRoles, roles } from './roles.js';

export const usage = `um-worker: train, verify, evaluate and aggregate for Unstoppable Models.

Usage:
  um-worker --roles <${roles.join('|')}>[,...] [options]

Examples:
  um-worker --roles train,verify --rpc http://127.0.0.1:8545
  um-worker --help
`;

/** Entry point of the um-worker command. */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage);
    return 0;
  }
  try {
    const index = argv.indexOf('--roles');
    parseRoles(index >= 0 ? (argv[index + 1] ?? '') : '');
    process.stderr.write('um-worker: the roles are not built yet (see worker/README)\n');
    return 1;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`um-worker: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
