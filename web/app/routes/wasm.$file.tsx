/**
 * The TF.js wasm backend's binaries, served from node_modules/@tensorflow/tfjs-backend-wasm/dist
 * for "Verify in my browser" (the engine calls configureWasm('/wasm/')). Only the three known
 * files are served; they never change for a pinned version, so they are cached as immutable.
 */
import type { LoaderFunctionArgs } from '@remix-run/node';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const FILES = new Set([
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
]);

let distDir: string | null = null;
function wasmDist(): string {
  distDir ??= join(
    dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  );
  return distDir;
}

export async function loader({ params }: LoaderFunctionArgs) {
  const file = params.file ?? '';
  if (!FILES.has(file)) {
    throw new Response(`No wasm file named "${file}".`, { status: 404 });
  }
  const bytes = await readFile(join(wasmDist(), file));
  return new Response(bytes, {
    headers: {
      'Content-Type': 'application/wasm',
      'Cache-Control': 'public, max-age=31536000, immutable',
    },
  });
}
