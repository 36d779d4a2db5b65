import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Abi, type AbiEvent, type AbiParameter, isHex, keccak256, pad, toBytes } from 'viem';
import { parse as parseYaml } from 'yaml';
import type { EntityData, StoreValue } from '../store/types.js';
import { ManifestError, UnsupportedFeatureError } from './errors.js';
import type {
  BlockHandlerFilter,
  BlockHandlerSpec,
  DataSourceSpec,
  DataSourceTemplateSpec,
  EventHandlerSpec,
  Hex,
  MappingSpec,
  SubgraphManifest,
} from './types.js';

export const MAX_SPEC_VERSION = '1.2.0';
export const SUPPORTED_API_VERSIONS = ['0.0.5', '0.0.6', '0.0.7', '0.0.8', '0.0.9'];

type Yaml = Record<string, unknown>;

function isObject(value: unknown): value is Yaml {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function str(obj: Yaml, key: string, where: string): string {
  const value = obj[key];
  if (typeof value !== 'string' || value === '')
    throw new ManifestError(`\`${key}\` must be a non-empty string`, where);
  return value;
}

/** The canonical Solidity type of an ABI parameter (tuples expanded), as in event signatures. */
export function canonicalType(param: AbiParameter): string {
  if (param.type.startsWith('tuple')) {
    const components = (param as { components: readonly AbiParameter[] }).components;
    return `(${components.map(canonicalType).join(',')})${param.type.slice('tuple'.length)}`;
  }
  return param.type;
}

function eventSignature(event: AbiEvent, withIndexed: boolean): string {
  const inputs = event.inputs.map((i) =>
    withIndexed && i.indexed ? `indexed ${canonicalType(i)}` : canonicalType(i),
  );
  return `${event.name}(${inputs.join(',')})`;
}

/**
 * Finds the ABI event for a manifest signature as graph-node does: exact match with `indexed`
 * markers first; otherwise, when exactly one ABI event has that name, the signature without them.
 */
function findEvent(abi: Abi, signature: string, where: string): AbiEvent {
  const events = abi.filter((item): item is AbiEvent => item.type === 'event');
  const normalized = signature.replace(/\s+/g, ' ').replace(/\s*([(),])\s*/g, '$1');
  const exact = events.find((e) => eventSignature(e, true) === normalized);
  if (exact) return exact;
  const plain = normalized.replace(/indexed /g, '');
  const byName = events.filter((e) => e.name === plain.slice(0, plain.indexOf('(')));
  if (byName.length === 1 && eventSignature(byName[0]!, false) === plain) return byName[0]!;
  throw new ManifestError(`event \`${signature}\` is not in the ABI`, where);
}

function topicFilter(value: unknown, where: string): Hex[] | null {
  if (value === undefined || value === null) return null;
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    const text =
      typeof v === 'number' || typeof v === 'bigint' ? `0x${BigInt(v).toString(16)}` : String(v);
    if (!isHex(text) || text.length > 66)
      throw new ManifestError(
        `topic filter value \`${text}\` is not a hex value of at most 32 bytes`,
        where,
      );
    return pad(text.toLowerCase() as Hex, { size: 32 });
  });
}

function blockFilter(value: unknown, where: string): BlockHandlerFilter {
  if (value === undefined || value === null) return { kind: 'every' };
  if (!isObject(value)) throw new ManifestError('block handler `filter` must be a mapping', where);
  if (value.kind === 'once') return { kind: 'once' };
  if (value.kind === 'polling') {
    const every = Number(value.every);
    if (!Number.isInteger(every) || every <= 0)
      throw new ManifestError('polling filter needs a positive integer `every`', where);
    return { kind: 'polling', every };
  }
  if (value.kind === 'call') {
    throw new UnsupportedFeatureError(
      'block handlers with `filter: {kind: call}` need call traces, which this host does not read',
      where,
    );
  }
  throw new ManifestError(`unknown block handler filter kind \`${String(value.kind)}\``, where);
}

async function readJson(file: string, where: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ManifestError(`cannot read ${file}`, where);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`${file} is not JSON: ${(error as Error).message}`, where);
  }
}

