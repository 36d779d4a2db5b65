// Generates subgraph.yaml for one network from a deployments/<chainId>.json document and the
// event ABIs in abis/. The data sources, their mapping files and their events are declared once
// here; event signatures are derived from the ABIs so the manifest can never drift from them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidDeploymentError, ManifestError } from './errors.js';

/** One ABI input as forge writes it. */
export interface AbiParameter {
  readonly name: string;
  readonly type: string;
  readonly indexed?: boolean;
  readonly components?: readonly AbiParameter[];
}

export interface AbiEvent {
  readonly type: 'event';
  readonly name: string;
  readonly inputs: readonly AbiParameter[];
  readonly anonymous?: boolean;
}

/** What the subgraph follows: a static data source (from the deployment) or a template. */
export interface DataSourceSpec {
  /** Data source / template name; also the ABI name (abis/<name>.json). */
  readonly name: string;
  /** Name of the contract in deployments/<chainId>.json (static data sources only). */
  readonly contract?: string;
  readonly template: boolean;
  /** Mapping file under src/. */
  readonly file: string;
  /** Event names, handled by `handle<EventName>` exported from the mapping file. */
  readonly events: readonly string[];
  /** Entity types the mapping writes (graph-node uses this list for documentation only). */
  readonly entities: readonly string[];
}

export const DATA_SOURCES: readonly DataSourceSpec[] = [
  {
    name: 'UMToken',
    contract: 'UMToken',
    template: false,
    file: 'src/token.ts',
    events: ['Transfer'],
    entities: ['Voter', 'Protocol'],
  },
  {
    name: 'RunFactory',
    contract: 'RunFactory',
    template: false,
    file: 'src/run-factory.ts',
    events: ['RunCreated'],
    entities: ['Run', 'RunStats', 'Protocol', 'DailyActivity'],
  },
  {
    name: 'DisputeCourt',
    contract: 'DisputeCourt',
    template: false,
    file: 'src/dispute-court.ts',
    events: [
      'DisputeOpened',
      'VoteCommitted',
      'VoteRevealed',
      'DisputeResolved',
      'RewardClaimed',
      'Staked',
      'UnstakeRequested',
      'Unstaked',
      'ParametersChanged',
    ],
    entities: [
      'Dispute',
      'Ballot',
      'Voter',
      'CourtStakeEvent',
      'CourtRewardClaim',
      'Protocol',
      'DailyActivity',
    ],
  },
  {
    name: 'OperatorRegistry',
    contract: 'OperatorRegistry',
    template: false,
    file: 'src/operator-registry.ts',
    events: [
      'OperatorRegistered',
      'StakeChanged',
      'ExitRequested',
      'OperatorExited',
      'OperatorSlashed',
    ],
    entities: ['Operator', 'StakeChange', 'Protocol', 'DailyActivity'],
  },
  {
    name: 'ModelMarket',
    contract: 'ModelMarket',
    template: false,
    file: 'src/model-market.ts',
    events: [
      'TaskCreated',
      'TaskFunded',
      'TaskClosed',
      'CandidateSubmitted',
      'SeedRecorded',
      'BestModelChanged',
      'BondSlashed',
      'FeePaid',
      'CandidateExpired',
      'Withdrawn',
    ],
    entities: [
      'Task',
      'TaskFunding',
      'Candidate',
      'Optimizer',
      'BestModelChange',
      'Operator',
      'Withdrawal',
      'Protocol',
      'DailyActivity',
    ],
  },
  {
    name: 'AttestationCenter',
    contract: 'AttestationCenter',
    template: false,
    file: 'src/attestation-center.ts',
    events: ['Attested'],
    entities: ['AccuracyScore', 'Candidate', 'Operator', 'Task', 'Protocol', 'DailyActivity'],
  },
  {
    name: 'TrainingRun',
    template: true,
    file: 'src/training-run.ts',
    events: [
      'PoolFunded',
      'RoundClaimed',
      'LeaseExpired',
      'RoundSubmitted',
      'ChallengeCommitted',
      'RoundChallenged',
      'ChallengeExpired',
      'ChallengeReclaimed',
      'ChallengeResolved',
      'RoundInvalidated',
      'ChallengeCancelled',
      'RoundFinalized',
      'RunCompleted',
      'PoolSwept',
      'Withdrawn',
    ],
    entities: [
      'Run',
      'RunStats',
      'RoundSlot',
      'Round',
      'Step',
      'LossBucket',
      'Checkpoint',
      'ChallengeCommit',
      'PoolFunding',
      'Worker',
      'Challenge',
      'Withdrawal',
      'Protocol',
      'DailyActivity',
    ],
  },
];

