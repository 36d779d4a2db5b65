// Entry for running from source (tsx), used by the crash tests; bin/um-worker.js runs the build.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