async function loadMapping(
  dir: string,
  raw: unknown,
  abiName: string,
  where: string,
): Promise<MappingSpec> {
  if (!isObject(raw)) throw new ManifestError('`mapping` must be a mapping', where);
  const apiVersion = str(raw, 'apiVersion', where);
  if (!SUPPORTED_API_VERSIONS.includes(apiVersion)) {
    throw new UnsupportedFeatureError(
      `mapping apiVersion ${apiVersion} is not supported (supported: ${SUPPORTED_API_VERSIONS.join(', ')})`,
      where,
    );
  }
  const language = str(raw, 'language', where);
  if (language !== 'wasm/assemblyscript')
    throw new UnsupportedFeatureError(`mapping language ${language}`, where);
  if (raw.callHandlers !== undefined && (raw.callHandlers as unknown[]).length > 0) {
    throw new UnsupportedFeatureError(
      'call handlers need call traces, which this host does not read',
      `${where}.callHandlers`,
    );
  }
  const abis = new Map<string, Abi>();
  for (const [i, entry] of ((raw.abis as unknown[]) ?? []).entries()) {
    const w = `${where}.abis[${i}]`;
    if (!isObject(entry)) throw new ManifestError('ABI entry must be a mapping', w);
    const json = await readJson(path.resolve(dir, str(entry, 'file', w)), w);
    const abi = Array.isArray(json)
      ? json
      : isObject(json) && Array.isArray(json.abi)
        ? json.abi
        : null;
    if (!abi) throw new ManifestError('ABI file must hold a JSON array (or {abi: [...]})', w);
    abis.set(str(entry, 'name', w), abi as Abi);
  }
  const abi = abis.get(abiName);
  if (!abi)
    throw new ManifestError(`source ABI \`${abiName}\` is not listed in mapping.abis`, where);

  const eventHandlers: EventHandlerSpec[] = [];
  const seen = new Set<string>();
  for (const [i, h] of ((raw.eventHandlers as unknown[]) ?? []).entries()) {
    const w = `${where}.eventHandlers[${i}]`;
    if (!isObject(h)) throw new ManifestError('event handler must be a mapping', w);
    const event = str(h, 'event', w);
    const abiEvent = findEvent(abi, event, w);
    const topic0 = keccak256(toBytes(eventSignature(abiEvent, false)));
    const filters = [
      topicFilter(h.topic1, w),
      topicFilter(h.topic2, w),
      topicFilter(h.topic3, w),
    ] as const;
    const key = `${topic0}${JSON.stringify(filters)}`;
    if (seen.has(key))
      throw new ManifestError(
        `Multiple handlers defined for event \`${event}\`, only one is supported`,
        w,
      );
    seen.add(key);
    eventHandlers.push({
      event,
      handler: str(h, 'handler', w),
      topic0,
      topicFilters: filters,
      receipt: h.receipt === true,
      abiEvent,
    });
  }
  const blockHandlers: BlockHandlerSpec[] = ((raw.blockHandlers as unknown[]) ?? []).map((h, i) => {
    const w = `${where}.blockHandlers[${i}]`;
    if (!isObject(h)) throw new ManifestError('block handler must be a mapping', w);
    return { handler: str(h, 'handler', w), filter: blockFilter(h.filter, w) };
  });
  const file = path.resolve(dir, str(raw, 'file', where));
  let wasm: Uint8Array;
  try {
    wasm = new Uint8Array(await readFile(file));
  } catch {
    throw new ManifestError(
      `cannot read the compiled mapping ${file} (run graph build first)`,
      where,
    );
  }
  if (!WebAssembly.validate(wasm))
    throw new ManifestError(`${file} is not a valid WebAssembly module`, where);
  return {
    apiVersion,
    language,
    entities: (raw.entities as string[]) ?? [],
    abis,
    eventHandlers,
    blockHandlers,
    file,
    wasm,
  };
}

/** Static data source `context:` entries, typed as in graph-node (`{type: BigInt, data: "1"}`). */
function readContext(raw: unknown, where: string): EntityData | null {
  if (raw === undefined || raw === null) return null;
  if (!isObject(raw)) throw new ManifestError('`context` must be a mapping', where);
  const out: Record<string, StoreValue> = {};
  const convert = (entry: unknown, w: string): StoreValue => {
    if (!isObject(entry)) throw new ManifestError('context entries are `{type, data}` mappings', w);
    const data = entry.data;
    switch (entry.type) {
      case 'String':
        return { kind: 'String', value: String(data) };
      case 'Int':
        return { kind: 'Int', value: Number(data) };
      case 'Int8':
        return { kind: 'Int8', value: BigInt(String(data)) };
      case 'BigInt':
        return { kind: 'BigInt', value: BigInt(String(data)) };
      case 'BigDecimal':
        return { kind: 'BigDecimal', value: String(data) };
      case 'Bool':
        return { kind: 'Bool', value: data === true || data === 'true' };
      case 'Bytes':
        return { kind: 'Bytes', value: toBytes(String(data) as Hex) };
      case 'List':
        return {
          kind: 'List',
          value: ((data as unknown[]) ?? []).map((d, i) => convert(d, `${w}[${i}]`)),
        };
      default:
        throw new ManifestError(`unknown context type \`${String(entry.type)}\``, w);
    }
  };
  for (const [key, entry] of Object.entries(raw)) out[key] = convert(entry, `${where}.${key}`);
  return out;
}

