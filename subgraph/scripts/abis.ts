// Copies the event ABIs the subgraph needs from forge's output (contracts/out) into abis/.
// The subgraph never calls contracts, so only events are kept: graph codegen then generates event
// classes only, and a change to a function signature cannot break the subgraph build.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AbiSourceError } from './errors.js';

/** Where each ABI comes from, relative to contracts/out. */
export const ABI_SOURCES: Readonly<Record<string, string>> = {
  UMToken: 'UMToken.sol/UMToken.json',
  RunFactory: 'ITrainingEvents.sol/IRunFactoryEvents.json',
  TrainingRun: 'ITrainingEvents.sol/ITrainingRunEvents.json',
  DisputeCourt: 'ITrainingEvents.sol/IDisputeCourtEvents.json',
  OperatorRegistry: 'IMarketEvents.sol/IOperatorRegistryEvents.json',
  ModelMarket: 'IMarketEvents.sol/IModelMarketEvents.json',
  AttestationCenter: 'IMarketEvents.sol/IAttestationCenterEvents.json',
};

/** Writes abis/<Name>.json for every data source; returns the names written. */
export function copyAbis(contractsOut: string, abisDir: string): string[] {
  mkdirSync(abisDir, { recursive: true });
  return Object.entries(ABI_SOURCES).map(([name, relative]) => {
    const path = join(contractsOut, relative);
    let artifact: unknown;
    try {
      artifact = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      throw new AbiSourceError(
        `${path} is missing: build the contracts first (npm run build -w contracts, or npx turbo run build --filter=@um/subgraph)`,
      );
    }
    const abi = (artifact as { abi?: unknown }).abi;
    if (!Array.isArray(abi)) throw new AbiSourceError(`${path} has no abi array`);
    const events = abi.filter((item: { type?: string }) => item.type === 'event');
    writeFileSync(join(abisDir, `${name}.json`), `${JSON.stringify(events, null, 2)}\n`);
    return name;
  });
}
