import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DeploymentNotFoundError,
  InvalidDeploymentError,
  contractAddress,
  loadDeployment,
  parseDeployment,
} from '../src/deployments.js';

const valid = {
  chainId: 31337,
  startBlock: 3,
  contracts: {
    UMToken: { address: '0x5fbdb2315678afecb367f032d93f642f64180aa3', startBlock: 1 },
    RunFactory: { address: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512' },
  },
};

describe('parseDeployment', () => {
  it('checksums addresses and inherits the deployment start block', () => {
    const deployment = parseDeployment(valid);
    expect(deployment.contracts.UMToken).toEqual({
      address: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
      startBlock: 1,
    });
    expect(deployment.contracts.RunFactory?.startBlock).toBe(3);
  });

  it.each([
    [{ ...valid, chainId: 0 }, 'chainId'],
    [{ ...valid, startBlock: -1 }, 'startBlock'],
    [{ ...valid, contracts: [] }, 'contracts'],
    [{ ...valid, contracts: { UMToken: { address: '0x1234' } } }, 'contracts.UMToken.address'],
    [
      {
        ...valid,
        contracts: { UMToken: { address: valid.contracts.UMToken.address, startBlock: 1.5 } },
      },
      'contracts.UMToken.startBlock',
    ],
  ])('rejects bad input and names the field (%#)', (input, field) => {
    expect(() => parseDeployment(input)).toThrowError(InvalidDeploymentError);
    try {
      parseDeployment(input);
    } catch (error) {
      expect((error as InvalidDeploymentError).field).toBe(field);
    }
  });
});

describe('loadDeployment', () => {
  it('reads deployments/<chainId>.json from a directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'um-deployments-'));
    writeFileSync(join(dir, '31337.json'), JSON.stringify(valid));
    const deployment = loadDeployment(31337, dir);
    expect(contractAddress(deployment, 'RunFactory')).toBe(
      '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
    );
    expect(() => contractAddress(deployment, 'ModelMarket')).toThrowError(
      /ModelMarket is missing on chain 31337/,
    );
  });

  it('says how to fix a missing deployment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'um-deployments-'));
    expect(() => loadDeployment(1, dir)).toThrowError(DeploymentNotFoundError);
    expect(() => loadDeployment(1, dir)).toThrowError(/npm run deploy:local/);
  });

  it('rejects a file whose chain id disagrees with its name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'um-deployments-'));
    writeFileSync(join(dir, '5.json'), JSON.stringify(valid));
    expect(() => loadDeployment(5, dir)).toThrowError(/is 31337/);
  });

  it('rejects a file that is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'um-deployments-'));
    writeFileSync(join(dir, '31337.json'), '{"chainId": 31337,');
    expect(() => loadDeployment(31337, dir)).toThrowError(/is not JSON/);
  });
});
