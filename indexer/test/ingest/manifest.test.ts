import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { keccak256, toBytes } from 'viem';
import { describe, expect, it } from 'vitest';
import { loadManifest, ManifestError, UnsupportedFeatureError } from '../../src/manifest/index.js';

const abi = [
  {
    type: 'event',
    name: 'Transfer',
    inputs: [
      { name: 'from', type: 'address', indexed: true },
      { name: 'to', type: 'address', indexed: true },
      { name: 'value', type: 'uint256', indexed: false },
    ],
  },
  {
    type: 'event',
    name: 'Tupled',
    inputs: [
      {
        name: 't',
        type: 'tuple',
        indexed: false,
        components: [
          { name: 'a', type: 'uint8' },
          { name: 'b', type: 'bytes32[]' },
        ],
      },
    ],
  },
];

const EMPTY_WASM = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);

async function build(yaml: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'um-manifest-'));
  await mkdir(path.join(dir, 'T/abis'), { recursive: true });
  await writeFile(path.join(dir, 'T/abis/T.json'), JSON.stringify(abi));
  await writeFile(path.join(dir, 'T/T.wasm'), EMPTY_WASM);
  await writeFile(path.join(dir, 'schema.graphql'), 'type A @entity { id: ID! }');
  await writeFile(path.join(dir, 'subgraph.yaml'), yaml);
  return dir;
}

function manifest(handlers: string, extra = '', specVersion = '1.2.0'): string {
  return `specVersion: ${specVersion}
schema:
  file: schema.graphql
${extra}
dataSources:
  - kind: ethereum/contract
    name: T
    network: mainnet
    source:
      address: "0x00000000000000000000000000000000000000AB"
      abi: T
      startBlock: 12
    mapping:
      kind: ethereum/events
      apiVersion: 0.0.9
      language: wasm/assemblyscript
      entities: [A]
      abis:
        - name: T
          file: T/abis/T.json
${handlers}
      file: T/T.wasm
`;
}

describe('manifest: graph-cli build output', () => {
  it('reads data sources, handlers with topic filters and receipts, block handler filters', async () => {
    const dir = await build(
      manifest(
        `      eventHandlers:
        - event: Transfer(indexed address,indexed address,uint256)
          handler: handleTransfer
          receipt: true
          topic1: ["0x00000000000000000000000000000000000000aa"]
        - event: Tupled((uint8,bytes32[]))
          handler: handleTupled
      blockHandlers:
        - handler: handleOnce
          filter:
            kind: once
        - handler: handlePoll
          filter:
            kind: polling
            every: 10`,
        'features:\n  - nonFatalErrors',
      ),
    );
    const m = await loadManifest(dir);
    expect(m.features).toEqual(['nonFatalErrors']);
    const ds = m.dataSources[0]!;
    expect(ds).toMatchObject({
      name: 'T',
      address: '0x00000000000000000000000000000000000000ab',
      startBlock: 12,
      network: 'mainnet',
    });
    const [transfer, tupled] = ds.mapping.eventHandlers;
    expect(transfer).toMatchObject({
      handler: 'handleTransfer',
      receipt: true,
      topic0: keccak256(toBytes('Transfer(address,address,uint256)')),
      topicFilters: [[`0x${'0'.repeat(24)}00000000000000000000000000000000000000aa`], null, null],
    });
    expect(tupled!.topic0).toBe(keccak256(toBytes('Tupled((uint8,bytes32[]))')));
    expect(ds.mapping.blockHandlers).toEqual([
      { handler: 'handleOnce', filter: { kind: 'once' } },
      { handler: 'handlePoll', filter: { kind: 'polling', every: 10 } },
    ]);
  });

  it('accepts a signature without `indexed` when the event name is unique in the ABI', async () => {
    const dir = await build(
      manifest(`      eventHandlers:
        - event: Transfer(address,address,uint256)
          handler: handleTransfer`),
    );
    const m = await loadManifest(dir);
    expect(m.dataSources[0]!.mapping.eventHandlers[0]!.abiEvent.name).toBe('Transfer');
  });

  it('fails with typed errors that say where the problem is', async () => {
    await expect(loadManifest(path.join(tmpdir(), 'does-not-exist'))).rejects.toBeInstanceOf(
      ManifestError,
    );
    const unknownEvent = await build(
      manifest(`      eventHandlers:
        - event: Approval(address,address,uint256)
          handler: handleApproval`),
    );
    await expect(loadManifest(unknownEvent)).rejects.toThrow(
      'dataSources[0].mapping.eventHandlers[0]: event `Approval(address,address,uint256)` is not in the ABI',
    );
    const future = await build(manifest('', '', '1.3.0'));
    await expect(loadManifest(future)).rejects.toBeInstanceOf(UnsupportedFeatureError);
    const calls = await build(
      manifest(`      callHandlers:
        - function: transfer(address,uint256)
          handler: handleCall`),
    );
    await expect(loadManifest(calls)).rejects.toThrow(/call handlers need call traces/);
    const callFilter = await build(
      manifest(`      blockHandlers:
        - handler: handleCall
          filter:
            kind: call`),
    );
    await expect(loadManifest(callFilter)).rejects.toBeInstanceOf(UnsupportedFeatureError);
  });
});
