// Runs the real build (graph codegen + graph build with graph-cli, offline) for a deployment that
// differs from the example network, then inspects the compiled WASM of every data source.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSubgraph, findWarnings, subgraphDir, type BuildResult } from '../scripts/build.js';

/** Host functions graph-node provides to Ethereum subgraphs (docs: shared graph-host reference). */
const HOST_FUNCTIONS = new Set([
  'abort',
  'store.get',
  'store.get_in_block',
  'store.set',
  'store.remove',
  'store.loadRelated',
  'typeConversion.bytesToHex',
  'typeConversion.bigIntToString',
  'typeConversion.bigIntToHex',
  'typeConversion.bytesToString',
  'typeConversion.stringToH160',
  'typeConversion.bytesToBase58',
  'bigInt.plus',
  'bigInt.minus',
  'bigInt.times',
  'bigInt.dividedBy',
  'bigInt.mod',
  'bigInt.pow',
  'bigInt.fromString',
  'bigInt.dividedByDecimal',
  'bigDecimal.toString',
  'bigDecimal.fromString',
  'bigDecimal.plus',
  'bigDecimal.minus',
  'bigDecimal.times',
  'bigDecimal.dividedBy',
  'bigDecimal.equals',
  'crypto.keccak256',
  'log.log',
  'dataSource.create',
  'dataSource.createWithContext',
  'dataSource.address',
  'dataSource.network',
  'dataSource.context',
]);

/** The slice of the WebAssembly JS API used here (ES2023 lib typings do not include it). */
interface WasmModuleApi {
  compile(bytes: Uint8Array): Promise<object>;
  Module: {
    exports(module: object): { name: string; kind: string }[];
    imports(module: object): { module: string; name: string; kind: string }[];
  };
}
const WebAssembly = (globalThis as unknown as { WebAssembly: WasmModuleApi }).WebAssembly;

let tmp: string;
let result: BuildResult;

const wasmPath = (kind: 'dataSource' | 'template', name: string): string =>
  kind === 'template'
    ? join(result.outputDir!, 'templates', name, `${name}.wasm`)
    : join(result.outputDir!, name, `${name}.wasm`);

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'um-subgraph-build-'));
  const deployment = join(tmp, '424242.json');
  const address = (n: number): string => `0x${n.toString(16).padStart(40, 'a')}`;
  const contracts: Record<string, { address: string; startBlock?: number }> = {};
  ['UMToken', 'RunFactory', 'DisputeCourt', 'OperatorRegistry', 'ModelMarket'].forEach(
    (name, i) => (contracts[name] = { address: address(i + 1), startBlock: 17 + i }),
  );
  // No startBlock: inherits the deployment's.
  contracts.AttestationCenter = { address: address(6) };
  writeFileSync(deployment, JSON.stringify({ chainId: 424242, startBlock: 17, contracts }));
  const lines: string[] = [];
  result = await buildSubgraph({
    deployment,
    networkName: 'test-net',
    manifestName: '.build-test.yaml',
    outputDir: join(tmp, 'build'),
    log: (line) => lines.push(line),
  });
  expect(findWarnings(lines.join('\n'))).toEqual([]);
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(join(subgraphDir, '.build-test.yaml'), { force: true });
});

describe('graph build', () => {
  it('writes a built manifest for the requested network, addresses and start blocks', () => {
    const built = readFileSync(join(result.outputDir!, 'subgraph.yaml'), 'utf8');
    expect(built.match(/network: test-net/g)?.length).toBe(7);
    expect(built).toContain(`address: "0x${'1'.padStart(40, 'a')}"`);
    expect(built).toContain('startBlock: 21');
    expect(built).toMatch(
      new RegExp(
        `address: "0x${'6'.padStart(40, 'a')}"\\s+abi: AttestationCenter\\s+startBlock: 17`,
      ),
    );
    expect(built).toContain('file: schema.graphql');
    expect(readFileSync(join(result.outputDir!, 'schema.graphql'), 'utf8')).toBe(
      readFileSync(join(subgraphDir, 'schema.graphql'), 'utf8'),
    );
  });

  it('compiles WASM that exports every handler named in the manifest', async () => {
    const sources = [
      ...result.manifest.dataSources.map((ds) => ['dataSource', ds] as const),
      ...result.manifest.templates.map((ds) => ['template', ds] as const),
    ];
    expect(sources).toHaveLength(7);
    for (const [kind, ds] of sources) {
      const module = await WebAssembly.compile(readFileSync(wasmPath(kind, ds.name)));
      const exports = WebAssembly.Module.exports(module)
        .filter((e) => e.kind === 'function')
        .map((e) => e.name);
      for (const { handler } of ds.mapping.eventHandlers)
        expect(exports, ds.name).toContain(handler);
      // What graph-node needs to run a mapping built by graph-cli (stub runtime, explicit start).
      for (const name of ['_start', 'id_of_type', '__new', 'allocate'])
        expect(exports, ds.name).toContain(name);
      expect(WebAssembly.Module.exports(module).some((e) => e.name === 'memory')).toBe(true);
    }
  });

  it('imports only host functions graph-node provides, and never makes contract calls', async () => {
    for (const ds of [...result.manifest.dataSources, ...result.manifest.templates]) {
      const kind = ds.name === 'TrainingRun' ? 'template' : 'dataSource';
      const module = await WebAssembly.compile(readFileSync(wasmPath(kind, ds.name)));
      for (const { name } of WebAssembly.Module.imports(module))
        expect(HOST_FUNCTIONS, `${ds.name} imports ${name}`).toContain(name);
    }
  });

  it('creates the TrainingRun template from RunFactory’s mapping', async () => {
    const bytes = readFileSync(wasmPath('dataSource', 'RunFactory'));
    const module = await WebAssembly.compile(bytes);
    expect(WebAssembly.Module.imports(module).map((i) => i.name)).toContain('dataSource.create');
    // AssemblyScript stores string literals as UTF-16: the template name must be the manifest's.
    expect(Buffer.from(bytes).includes(Buffer.from('TrainingRun', 'utf16le'))).toBe(true);
    expect(result.manifest.templates[0]!.name).toBe('TrainingRun');
  });
});

describe('warnings are errors', () => {
  it('finds graph-cli and AssemblyScript warnings, with or without colours', () => {
    expect(findWarnings('✔ Compile subgraph\n  Build completed')).toEqual([]);
    expect(findWarnings('\u001b[33mWARNING\u001b[0m AS201: Conversion from i64 to i32')).toEqual([
      'WARNING AS201: Conversion from i64 to i32',
    ]);
    expect(findWarnings('⚠ Warnings while validating manifest')).toHaveLength(1);
  });
});