/** Reads graph-cli build output (the folder holding the built subgraph.yaml). */
export async function loadManifest(dirOrFile: string): Promise<SubgraphManifest> {
  const file =
    dirOrFile.endsWith('.yaml') || dirOrFile.endsWith('.yml')
      ? dirOrFile
      : path.join(dirOrFile, 'subgraph.yaml');
  const dir = path.dirname(path.resolve(file));
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ManifestError(
      `cannot read ${file}; pass the graph-cli build folder (e.g. subgraph/build)`,
    );
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ManifestError(`${file} is not YAML: ${(error as Error).message}`);
  }
  if (!isObject(raw)) throw new ManifestError(`${file} must be a YAML mapping`);
  const specVersion = str(raw, 'specVersion', 'specVersion');
  if (!/^\d+\.\d+\.\d+$/.test(specVersion) || compareVersions(specVersion, MAX_SPEC_VERSION) > 0) {
    throw new UnsupportedFeatureError(
      `specVersion ${specVersion} is not supported (up to ${MAX_SPEC_VERSION})`,
      'specVersion',
    );
  }
  if (!isObject(raw.schema)) throw new ManifestError('`schema.file` is required', 'schema');
  const schemaFile = path.resolve(dir, str(raw.schema, 'file', 'schema'));
  let schema: string;
  try {
    schema = await readFile(schemaFile, 'utf8');
  } catch {
    throw new ManifestError(`cannot read ${schemaFile}`, 'schema');
  }
  const features = Array.isArray(raw.features) ? raw.features.map(String) : [];

  const readBase = async (
    ds: unknown,
    where: string,
  ): Promise<DataSourceTemplateSpec & { source: Yaml; ds: Yaml }> => {
    if (!isObject(ds)) throw new ManifestError('must be a mapping', where);
    const kind = str(ds, 'kind', where);
    if (kind !== 'ethereum/contract' && kind !== 'ethereum') {
      throw new UnsupportedFeatureError(
        `data source kind \`${kind}\` (only ethereum/contract)`,
        where,
      );
    }
    if (!isObject(ds.source)) throw new ManifestError('`source` is required', where);
    const abi = str(ds.source, 'abi', `${where}.source`);
    return {
      kind,
      name: str(ds, 'name', where),
      network: str(ds, 'network', where),
      abi,
      mapping: await loadMapping(dir, ds.mapping, abi, `${where}.mapping`),
      source: ds.source,
      ds,
    };
  };

  const dataSources: DataSourceSpec[] = [];
  for (const [i, ds] of ((raw.dataSources as unknown[]) ?? []).entries()) {
    const where = `dataSources[${i}]`;
    const { source, ds: rawDs, ...base } = await readBase(ds, where);
    const address = source.address === undefined ? null : String(source.address).toLowerCase();
    if (address !== null && !/^0x[0-9a-f]{40}$/.test(address)) {
      throw new ManifestError(`source.address \`${address}\` is not an address`, where);
    }
    const startBlock = source.startBlock === undefined ? 0 : Number(source.startBlock);
    if (!Number.isInteger(startBlock) || startBlock < 0)
      throw new ManifestError('source.startBlock must be a non-negative integer', where);
    const endBlock = source.endBlock === undefined ? null : Number(source.endBlock);
    dataSources.push({
      ...base,
      address: address as Hex | null,
      startBlock,
      endBlock,
      context: readContext(rawDs.context, `${where}.context`),
    });
  }
  if (dataSources.length === 0)
    throw new ManifestError('the manifest has no data sources', 'dataSources');
  const templates: DataSourceTemplateSpec[] = [];
  for (const [i, t] of ((raw.templates as unknown[]) ?? []).entries()) {
    const { source: _s, ds: _d, ...base } = await readBase(t, `templates[${i}]`);
    templates.push(base);
  }
  const networks = new Set([...dataSources, ...templates].map((d) => d.network));
  if (networks.size > 1)
    throw new ManifestError(
      `all data sources must use one network, found ${[...networks].join(', ')}`,
    );
  return {
    specVersion,
    dir,
    schemaFile,
    schema,
    features,
    dataSources,
    templates,
    network: dataSources[0]!.network,
  };
}
