import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ABI_SOURCES, copyAbis } from '../scripts/abis.js';
import { exampleDeployment, repoRoot } from '../scripts/build.js';
import { AbiSourceError, InvalidDeploymentError, ManifestError } from '../scripts/errors.js';
import {
  DATA_SOURCES,
  REQUIRED_CONTRACTS,
  buildManifest,
  eventSignature,
  parseDeployment,
  readDeployment,
  renderManifest,
  type AbiEvent,
  type Deployment,
} from '../scripts/manifest.js';

const contractsOut = join(repoRoot, 'contracts', 'out');
let abisDir: string;

const deploymentDoc = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  chainId: 31337,
  startBlock: 3,
  contracts: {
    UMToken: { address: '0x5FbDB2315678afecb367f032d93F642f64180aa3', startBlock: 3 },
    RunFactory: { address: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', startBlock: 4 },
    DisputeCourt: { address: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0', startBlock: 5 },
    OperatorRegistry: { address: '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9', startBlock: 6 },
    ModelMarket: { address: '0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9', startBlock: 7 },
    AttestationCenter: { address: '0x5FC8d32690cc91D4c39d9d3abcBD16989F875707' },
    TrainingRunImplementation: { address: '0x0165878A594ca255338adfa4d48449f69242Eb8F' },
  },
  ...overrides,
});

beforeAll(() => {
  abisDir = mkdtempSync(join(tmpdir(), 'um-subgraph-abis-'));
  copyAbis(contractsOut, abisDir);
});
afterAll(() => rmSync(abisDir, { recursive: true, force: true }));

describe('deployment parsing', () => {
  it('reads the committed example network and every contract the subgraph follows', () => {
    const deployment = readDeployment(exampleDeployment);
    expect(deployment.chainId).toBe(31337);
    expect(Object.keys(deployment.contracts).sort()).toEqual([...REQUIRED_CONTRACTS].sort());
  });

  it('lowercases addresses, inherits the top-level start block and ignores other contracts', () => {
    const deployment = parseDeployment(deploymentDoc());
    expect(deployment.contracts.UMToken).toEqual({
      address: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
      startBlock: 3,
    });
    expect(deployment.contracts.AttestationCenter?.startBlock).toBe(3);
    expect(deployment.contracts.TrainingRunImplementation).toBeUndefined();
  });

  it('names the missing contract', () => {
    const doc = deploymentDoc();
    delete (doc.contracts as Record<string, unknown>).DisputeCourt;
    expect(() => parseDeployment(doc)).toThrowError(InvalidDeploymentError);
    expect(() => parseDeployment(doc)).toThrowError(/contracts\.DisputeCourt is missing/);
  });

  it('rejects a bad address, a bad chain id and a negative start block with the field name', () => {
    const badAddress = deploymentDoc();
    (badAddress.contracts as Record<string, { address: string }>).RunFactory!.address = '0x1234';
    expect(() => parseDeployment(badAddress)).toThrowError(/contracts\.RunFactory\.address/);
    expect(() => parseDeployment(deploymentDoc({ chainId: 0 }))).toThrowError(/chainId/);
    expect(() => parseDeployment(deploymentDoc({ startBlock: -1 }))).toThrowError(/startBlock/);
    expect(() => readDeployment(join(abisDir, 'nope.json'))).toThrowError(InvalidDeploymentError);
  });
});

