import { getAddress, isAddress, type Address } from 'viem';
import { ProtocolError } from './errors.js';

/** One deployed contract: where it is and the block from which an indexer must follow it. */
export interface DeployedContract {
  readonly address: Address;
  readonly startBlock: number;
}

/**
 * The addresses and start blocks of one deployment of the protocol on one chain, as written by
 * `contracts/script/Deploy.s.sol` to `deployments/<chainId>.json` and read by subgraph, indexer,
 * worker and web.
 */
export interface Deployment {
  readonly chainId: number;
  readonly startBlock: number;
  readonly contracts: Readonly<Record<string, DeployedContract>>;
}

export class DeploymentNotFoundError extends ProtocolError {
  override name = 'DeploymentNotFoundError';
  constructor(
    readonly chainId: number,
    readonly path: string,
  ) {
    super(`No deployment for chain ${chainId} at ${path}: deploy first (npm run deploy:local).`);
  }
}

export class InvalidDeploymentError extends ProtocolError {
  override name = 'InvalidDeploymentError';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`Invalid deployment: ${field} ${problem}`);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isBlockNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Validates an untrusted deployment document; errors name the offending field. */
export function parseDeployment(input: unknown): Deployment {
  if (!isRecord(input)) throw new InvalidDeploymentError('(root)', 'must be an object');
  const { chainId, startBlock, contracts } = input;
  if (!isBlockNumber(chainId) || chainId === 0)
    throw new InvalidDeploymentError('chainId', 'must be a positive integer');
  if (!isBlockNumber(startBlock))
    throw new InvalidDeploymentError('startBlock', 'must be a non-negative integer');
  if (!isRecord(contracts)) throw new InvalidDeploymentError('contracts', 'must be an object');

  const parsed: Record<string, DeployedContract> = {};
  for (const [name, entry] of Object.entries(contracts)) {
    if (!isRecord(entry))
      throw new InvalidDeploymentError(`contracts.${name}`, 'must be an object');
    if (typeof entry.address !== 'string' || !isAddress(entry.address, { strict: false }))
      throw new InvalidDeploymentError(
        `contracts.${name}.address`,
        'must be a 20-byte hex address',
      );
    const contractStart = entry.startBlock ?? startBlock;
    if (!isBlockNumber(contractStart))
      throw new InvalidDeploymentError(
        `contracts.${name}.startBlock`,
        'must be a non-negative integer',
      );
    parsed[name] = { address: getAddress(entry.address), startBlock: contractStart };
  }
  return { chainId, startBlock, contracts: parsed };
}

/** The address of one named contract, or a typed error naming what is missing. */
export function contractAddress(deployment: Deployment, name: string): Address {
  const entry = deployment.contracts[name];
  if (!entry)
    throw new InvalidDeploymentError(
      `contracts.${name}`,
      `is missing on chain ${deployment.chainId}`,
    );
  return entry.address;
}
