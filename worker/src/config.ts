import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isAddress, type Address } from 'viem';
import { parseRoles, type Role } from './cli/roles.js';
import { ConfigError } from './errors.js';
import { parseFault, type Fault } from './faults.js';

/** Everything one um-worker process is told; see `um-worker --help` for each field. */
export interface WorkerConfig {
  readonly roles: readonly Role[];
  readonly rpc: string;
  readonly deployments?: string;
  readonly run?: Address;
  readonly runId?: bigint;
  readonly fromBlock?: bigint;
  readonly dataDir: string;
  readonly ipfs: string;
  readonly ipfsGateways: readonly string[];
  readonly gatewayPort?: number;
  readonly httpHost: string;
  readonly httpPort?: number;
  readonly pollMs: number;
  readonly confirmations: number;
  readonly contentTimeoutMs: number;
  readonly rounds?: number;
  readonly trainUnpaid: boolean;
  readonly verifyShare: number;
  readonly faults: readonly Fault[];
  readonly aggregator?: string;
  readonly registerStake?: string;
  readonly tasks?: readonly bigint[];
  readonly logLevel: string;
  readonly keystore?: string;
  readonly passwordFile?: string;
}

/** Raw values by option name, from one source (flags, env or file). */
export type RawConfig = Partial<Record<ConfigKey, string | string[] | boolean>>;

/** option name → environment variable. */
export const envNames = {
  roles: 'UM_ROLES',
  rpc: 'UM_RPC_URL',
  deployments: 'UM_DEPLOYMENTS_DIR',
  run: 'UM_RUN',
  'run-id': 'UM_RUN_ID',
  'from-block': 'UM_FROM_BLOCK',
  'data-dir': 'UM_DATA_DIR',
  ipfs: 'UM_IPFS',
  'ipfs-gateway': 'UM_IPFS_GATEWAY',
  'gateway-port': 'UM_GATEWAY_PORT',
  'http-host': 'UM_HTTP_HOST',
  'http-port': 'UM_HTTP_PORT',
  'poll-ms': 'UM_POLL_MS',
  confirmations: 'UM_CONFIRMATIONS',
  'content-timeout-ms': 'UM_CONTENT_TIMEOUT_MS',
  rounds: 'UM_ROUNDS',
  'train-unpaid': 'UM_TRAIN_UNPAID',
  'verify-share': 'UM_VERIFY_SHARE',
  fault: 'UM_FAULTS',
  aggregator: 'UM_AGGREGATOR_URL',
  'register-stake': 'UM_REGISTER_STAKE',
  task: 'UM_TASKS',
  'log-level': 'UM_LOG_LEVEL',
  keystore: 'UM_KEYSTORE',
  'password-file': 'UM_KEYSTORE_PASSWORD_FILE',
} as const;
export type ConfigKey = keyof typeof envNames;

const list = (value: string | string[] | boolean | undefined): string[] =>
  value === undefined || typeof value === 'boolean'
    ? []
    : (Array.isArray(value) ? value : [value])
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean);

const one = (value: string | string[] | boolean | undefined): string | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value.at(-1) : String(value);

function integer(name: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min)
    throw new ConfigError(`--${name} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}

/** Reads UM_* variables into raw values. */
export function fromEnv(env: NodeJS.ProcessEnv): RawConfig {
  const raw: RawConfig = {};
  for (const [key, name] of Object.entries(envNames) as [ConfigKey, string][]) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  // UM_IPFS_API (a Kubo RPC URL, as docker-compose.yml sets it) is shorthand for UM_IPFS=kubo:<url>.
  if (raw.ipfs === undefined && env.UM_IPFS_API) raw.ipfs = `kubo:${env.UM_IPFS_API}`;
  return raw;
}

/** Reads a JSON config file whose keys are option names (`{"roles": "train", "rpc": "…"}`). */
export function fromFile(path: string): RawConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ConfigError(`config file ${path} must hold a JSON object`);
  const raw: RawConfig = {};
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (!(key in envNames)) throw new ConfigError(`config file ${path}: unknown option "${key}"`);
    if (key === 'privateKey' || key === 'password')
      throw new ConfigError('keys and passwords do not belong in the config file');
    raw[key as ConfigKey] = Array.isArray(value)
      ? value.map(String)
      : typeof value === 'boolean'
        ? value
        : String(value);
  }
  return raw;
}

/** Merges sources (later wins) and validates: flags > env > file > defaults. */
export function resolveConfig(...sources: RawConfig[]): WorkerConfig {
  const raw: RawConfig = Object.assign({}, ...sources);
  const rolesText = one(raw.roles);
  if (!rolesText)
    throw new ConfigError(
      '--roles is required (train, verify, evaluate, aggregate; comma-separated)',
    );
  const roles = parseRoles(rolesText);
  const run = one(raw.run);
  if (run !== undefined && !isAddress(run))
    throw new ConfigError(`--run must be an address, got "${run}"`);
  const runId = one(raw['run-id']);
  if ((roles.includes('train') || roles.includes('verify')) && !run && runId === undefined)
    throw new ConfigError('the train and verify roles need --run <address> or --run-id <n>');
  if (roles.includes('evaluate') && !one(raw.aggregator))
    throw new ConfigError('the evaluate role needs --aggregator <url>');
  const dataDir = resolve(one(raw['data-dir']) ?? '.um-worker');
  const share = Number(one(raw['verify-share']) ?? '1');
  if (!(share > 0 && share <= 1))
    throw new ConfigError(`--verify-share must be in (0, 1], got "${one(raw['verify-share'])}"`);
  const fromBlock = one(raw['from-block']);
  const faults = list(raw.fault).map(parseFault);
  const trainUnpaid = raw['train-unpaid'];
  return {
    roles,
    rpc: one(raw.rpc) ?? 'http://127.0.0.1:8545',
    deployments: one(raw.deployments),
    run: run as Address | undefined,
    runId: runId === undefined ? undefined : BigInt(integer('run-id', runId)!),
    fromBlock: fromBlock === undefined ? undefined : BigInt(integer('from-block', fromBlock)!),
    dataDir,
    ipfs: one(raw.ipfs) ?? `embedded:${resolve(dataDir, 'ipfs')}`,
    ipfsGateways: list(raw['ipfs-gateway']),
    gatewayPort: integer('gateway-port', one(raw['gateway-port'])),
    httpHost: one(raw['http-host']) ?? '127.0.0.1',
    httpPort:
      one(raw['http-port']) === 'off'
        ? undefined
        : (integer('http-port', one(raw['http-port'])) ?? 9464),
    pollMs: integer('poll-ms', one(raw['poll-ms']), 10) ?? 2_000,
    confirmations: integer('confirmations', one(raw.confirmations)) ?? 0,
    contentTimeoutMs: integer('content-timeout-ms', one(raw['content-timeout-ms']), 100) ?? 15_000,
    rounds: integer('rounds', one(raw.rounds), 1),
    trainUnpaid: trainUnpaid === true || trainUnpaid === 'true' || trainUnpaid === '1',
    verifyShare: share,
    faults,
    aggregator: one(raw.aggregator),
    registerStake: one(raw['register-stake']),
    tasks: list(raw.task).map((t) => BigInt(integer('task', t, 1)!)),
    logLevel: one(raw['log-level']) ?? 'info',
    keystore: one(raw.keystore),
    passwordFile: one(raw['password-file']),
  };
}