describe('ABIs', () => {
  it('copies only events, for every data source and template', () => {
    for (const name of Object.keys(ABI_SOURCES)) {
      const abi = JSON.parse(readFileSync(join(abisDir, `${name}.json`), 'utf8')) as {
        type: string;
      }[];
      expect(abi.length, name).toBeGreaterThan(0);
      expect(new Set(abi.map((item) => item.type))).toEqual(new Set(['event']));
    }
    expect(Object.keys(ABI_SOURCES).sort()).toEqual(DATA_SOURCES.map((ds) => ds.name).sort());
  });

  it('says to build the contracts when their output is missing', () => {
    expect(() => copyAbis(join(abisDir, 'no-out'), abisDir)).toThrowError(AbiSourceError);
  });

  it('writes event signatures the way graph-cli matches them (tuples expanded, indexed kept)', () => {
    const runFactory = JSON.parse(
      readFileSync(join(abisDir, 'RunFactory.json'), 'utf8'),
    ) as AbiEvent[];
    expect(eventSignature(runFactory[0]!)).toBe(
      'RunCreated(indexed uint256,indexed address,indexed address,' +
        '(bytes32,string,bytes32,uint64,uint64,uint64,uint64,uint128,uint128,uint128))',
    );
  });
});

describe('manifest', () => {
  const manifestFor = (deployment: Deployment, networkName?: string) =>
    buildManifest({ deployment, abisDir, ...(networkName ? { networkName } : {}) });

  it('has one data source per deployed contract and TrainingRun as a template', () => {
    const manifest = manifestFor(parseDeployment(deploymentDoc()));
    expect(manifest.specVersion).toBe('1.2.0');
    expect(manifest.dataSources.map((ds) => ds.name)).toEqual([
      'UMToken',
      'RunFactory',
      'DisputeCourt',
      'OperatorRegistry',
      'ModelMarket',
      'AttestationCenter',
    ]);
    expect(manifest.templates.map((t) => t.name)).toEqual(['TrainingRun']);
    expect(manifest.templates[0]!.source).toEqual({ abi: 'TrainingRun' });
    const court = manifest.dataSources.find((ds) => ds.name === 'DisputeCourt')!;
    expect(court.source).toEqual({
      address: '0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0',
      abi: 'DisputeCourt',
      startBlock: 5,
    });
    expect(court.network).toBe('anvil');
    expect(court.mapping.apiVersion).toBe('0.0.9');
  });

  it('handles every event of every event interface (nothing an indexer needs is dropped)', () => {
    const manifest = manifestFor(parseDeployment(deploymentDoc()));
    for (const ds of [...manifest.dataSources, ...manifest.templates]) {
      const abi = JSON.parse(readFileSync(join(abisDir, `${ds.name}.json`), 'utf8')) as AbiEvent[];
      const handled = ds.mapping.eventHandlers.map((h) => h.event);
      const expected =
        ds.name === 'UMToken'
          ? abi.filter((e) => e.name === 'Transfer').map(eventSignature)
          : abi.map(eventSignature);
      expect(handled.sort(), ds.name).toEqual(expected.sort());
      for (const h of ds.mapping.eventHandlers)
        expect(h.handler).toBe(`handle${h.event.slice(0, h.event.indexOf('('))}`);
    }
  });

  it('needs a network name for chains it does not know', () => {
    const deployment = parseDeployment(deploymentDoc({ chainId: 424242 }));
    expect(() => manifestFor(deployment)).toThrowError(ManifestError);
    expect(manifestFor(deployment, 'my-devnet').dataSources[0]!.network).toBe('my-devnet');
    expect(() => manifestFor(deployment, 'Bad Name')).toThrowError(ManifestError);
  });

  it('renders YAML with quoted addresses and versions', () => {
    const text = renderManifest(manifestFor(parseDeployment(deploymentDoc())), 'header');
    expect(text.startsWith('# header\nspecVersion: "1.2.0"\n')).toBe(true);
    expect(text).toContain('      address: "0x5fbdb2315678afecb367f032d93f642f64180aa3"\n');
    expect(text).toContain('      startBlock: 4\n');
    expect(text).toContain('      apiVersion: "0.0.9"\n');
    expect(text).toContain('          handler: handleRoundInvalidated\n');
    expect(text).toContain(
      '        - event: "VoteRevealed(indexed uint256,indexed address,uint8,uint256)"\n',
    );
  });
});
