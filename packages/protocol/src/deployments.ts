// Node-only: reads deployments from disk. Browser code imports parseDeployment from the package root.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DeploymentNotFoundError,
  InvalidDeploymentError,
  parseDeployment,
  type Deployment,
} from './deployment.js';

export * from './deployment.js';

/** The deployments folder at the repository root, unless overridden by UM_DEPLOYMENTS_DIR. */
export function defaultDeploymentsDir(): string {
  return (
    process.env.UM_DEPLOYMENTS_DIR ?? join(import.meta.dirname, '..', '..', '..', 'deployments')
  );
}

/** Reads and validates `deployments/<chainId>.json`. */
export function loadDeployment(chainId: number, dir: string = defaultDeploymentsDir()): Deployment {
  const path = join(dir, `${chainId}.json`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new DeploymentNotFoundError(chainId, path);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidDeploymentError('(root)', `is not JSON: ${(error as Error).message}`);
  }
  const deployment = parseDeployment(json);
  if (deployment.chainId !== chainId)
    throw new InvalidDeploymentError(
      'chainId',
      `is ${deployment.chainId} in ${path}, expected ${chainId}`,
    );
  return deployment;
}
