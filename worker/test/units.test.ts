import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { fromEnv, fromFile, resolveConfig } from '../src/config.js';
import { ConfigError, JournalError, KeyError } from '../src/errors.js';
import { parseFault } from '../src/faults.js';
import { startHttpServer } from '../src/http/server.js';
import { Journal } from '../src/journal.js';
import { decryptKeystore, encryptKeystore, loadAccount } from '../src/keys.js';
import { createLogger } from '../src/log.js';
import { WorkerMetrics } from '../src/metrics.js';
import { parseRoles } from '../src/cli/roles.js';
import { isSampled } from '../src/roles/verifier.js';

const dirs: string[] = [];
const tmp = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'um-worker-unit-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const RUN = '0x1111111111111111111111111111111111111111';

describe('parseRoles', () => {
  it('combines roles and drops duplicates', () => {
    expect(parseRoles('train, verify,train')).toEqual(['train', 'verify']);
  });
  it('names the unknown role', () => {
    expect(() => parseRoles('train,mine')).toThrowError(/unknown role "mine"/);
  });
  it('rejects an empty list', () => {
    expect(() => parseRoles(' , ')).toThrowError(/at least one/);
  });
});

describe('configuration', () => {
  it('lets flags beat env and env beat the file', () => {
    const dir = tmp();
    const file = join(dir, 'worker.json');
    writeFileSync(
      file,
      JSON.stringify({
        roles: 'train',
        run: RUN,
        'poll-ms': 500,
        rpc: 'http://file:8545',
        fault: ['skip-update'],
      }),
    );
    const config = resolveConfig(
      fromFile(file),
      fromEnv({ UM_RPC_URL: 'http://env:8545', UM_POLL_MS: '700' }),
      { 'poll-ms': '900' },
    );
    expect(config).toMatchObject({
      roles: ['train'],
      run: RUN,
      rpc: 'http://env:8545',
      pollMs: 900,
      faults: [{ kind: 'skip-update' }],
      httpPort: 9464,
    });
  });
  it('reads UM_IPFS_API as a Kubo store', () => {
    expect(fromEnv({ UM_IPFS_API: 'http://ipfs:5001' }).ipfs).toBe('kubo:http://ipfs:5001');
    expect(fromEnv({ UM_IPFS_API: 'http://ipfs:5001', UM_IPFS: 'embedded:/x' }).ipfs).toBe(
      'embedded:/x',
    );
  });
  it('names what is missing or wrong', () => {
    expect(() => resolveConfig({ roles: 'train' })).toThrowError(/--run <address> or --run-id/);
    expect(() => resolveConfig({ roles: 'evaluate' })).toThrowError(/--aggregator/);
    expect(() => resolveConfig({ roles: 'verify', run: 'nope' })).toThrowError(
      /--run must be an address/,
    );
    expect(() => resolveConfig({ roles: 'verify', run: RUN, 'verify-share': '1.5' })).toThrowError(
      /--verify-share/,
    );
    expect(() => resolveConfig({ roles: 'verify', run: RUN, 'poll-ms': 'soon' })).toThrowError(
      ConfigError,
    );
    expect(resolveConfig({ roles: 'aggregate', 'http-port': 'off' }).httpPort).toBeUndefined();
    expect(resolveConfig({ roles: 'aggregate', confirmations: '12' }).confirmations).toBe(12);
    expect(() => resolveConfig({ roles: 'aggregate', confirmations: '-1' })).toThrowError(
      /--confirmations/,
    );
  });
  it('refuses unknown keys and secrets in the config file', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ roles: 'train', privateKey: '0x00' }));
    expect(() => fromFile(join(dir, 'a.json'))).toThrowError(/unknown option "privateKey"/);
  });
});

describe('faults', () => {
  it('parses the documented faults and rejects others', () => {
    expect(parseFault('wrong-step:12')).toEqual({ kind: 'wrong-step', step: 12 });
    expect(parseFault('withhold-checkpoint')).toEqual({ kind: 'withhold-checkpoint' });
    expect(() => parseFault('wrong-step:0')).toThrowError(/step N ≥ 1/);
    expect(() => parseFault('explode')).toThrowError(/unknown --fault "explode"/);
  });
});