/** The names every deployment must provide (TrainingRunImplementation and others are ignored). */
export const REQUIRED_CONTRACTS: readonly string[] = DATA_SOURCES.flatMap((ds) =>
  ds.contract === undefined ? [] : [ds.contract],
);

/** graph-node network names by chain id; a deployment on any other chain needs `networkName`. */
export const NETWORK_NAMES: Readonly<Record<number, string>> = {
  1: 'mainnet',
  10: 'optimism',
  8453: 'base',
  42161: 'arbitrum-one',
  17000: 'holesky',
  11155111: 'sepolia',
  31337: 'anvil',
};

export interface DeployedContract {
  readonly address: string;
  readonly startBlock: number;
}

export interface Deployment {
  readonly chainId: number;
  readonly startBlock: number;
  readonly contracts: Readonly<Record<string, DeployedContract>>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isBlock = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * Validates a deployments/<chainId>.json document (the format of docs/architecture.md) and checks
 * that every contract the subgraph follows is present.
 */
export function parseDeployment(input: unknown, source = 'deployment'): Deployment {
  if (!isRecord(input)) throw new InvalidDeploymentError(source, '(root)', 'must be an object');
  const { chainId, startBlock, contracts } = input;
  if (!isBlock(chainId) || chainId === 0)
    throw new InvalidDeploymentError(source, 'chainId', 'must be a positive integer');
  if (!isBlock(startBlock))
    throw new InvalidDeploymentError(source, 'startBlock', 'must be a non-negative integer');
  if (!isRecord(contracts))
    throw new InvalidDeploymentError(source, 'contracts', 'must be an object');
  const parsed: Record<string, DeployedContract> = {};
  for (const name of REQUIRED_CONTRACTS) {
    const entry = contracts[name];
    if (!isRecord(entry))
      throw new InvalidDeploymentError(source, `contracts.${name}`, 'is missing');
    if (typeof entry.address !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(entry.address))
      throw new InvalidDeploymentError(
        source,
        `contracts.${name}.address`,
        'must be a 20-byte hex address',
      );
    const contractStart = entry.startBlock ?? startBlock;
    if (!isBlock(contractStart))
      throw new InvalidDeploymentError(
        source,
        `contracts.${name}.startBlock`,
        'must be a non-negative integer',
      );
    parsed[name] = { address: entry.address.toLowerCase(), startBlock: contractStart };
  }
  return { chainId, startBlock, contracts: parsed };
}

export function readDeployment(path: string): Deployment {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InvalidDeploymentError(path, '(file)', 'cannot be read (deploy first?)');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidDeploymentError(path, '(file)', `is not JSON: ${(error as Error).message}`);
  }
  return parseDeployment(json, path);
}

/** Solidity type as it appears in an event signature: tuples expand to their components. */
export function canonicalType(parameter: AbiParameter): string {
  if (!parameter.type.startsWith('tuple')) return parameter.type;
  const components = (parameter.components ?? []).map(canonicalType).join(',');
  return `(${components})${parameter.type.slice('tuple'.length)}`;
}

/** The signature graph-cli expects in eventHandlers, e.g. `Transfer(indexed address,indexed address,uint256)`. */
export function eventSignature(event: AbiEvent): string {
  const inputs = event.inputs.map((p) => `${p.indexed ? 'indexed ' : ''}${canonicalType(p)}`);
  return `${event.name}(${inputs.join(',')})`;
}

export function readAbiEvents(abisDir: string, name: string): AbiEvent[] {
  const path = join(abisDir, `${name}.json`);
  let abi: unknown;
  try {
    abi = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new ManifestError(`ABI ${path} is missing or unreadable: run scripts/build.ts first`);
  }
  if (!Array.isArray(abi)) throw new ManifestError(`ABI ${path} is not a JSON array`);
  return (abi as { type?: string }[]).filter((item): item is AbiEvent => item.type === 'event');
}

export interface EventHandler {
  readonly event: string;
  readonly handler: string;
}

export interface ManifestDataSource {
  readonly kind: 'ethereum/contract';
  readonly name: string;
  readonly network: string;
  readonly source: {
    readonly abi: string;
    readonly address?: string;
    readonly startBlock?: number;
  };
  readonly mapping: {
    readonly kind: 'ethereum/events';
    readonly apiVersion: string;
    readonly language: 'wasm/assemblyscript';
    readonly entities: readonly string[];
    readonly abis: readonly { readonly name: string; readonly file: string }[];
    readonly eventHandlers: readonly EventHandler[];
    readonly file: string;
  };
}

