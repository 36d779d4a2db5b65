import { hexToBytes } from 'viem';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EntityData, StoreValue } from '../../src/store/types.js';
import { DeterministicError } from '../../src/wasm/errors.js';
import { writeEntity, writeStoreValue } from '../../src/wasm/marshal.js';
import { ProbeRuntime, testBlock } from '../support/probe-runtime.js';

const blockPtr = (n: number) => ({
  number: n,
  hash: `0x${n.toString(16).padStart(64, '0')}` as const,
  parentHash: `0x${(n - 1).toString(16).padStart(64, '0')}` as const,
  timestamp: 1_700_000_000 + n,
});

const everyKind: EntityData = {
  id: { kind: 'String', value: 'p' },
  s: { kind: 'String', value: 'héllo \u{1F600}' },
  i: { kind: 'Int', value: -5 },
  i8: { kind: 'Int8', value: -(2n ** 62n) },
  ts: { kind: 'Timestamp', value: 1_710_837_304_040_956n },
  bi: { kind: 'BigInt', value: -(2n ** 200n) + 1n },
  bd: { kind: 'BigDecimal', value: '-123.456' },
  b: { kind: 'Bool', value: true },
  by: { kind: 'Bytes', value: hexToBytes('0x00ff10') },
  list: {
    kind: 'List',
    value: [
      { kind: 'BigInt', value: 1n },
      { kind: 'BigInt', value: 128n },
    ],
  },
};

let rt: ProbeRuntime;

async function fresh(context: EntityData | null = null): Promise<ProbeRuntime> {
  rt = await ProbeRuntime.create(context);
  return rt;
}

describe('WASM runtime: values cross the AssemblyScript ABI both ways', () => {
  beforeAll(async () => {
    await fresh();
  }, 120_000);

  it('round-trips an entity holding every store value kind (host -> wasm -> host)', async () => {
    await rt.call('storeEntity', (heap) =>
      writeEntity(heap, { ...everyKind, str: { kind: 'Null' } }),
    );
    expect(await rt.entity('Probe', 'p')).toEqual(everyKind);
    // store.get hands the entity back into WASM; the mapping stores it under a new id
    await rt.callString('copyProbe', 'p');
    expect(await rt.entity('Probe', 'p-copy')).toEqual({
      ...everyKind,
      id: { kind: 'String', value: 'p-copy' },
    });
  });

  // (Timestamp is covered by the entity round-trip: graph-ts' displayData asserts INT8 for it.)
  it('writes each Value kind as graph-ts reads it', async () => {
    const cases: [StoreValue, string][] = [
      [{ kind: 'String', value: 'x' }, '0:x'],
      [{ kind: 'Int', value: -5 }, '1:-5'],
      [{ kind: 'BigDecimal', value: '1.25' }, '2:1.25'],
      [{ kind: 'Bool', value: false }, '3:false'],
      [
        {
          kind: 'List',
          value: [
            { kind: 'Int', value: 1 },
            { kind: 'Int', value: 2 },
          ],
        },
        '4:[1, 2]',
      ],
      [{ kind: 'Bytes', value: hexToBytes('0xabcd') }, '6:0xabcd'],
      [{ kind: 'BigInt', value: -129n }, '7:-129'],
      [{ kind: 'Int8', value: 9_223_372_036_854_775_807n }, '8:9223372036854775807'],
    ];
    for (const [value, expected] of cases) {
      await rt.call('describeValue', (heap) => writeStoreValue(heap, value));
      expect(await rt.result('kind')).toBe(expected);
    }
  });

  it('merges partial sets, sees same-block writes, removes', async () => {
    await rt.callString('mergeProbe', 'p');
    expect(await rt.result('merge')).toBe('merged:kept-value');
    expect((await rt.entity('Probe', 'p'))?.i).toEqual({ kind: 'Int', value: -5 });
    await rt.callString('removeProbe', 'p');
    expect(await rt.entity('Probe', 'p')).toBeNull();
    await rt.callString('copyProbe', 'p');
    expect(await rt.result('copy')).toBe('missing');
  });

  it('store.get reads earlier blocks from the store; get_in_block does not', async () => {
    const r = await ProbeRuntime.create();
    await r.store.transactBlock(
      blockPtr(3),
      [
        {
          op: 'set',
          entityType: 'Probe',
          id: 'old',
          data: { id: { kind: 'String', value: 'old' }, s: { kind: 'String', value: 'stored' } },
        },
      ],
      [],
    );
    await r.callString('getInBlock', 'old');
    expect(await r.result('inBlock')).toBe('null');
    await r.callString('copyProbe', 'old');
    expect((await r.entity('Probe', 'old-copy'))?.s).toEqual({ kind: 'String', value: 'stored' });
    await r.callString('getInBlock', 'old-copy');
    expect(await r.result('inBlock')).toBe('found');
  });

  it('loadRelated merges stored and same-block entities of a @derivedFrom field', async () => {
    const r = await ProbeRuntime.create();
    const probe = (id: string, parent: string): EntityData => ({
      id: { kind: 'String', value: id },
      parent: { kind: 'String', value: parent },
    });
    await r.store.transactBlock(
      blockPtr(3),
      [
        {
          op: 'set',
          entityType: 'Parent',
          id: 'par',
          data: { id: { kind: 'String', value: 'par' } },
        },
        { op: 'set', entityType: 'Probe', id: 'c1', data: probe('c1', 'par') },
        { op: 'set', entityType: 'Probe', id: 'c3', data: probe('c3', 'other') },
      ],
      [],
    );
    await r.call('storeEntity', (heap) => writeEntity(heap, probe('c2', 'par')));
    await r.callString('related', 'par');
    expect(await r.result('related')).toBe('c1,c2');
  });
});

