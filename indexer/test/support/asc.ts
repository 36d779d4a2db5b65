import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** The repository's node_modules (graph-ts and assemblyscript live there). */
export const nodeModules = path.resolve(
  path.dirname(require.resolve('@graphprotocol/graph-ts/package.json')),
  '../..',
);
const graphTsGlobal = path.join(nodeModules, '@graphprotocol/graph-ts/global/global.ts');
const ascBin = path.join(nodeModules, 'assemblyscript/bin/asc');

/**
 * Compiles an AssemblyScript mapping exactly as graph-cli 0.98 does
 * (`asc --explicitStart --exportRuntime --runtime stub <file> global.ts --lib node_modules --optimize --debug`),
 * caching the output by source hash under node_modules/.cache so repeated runs are quick.
 */
export async function compileMapping(source: string): Promise<Uint8Array> {
  const text = await readFile(source);
  const hash = createHash('sha256').update(text).update('asc-0.19.23').digest('hex').slice(0, 16);
  const outDir = path.join(path.dirname(source), '.build');
  const out = path.join(outDir, `${path.basename(source, '.ts')}-${hash}.wasm`);
  try {
    await stat(out);
  } catch {
    await mkdir(outDir, { recursive: true });
    await run(
      process.execPath,
      [
        ascBin,
        '--explicitStart',
        '--exportRuntime',
        '--runtime',
        'stub',
        source,
        graphTsGlobal,
        '--baseDir',
        path.dirname(source),
        '--lib',
        nodeModules,
        '--outFile',
        out,
        '--optimize',
        '--debug',
      ],
      { cwd: path.dirname(source), maxBuffer: 16 * 1024 * 1024 },
    );
  }
  return new Uint8Array(await readFile(out));
}