export interface Manifest {
  readonly specVersion: string;
  readonly description: string;
  readonly repository: string;
  readonly indexerHints: { readonly prune: 'never' };
  readonly schema: { readonly file: string };
  readonly dataSources: readonly ManifestDataSource[];
  readonly templates: readonly ManifestDataSource[];
}

export const SPEC_VERSION = '1.2.0';
export const API_VERSION = '0.0.9';

export interface ManifestOptions {
  readonly deployment: Deployment;
  /** Folder holding <Name>.json event ABIs. */
  readonly abisDir: string;
  /** graph-node network name; defaults to NETWORK_NAMES[chainId]. */
  readonly networkName?: string;
}

/** Builds the manifest object for one deployment. Throws ManifestError on any inconsistency. */
export function buildManifest(options: ManifestOptions): Manifest {
  const { deployment, abisDir } = options;
  const network = options.networkName ?? NETWORK_NAMES[deployment.chainId];
  if (network === undefined)
    throw new ManifestError(
      `no graph-node network name known for chain ${deployment.chainId}: pass --network-name`,
    );
  if (!/^[a-z0-9][a-z0-9-]*$/.test(network))
    throw new ManifestError(`network name "${network}" must be lowercase letters, digits and -`);

  const toDataSource = (spec: DataSourceSpec): ManifestDataSource => {
    const events = readAbiEvents(abisDir, spec.name);
    const eventHandlers = spec.events.map((name): EventHandler => {
      const matches = events.filter((e) => e.name === name);
      if (matches.length !== 1)
        throw new ManifestError(
          `${spec.name}: the ABI has ${matches.length} events named ${name}, expected exactly 1`,
        );
      return { event: eventSignature(matches[0]!), handler: `handle${name}` };
    });
    let source: ManifestDataSource['source'] = { abi: spec.name };
    if (!spec.template) {
      const deployed = deployment.contracts[spec.contract ?? spec.name];
      if (deployed === undefined)
        throw new ManifestError(`the deployment has no contract named ${spec.contract}`);
      source = { address: deployed.address, abi: spec.name, startBlock: deployed.startBlock };
    }
    return {
      kind: 'ethereum/contract',
      name: spec.name,
      network,
      source,
      mapping: {
        kind: 'ethereum/events',
        apiVersion: API_VERSION,
        language: 'wasm/assemblyscript',
        entities: spec.entities,
        abis: [{ name: spec.name, file: `./abis/${spec.name}.json` }],
        eventHandlers,
        file: `./${spec.file}`,
      },
    };
  };

  return {
    specVersion: SPEC_VERSION,
    description:
      'Unstoppable Models: training runs, rounds, steps and loss curves, fraud challenges, the ' +
      'token-holder dispute court, and the model-improvement market with operator attestations.',
    repository: 'https://github.com/unstoppable-models/unstoppable-models',
    indexerHints: { prune: 'never' },
    schema: { file: './schema.graphql' },
    dataSources: DATA_SOURCES.filter((ds) => !ds.template).map(toDataSource),
    templates: DATA_SOURCES.filter((ds) => ds.template).map(toDataSource),
  };
}

// A minimal YAML writer for the manifest's shape (maps, lists, strings, numbers). Strings are
// always double-quoted JSON strings, which YAML accepts verbatim.
function yamlScalar(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const plain =
      /^[A-Za-z.][A-Za-z0-9_./-]*$/.test(value) &&
      !/^(true|false|null|yes|no|on|off|~)$/i.test(value);
    return plain ? value : JSON.stringify(value);
  }
  throw new ManifestError(`cannot write ${typeof value} as YAML`);
}

function yamlLines(value: unknown, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (typeof item !== 'object' || item === null) return [`${indent}- ${yamlScalar(item)}`];
      const [first, ...rest] = yamlLines(item, `${indent}  `);
      return [`${indent}- ${first!.trimStart()}`, ...rest];
    });
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => {
      if (item === undefined) return [];
      if (typeof item === 'object' && item !== null) {
        if (Array.isArray(item) && item.length === 0) return [`${indent}${key}: []`];
        return [`${indent}${key}:`, ...yamlLines(item, `${indent}  `)];
      }
      return [`${indent}${key}: ${yamlScalar(item)}`];
    });
  }
  return [`${indent}${yamlScalar(value)}`];
}

/** The manifest as subgraph.yaml text. */
export function renderManifest(manifest: Manifest, header: string): string {
  const comment = header
    .split('\n')
    .map((line) => `# ${line}`.trimEnd())
    .join('\n');
  return `${comment}\n${yamlLines(manifest, '').join('\n')}\n`;
}