describe('WASM runtime: host functions', () => {
  beforeAll(async () => {
    await fresh();
  }, 120_000);

  it('bigInt.* on positive and negative values', async () => {
    await rt.callString('numbers', '100');
    expect(await rt.result('bigint')).toBe(
      '107|93|700|14|2|1000000|103|4|800|50|0x64|33.33333333333333333333333333333333',
    );
    await rt.callString('numbers', '-100');
    expect(await rt.result('bigint')).toBe(
      '-93|-107|-700|-14|-2|-1000000|-97|4|-800|-50|0x64|-33.33333333333333333333333333333333',
    );
  });

  it('bigDecimal.* with graph-node precision (34 digits, negative values truncate)', async () => {
    await rt.callString('decimals', '1.5');
    expect(await rt.result('bigdecimal')).toBe('4.5|-1.5|4.5|0.5|ne|eq');
    await rt.callString('decimals', '2');
    expect(await rt.result('bigdecimal')).toBe('5|-1|6|0.6666666666666666666666666666666667|ne|ne');
    await rt.callString('decimals', '-2');
    expect(await rt.result('bigdecimal')).toBe(
      '1|-5|-6|-0.6666666666666666666666666666666666|ne|ne',
    );
    await expect(rt.callString('decimals', '1.2.3')).rejects.toThrow(/is not a BigDecimal/);
  });

  it('typeConversion.* and crypto.keccak256', async () => {
    await rt.call('conversions', (heap) => heap.writeBytes(new TextEncoder().encode('hello')));
    expect(await rt.result('conversions')).toBe(
      '0x68656c6c6f|hello|Cn8eVZg|0x00000000000000000000000000000000000000ab|0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
    );
  });

  it('json.* keeps number text and sorts object keys like serde_json', async () => {
    const doc = '{"b":[1,true,null,"x"],"a":{"big":1},"big":1234567890123}';
    await rt.call('parseJson', (heap) => heap.writeBytes(new TextEncoder().encode(doc)));
    expect(await rt.result('json')).toBe(
      '{a={big=n:1},b=[n:1,true,null,s:x],big=n:1234567890123}|1234567890123|1234567890123|1234567890123.0',
    );
    await rt.call('parseJson', (heap) => heap.writeBytes(new TextEncoder().encode('{oops')));
    expect(await rt.result('json')).toBe('error');
    await expect(
      rt.call('parseJsonStrict', (heap) => heap.writeBytes(new TextEncoder().encode('[1,'))),
    ).rejects.toBeInstanceOf(DeterministicError);
  });

  it('ethereum.encode / ethereum.decode round-trip; undecodable data gives null', async () => {
    await rt.call('abi', (heap) => heap.writeBytes(hexToBytes('0x01')));
    const [encoded, decoded, bad] = (await rt.result('abi'))!.split('|');
    expect(encoded).toMatch(/^0x0{62}20/); // a dynamic tuple starts with its offset, as abi.encode(tuple)
    expect(decoded).toBe('0x00000000000000000000000000000000000000ab,42,hi');
    expect(bad).toBe('null');
  });

  it('dataSource.create / createWithContext queue data sources; unknown templates fail', async () => {
    rt.created = [];
    await rt.callString('createSources', '0x00000000000000000000000000000000000000Cd');
    expect(rt.created).toEqual([
      {
        template: 'Child',
        address: '0x00000000000000000000000000000000000000cd',
        context: null,
        createdAtBlock: 7,
      },
      {
        template: 'Child',
        address: '0x00000000000000000000000000000000000000cd',
        context: {
          label: { kind: 'String', value: 'with-context' },
          n: { kind: 'BigInt', value: 5n },
        },
        createdAtBlock: 7,
      },
    ]);
    await expect(
      rt.callString('createUnknown', '0x00000000000000000000000000000000000000cd'),
    ).rejects.toThrow(
      /No template with this name in parent data source `Probe`. Available names: Child/,
    );
  });

  it('dataSource.address / network / context', async () => {
    const r = await ProbeRuntime.create({ label: { kind: 'String', value: 'ctx-label' } });
    await r.callString('describeSource', '');
    expect(await r.result('source')).toBe(
      '0x00000000000000000000000000000000000000aa|anvil|ctx-label',
    );
  });

  it('log.log logs at each level; log.critical fails the handler and discards its writes', async () => {
    await rt.callString('logs', 'hello');
    expect(rt.logs).toEqual(
      expect.arrayContaining([
        { level: 'info', msg: 'info hello x' },
        { level: 'warn', msg: 'warning hello' },
        { level: 'debug', msg: 'debug' },
      ]),
    );
    await expect(rt.callString('critical', 'boom')).rejects.toThrow(
      'Critical error logged in mapping with log message: bad thing: boom',
    );
    expect(await rt.result('before-critical')).toBeNull();
  });

  it('abort (assert) fails deterministically with graph-node message and discards writes', async () => {
    const error = await rt.callString('aborts', 'no').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeterministicError);
    expect((error as Error).message).toMatch(
      /^Mapping aborted at .*probe\.ts, line \d+, column \d+, with message: assertion says no$/,
    );
    expect(await rt.result('before-abort')).toBeNull();
    await expect(rt.callString('trap', '')).rejects.toBeInstanceOf(DeterministicError);
  });

  it('ipfs.cat goes through the injected content fetcher; failures give null; no client fails', async () => {
    rt.ipfs!.set('bafkreitest', new TextEncoder().encode('hello ipfs'));
    await rt.callString('catIpfs', 'bafkreitest');
    expect(await rt.result('ipfs')).toBe('hello ipfs');
    await rt.callString('catIpfs', 'bafkreimissing');
    expect(await rt.result('ipfs')).toBe('null');
    const r = await ProbeRuntime.create();
    r.ipfs = null;
    await expect(r.callString('catIpfs', 'bafkreitest')).rejects.toThrow(/ipfs.cat/);
  });

  it('runs every handler in a fresh instance: no global survives between triggers', async () => {
    await rt.callString('counter', 'a');
    await rt.callString('counter', 'b');
    expect(await rt.result('counter-a')).toBe('1');
    expect(await rt.result('counter-b')).toBe('1');
  });

  it('rejects undefined fields and wrong value types (apiVersion 0.0.9)', async () => {
    await expect(rt.callString('badField', 'x')).rejects.toThrow(
      'Attempted to set undefined fields [nope] for the entity type `Result`. Make sure those fields are defined in the schema.',
    );
    await expect(rt.callString('wrongType', 'y')).rejects.toThrow(
      /field `text` must have type String but has type Int/,
    );
  });

  it('store.set with "auto" generates Int8 ids from block number and sequence', async () => {
    await rt.callString('autoIds', 'l');
    const base = BigInt(testBlock.number) << 32n;
    expect((await rt.entity('AutoThing', base.toString()))?.label).toEqual({
      kind: 'String',
      value: 'l',
    });
    expect((await rt.entity('AutoThing', (base + 1n).toString()))?.label).toEqual({
      kind: 'String',
      value: 'l2',
    });
  });

  it('TypedMap works inside the mapping', async () => {
    await rt.callString('typedMap', 'x');
    expect(await rt.result('typedMap')).toBe('x');
  });
});

describe('WASM runtime: instance reuse', () => {
  it('a reset instance behaves exactly like a fresh instance per call', async () => {
    const reused = await ProbeRuntime.create(null, true);
    const fresh = await ProbeRuntime.create(null, false);
    for (const r of [reused, fresh]) {
      for (let i = 0; i < 50; i++) await r.callString('counter', String(i));
      await r.callString('numbers', '123456789012345678901234567890');
      await r.callString('aborts', 'x').catch(() => undefined); // a failed call leaves dirty memory
      await r.callString('decimals', '-7.25');
      await r.call('storeEntity', (heap) => writeEntity(heap, everyKind));
    }
    for (let i = 0; i < 50; i++) {
      expect(await reused.result(`counter-${i}`)).toBe('1');
      expect(await fresh.result(`counter-${i}`)).toBe('1');
    }
    expect(await reused.result('bigint')).toBe(await fresh.result('bigint'));
    expect(await reused.result('bigdecimal')).toBe(await fresh.result('bigdecimal'));
    expect(await reused.entity('Probe', 'p')).toEqual(await fresh.entity('Probe', 'p'));
  });
});
