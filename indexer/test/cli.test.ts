import { describe, expect, it } from 'vitest';
import { ConfigError, parseCli, usage } from '../src/index.js';

describe('um-indexer command line', () => {
  it('binds loopback and embedded PGlite by default', () => {
    const parsed = parseCli([], {});
    expect(parsed).toEqual({
      help: false,
      options: expect.objectContaining({
        host: '127.0.0.1',
        port: 8000,
        database: undefined,
        rpc: 'http://127.0.0.1:8545',
      }),
    });
  });

  it('prefers flags over environment variables', () => {
    const parsed = parseCli(['--port', '9100', '--database', 'postgres://x@127.0.0.1/db'], {
      UM_INDEXER_PORT: '7000',
      DATABASE_URL: 'postgres://env@127.0.0.1/db',
    });
    expect(parsed.help || parsed.options).toMatchObject({
      port: 9100,
      database: 'postgres://x@127.0.0.1/db',
    });
  });

  it('rejects a bad port and an unknown flag with a ConfigError', () => {
    expect(() => parseCli(['--port', 'eighty'], {})).toThrowError(ConfigError);
    expect(() => parseCli(['--porrt', '1'], {})).toThrowError(/--help/);
    expect(() => parseCli(['--rpc', 'localhost:8545'], {})).toThrowError(/must be an http/);
    expect(() => parseCli(['--reorg-threshold', '-1'], {})).toThrowError(/--reorg-threshold/);
  });

  it('takes the reorg threshold from the flag or ETHEREUM_REORG_THRESHOLD (default 250)', () => {
    const read = (argv: string[], env: NodeJS.ProcessEnv) => {
      const parsed = parseCli(argv, env);
      return parsed.help ? null : parsed.options.reorgThreshold;
    };
    expect(read([], {})).toBe(250);
    expect(read([], { ETHEREUM_REORG_THRESHOLD: '12' })).toBe(12);
    expect(read(['--reorg-threshold', '0'], { ETHEREUM_REORG_THRESHOLD: '12' })).toBe(0);
  });

  it('main prints help and exits 2 on bad flags without starting anything', async () => {
    const { main } = await import('../src/cli/main.js');
    expect(await main(['--port', 'x'])).toBe(2);
  });

  it('has help with examples', () => {
    expect(parseCli(['--help'], {})).toEqual({ help: true });
    expect(usage).toContain('Examples:');
  });
});

describe('ipfs.cat through an HTTP gateway', () => {
  it('parses --ipfs and fetches <gateway>/ipfs/<cid>; missing content is an error (ipfs.cat -> null)', async () => {
    const parsed = parseCli(['--ipfs', 'http://127.0.0.1:8080'], {});
    expect(parsed.help || parsed.options.ipfs).toBe('http://127.0.0.1:8080');
    expect(() => parseCli(['--ipfs', 'ipfs://x'], {})).toThrowError(ConfigError);

    const { createServer } = await import('node:http');
    const { gatewayFetcher } = await import('../src/cli/run.js');
    const server = createServer((req, res) => {
      if (req.url === '/ipfs/bafkreiexample') res.end('hello from ipfs');
      else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const cat = gatewayFetcher(`http://127.0.0.1:${port}/`);
      expect(new TextDecoder().decode(await cat('bafkreiexample'))).toBe('hello from ipfs');
      await expect(cat('bafkreimissing')).rejects.toThrow(/404/);
    } finally {
      server.close();
    }
  });
});