describe('keys', () => {
  it('round-trips an encrypted keystore and rejects a wrong password', () => {
    const key = generatePrivateKey();
    const json = encryptKeystore(key, 'correct horse', { n: 1024 });
    expect(json).not.toContain(key.slice(2));
    expect(decryptKeystore(json, 'correct horse')).toBe(key);
    expect(() => decryptKeystore(json, 'wrong')).toThrowError(/MAC mismatch/);
  });
  it('loads from env or keystore + password file, never echoing the key', () => {
    const key = generatePrivateKey();
    const dir = tmp();
    writeFileSync(join(dir, 'key.json'), encryptKeystore(key, 'pw', { n: 1024 }));
    writeFileSync(join(dir, 'pw.txt'), 'pw\n');
    const address = privateKeyToAccount(key).address;
    expect(loadAccount({ privateKey: key }).address).toBe(address);
    expect(
      loadAccount({ keystorePath: join(dir, 'key.json'), passwordFile: join(dir, 'pw.txt') })
        .address,
    ).toBe(address);
    expect(() => loadAccount({})).toThrowError(KeyError);
    try {
      loadAccount({ privateKey: `${key}00` });
    } catch (error) {
      expect((error as Error).message).not.toContain(key.slice(2));
    }
  });
});

describe('verifier sampling (--verify-share)', () => {
  it('is deterministic, near the share, and differs between verifiers', () => {
    const run = RUN;
    const root = `0x${'ab'.repeat(32)}` as const;
    const pick = (verifier: `0x${string}`, share: number) =>
      Array.from({ length: 400 }, (_, round) =>
        isSampled({ run, round, finalStateHash: root, verifier, share }),
      );
    const a = pick('0x000000000000000000000000000000000000000a', 0.25);
    const b = pick('0x000000000000000000000000000000000000000b', 0.25);
    expect(pick('0x000000000000000000000000000000000000000a', 0.25)).toEqual(a);
    const count = a.filter(Boolean).length;
    expect(count).toBeGreaterThan(60);
    expect(count).toBeLessThan(140);
    expect(a).not.toEqual(b);
    expect(pick('0x000000000000000000000000000000000000000a', 1).every(Boolean)).toBe(true);
  });
});

describe('journal', () => {
  it('writes atomically, survives a torn temporary file and keeps bigints', () => {
    const dir = tmp();
    const journal = new Journal<{ n: bigint; items: string[] }>(
      join(dir, 'j', 'state.json'),
      () => ({ n: 0n, items: [] }),
    );
    expect(journal.read()).toEqual({ n: 0n, items: [] });
    journal.write({ n: 2n ** 70n, items: ['a'] });
    // A crash mid-write leaves only the .tmp file torn; the journal still reads the last version.
    writeFileSync(`${journal.path}.tmp`, '{"n": {"$big');
    expect(journal.read()).toEqual({ n: 2n ** 70n, items: ['a'] });
    journal.update((j) => ({ ...j, items: [...j.items, 'b'] }));
    expect(JSON.parse(readFileSync(journal.path, 'utf8')).items).toEqual(['a', 'b']);
    writeFileSync(journal.path, 'garbage');
    expect(() => journal.read()).toThrowError(JournalError);
  });
});

describe('logs', () => {
  it('redact secrets', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += chunk.toString();
        done();
      },
    });
    createLogger({ level: 'info' }, sink).info(
      { privateKey: '0xsecret', config: { password: 'hunter2' } },
      'hello',
    );
    expect(out).toContain('hello');
    expect(out).not.toContain('0xsecret');
    expect(out).not.toContain('hunter2');
  });
});

