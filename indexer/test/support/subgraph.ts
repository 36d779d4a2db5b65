import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Abi, type Hex } from 'viem';
import { promisify } from 'node:util';
import { compileMapping, nodeModules } from './asc.js';
import { fixtures } from './probe-runtime.js';

const builds: string[] = [];

/** Removes every folder the build helpers created in this process (call from afterAll). */
export async function removeTestBuilds(): Promise<void> {
  for (const dir of builds.splice(0)) await rm(dir, { recursive: true, force: true });
}

export interface EmitterArtifacts {
  readonly Emitter: { abi: Abi; bytecode: Hex };
  readonly Child: { abi: Abi; bytecode: Hex };
}

export async function emitterArtifacts(): Promise<EmitterArtifacts> {
  return JSON.parse(
    await readFile(path.join(fixtures, 'emitter/Emitter.json'), 'utf8'),
  ) as EmitterArtifacts;
}

/**
 * Lays out the test subgraph as `graph build` does (subgraph.yaml, schema, ABIs, one .wasm per
 * data source and template) in a temporary folder, compiling the mappings with graph-cli's asc flags.
 */
export async function buildTestSubgraph(
  address: Hex,
  startBlock: number,
  options: { nonFatalErrors?: boolean } = {},
): Promise<string> {
  const src = path.join(fixtures, 'subgraph');
  const out = await mkdtemp(path.join(tmpdir(), 'um-subgraph-'));
  builds.push(out);
  const artifacts = await emitterArtifacts();
  await mkdir(path.join(out, 'Emitter/abis'), { recursive: true });
  await mkdir(path.join(out, 'Child/abis'), { recursive: true });
  await mkdir(path.join(out, 'templates/Child'), { recursive: true });
  await writeFile(
    path.join(out, 'Emitter/abis/Emitter.json'),
    JSON.stringify(artifacts.Emitter.abi),
  );
  await writeFile(path.join(out, 'Child/abis/Child.json'), JSON.stringify(artifacts.Child.abi));
  await writeFile(
    path.join(out, 'Emitter/Emitter.wasm'),
    await compileMapping(path.join(src, 'emitter.ts')),
  );
  await writeFile(
    path.join(out, 'templates/Child/Child.wasm'),
    await compileMapping(path.join(src, 'child.ts')),
  );
  await copyFile(path.join(src, 'schema.graphql'), path.join(out, 'schema.graphql'));
  const manifest = (await readFile(path.join(src, 'subgraph.yaml'), 'utf8'))
    .replaceAll('__ADDRESS__', address)
    .replaceAll('__START_BLOCK__', String(startBlock))
    .replace(
      'schema:\n',
      options.nonFatalErrors ? 'features:\n  - nonFatalErrors\nschema:\n' : 'schema:\n',
    );
  await writeFile(path.join(out, 'subgraph.yaml'), manifest);
  return out;
}

/**
 * Builds the test subgraph with graph-cli itself (`graph build`, offline): a source layout
 * (subgraph.yaml pointing at the .ts mappings and ABIs) in a temporary folder, compiled to
 * `<dir>/build`, which is returned. Slower than `buildTestSubgraph` (~10–30 s).
 */
export async function graphBuildTestSubgraph(address: Hex, startBlock: number): Promise<string> {
  const src = path.join(fixtures, 'subgraph');
  const dir = await mkdtemp(path.join(tmpdir(), 'um-graph-build-'));
  builds.push(dir);
  const artifacts = await emitterArtifacts();
  await mkdir(path.join(dir, 'abis'));
  await writeFile(path.join(dir, 'abis/Emitter.json'), JSON.stringify(artifacts.Emitter.abi));
  await writeFile(path.join(dir, 'abis/Child.json'), JSON.stringify(artifacts.Child.abi));
  for (const file of ['emitter.ts', 'child.ts', 'schema.graphql']) {
    await copyFile(path.join(src, file), path.join(dir, file));
  }
  await symlink(nodeModules, path.join(dir, 'node_modules'));
  const manifest = (await readFile(path.join(src, 'subgraph.yaml'), 'utf8'))
    .replaceAll('__ADDRESS__', address)
    .replaceAll('__START_BLOCK__', String(startBlock))
    .replace('file: Emitter/abis/Emitter.json', 'file: ./abis/Emitter.json')
    .replace('file: Child/abis/Child.json', 'file: ./abis/Child.json')
    .replace('file: Emitter/Emitter.wasm', 'file: ./emitter.ts')
    .replace('file: templates/Child/Child.wasm', 'file: ./child.ts');
  await writeFile(path.join(dir, 'subgraph.yaml'), manifest);
  const graph = path.join(nodeModules, '@graphprotocol/graph-cli/bin/run.js');
  await promisify(execFile)(process.execPath, [graph, 'build', '--output-dir', 'build'], {
    cwd: dir,
    maxBuffer: 16 * 1024 * 1024,
  });
  return path.join(dir, 'build');
}