describe('HTTP server', () => {
  it('serves /health, /metrics and the EigenLayer node API', async () => {
    const metrics = new WorkerMetrics({ defaultMetrics: false });
    let status: 'Up' | 'Down' | 'Initializing' = 'Initializing';
    const services = () => [
      { id: 'trainer', name: 'Trainer', description: 'trains', status: () => status },
      { id: 'verifier', name: 'Verifier', description: 'verifies', status: () => 'Up' as const },
    ];
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      metrics,
      nodeVersion: '9.9.9',
      services,
    });
    try {
      metrics.stepsComputed.inc({ role: 'train' }, 5);
      expect(await (await fetch(`${server.url}/eigen/node`)).json()).toEqual({
        node_name: 'um-worker',
        spec_version: 'v0.0.1',
        node_version: '9.9.9',
      });
      expect((await fetch(`${server.url}/eigen/node/health`)).status).toBe(206);
      expect((await fetch(`${server.url}/health`)).status).toBe(503);
      expect((await fetch(`${server.url}/eigen/node/services/trainer/health`)).status).toBe(503);
      status = 'Up';
      expect((await fetch(`${server.url}/eigen/node/health`)).status).toBe(200);
      expect(await (await fetch(`${server.url}/health`)).json()).toEqual({
        status: 'ok',
        services: { trainer: 'Up', verifier: 'Up' },
      });
      expect((await fetch(`${server.url}/eigen/node/services/trainer/health`)).status).toBe(200);
      expect((await fetch(`${server.url}/eigen/node/services/nope/health`)).status).toBe(404);
      expect(
        (
          (await (await fetch(`${server.url}/eigen/node/services`)).json()) as {
            services: unknown[];
          }
        ).services,
      ).toHaveLength(2);
      const text = await (await fetch(`${server.url}/metrics`)).text();
      expect(text).toContain('um_worker_steps_computed_total{role="train"} 5');
      for (const name of [
        'um_worker_step_latency_seconds',
        'um_worker_rounds_submitted_total',
        'um_worker_rounds_finalized_total',
        'um_worker_challenges_raised_total',
        'um_worker_attestations_signed_total',
        'um_worker_chain_errors_total',
        'um_worker_ipfs_errors_total',
        'um_worker_eth_balance_wei',
      ])
        expect(text).toContain(`# TYPE ${name}`);
    } finally {
      await server.close();
    }
  });
});

describe('um-worker command', () => {
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, write: (t: string) => out.push(t), writeErr: (t: string) => err.push(t) };
  };
  it('prints --help with examples', async () => {
    const io = capture();
    expect(await main(['--help'], {}, io.write, io.writeErr)).toBe(0);
    const text = io.out.join('');
    expect(text).toContain('Examples:');
    expect(text).toContain('um-worker vote --dispute 1');
    expect(text).toContain('UM_PRIVATE_KEY');
  });
  it('exits 2 on bad flags, roles and missing keys', async () => {
    let io = capture();
    expect(await main(['--roles', 'mine'], {}, io.write, io.writeErr)).toBe(2);
    expect(io.err.join('')).toMatch(/unknown role "mine"/);
    io = capture();
    expect(await main(['--roles', 'verify', '--bogus'], {}, io.write, io.writeErr)).toBe(2);
    expect(io.err.join('')).toMatch(/bogus/);
    io = capture();
    expect(await main(['--roles', 'verify', '--run', RUN], {}, io.write, io.writeErr)).toBe(2);
    expect(io.err.join('')).toMatch(/no key/);
    io = capture();
    expect(await main(['vote'], {}, io.write, io.writeErr)).toBe(2);
    expect(io.err.join('')).toMatch(/--dispute/);
  });
  it('writes a keystore from UM_PRIVATE_KEY', async () => {
    const dir = tmp();
    const key = generatePrivateKey();
    const io = capture();
    expect(
      await main(
        ['keystore', '--out', join(dir, 'k.json')],
        { UM_PRIVATE_KEY: key, UM_KEYSTORE_PASSWORD: 'pw' },
        io.write,
        io.writeErr,
      ),
    ).toBe(0);
    expect(io.out.join('')).not.toContain(key.slice(2));
    expect(decryptKeystore(readFileSync(join(dir, 'k.json'), 'utf8'), 'pw')).toBe(key);
  });
});
