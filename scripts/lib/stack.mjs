// The whole local stack, as one function shared by `npm run dev` and the end-to-end suite:
// anvil (or an existing RPC) → contracts → demo seed → subgraph build → embedded IPFS node (or
// Kubo) → um-indexer (or an existing graph-node) → um-worker processes → portal. Every part is a
// child process under one Supervisor; everything a restart needs lives in `dataDir`.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  copyFileSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { demoAccounts, defaultDemoTerms, ACCOUNT_COUNT, TEST_MNEMONIC } from './demo-accounts.mjs';
import { bin, freePort, nativeBin, repoRoot, waitForRpc } from './foundry.mjs';
import { Supervisor, waitFor, waitForHttp } from './supervisor.mjs';

export class StackError extends Error {
  name = 'StackError';
}

export const SUBGRAPH_NAME = 'unstoppable-models';

/** Default ports of `npm run dev` (the e2e suite asks the OS for free ones instead). */
export const defaultPorts = {
  anvil: 8545,
  indexer: 8000,
  gateway: 8080,
  portal: 3000,
  trainer: 9464,
  verifier: 9465,
  faultyTrainer: 9466,
  fraudVerifier: 9467,
  operator1: 9468,
  operator2: 9469,
  operator3: 9470,
};

const node = process.execPath;

/** Runs a command to completion with its output in `logFile`; rejects with the output's tail. */
async function runLogged(command, args, { env = {}, cwd = repoRoot, logFile, children }) {
  mkdirSync(join(logFile, '..'), { recursive: true });
  const file = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children?.add(child);
  child.once('close', () => children?.delete(child));
  let tail = '';
  const collect = (chunk) => {
    file.write(chunk);
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const [code] = await once(child, 'close');
  file.end();
  if (code !== 0)
    throw new StackError(
      `${command} ${args.join(' ')} exited with ${code} (log: ${logFile}):\n${tail}`,
    );
}

/** A fingerprint of what a subgraph build depends on: the deployment and the subgraph's sources. */
function subgraphStamp(deploymentPath) {
  const hash = createHash('sha256').update(readFileSync(deploymentPath));
  const subgraph = join(repoRoot, 'subgraph');
  const files = [
    join(subgraph, 'schema.graphql'),
    ...['src', 'scripts'].flatMap((dir) =>
      readdirSync(join(subgraph, dir), { recursive: true })
        .map((name) => join(subgraph, dir, String(name)))
        .filter((path) => statSync(path).isFile()),
    ),
  ].sort();
  for (const file of files) hash.update(file).update(readFileSync(file));
  return hash.digest('hex');
}

/** Whether 127.0.0.1:port can be bound (a service of another stack would otherwise answer us). */
async function portIsFree(port) {
  const server = createServer();
  try {
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    return true;
  } catch {
    return false;
  } finally {
    server.close();
  }
}

async function rpc(url, method, params = []) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = await response.json();
  if (body.error) throw new StackError(`${method}: ${body.error.message}`);
  return body.result;
}

/** Turns a pino JSON line into `msg key=value …`; other lines pass through. */
export function readableLine(line) {
  if (!line.startsWith('{')) return line;
  try {
    // time, pid, hostname and name are dropped from the console line (the log file keeps them).
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { level, time, pid, hostname, msg, name, ...rest } = JSON.parse(line);
    const levelName =
      { 10: 'trace', 20: 'debug', 30: 'info', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' }[level] ??
      level;
    const fields = Object.entries(rest)
      .filter(([, v]) => v !== undefined && typeof v !== 'object')
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    return {
      level: Number(level) || 30,
      text: `${levelName === 'info' ? '' : `${levelName} `}${msg ?? ''}${fields ? ` ${fields}` : ''}`,
    };
  } catch {
    return line;
  }
}

const notable =
  /submitted|challeng|dispute|attest|finali|best|register|vote|invalidat|rolled|started|listening|budget|fault|error|fail/i;

const accessLog = /^(GET|HEAD|POST|PUT|DELETE|OPTIONS) \S+ \d{3} /;

/** The console filter of `npm run dev`: warnings, errors and protocol events; all of it with verbose. */
export function consoleFilter(verbose) {
  return (line) => {
    const parsed = readableLine(line);
    if (typeof parsed === 'string') return verbose || !accessLog.test(parsed) ? parsed : null;
    if (verbose || parsed.level >= 40 || notable.test(parsed.text)) return parsed.text;
    return null;
  };
}

/**
 * Starts the stack. Options (all optional except dataDir):
 *   dataDir      folder for every piece of state (anvil state, deployments, IPFS blocks, indexer
 *                data, worker journals, logs); under the repository's .data/ (forge writes there)
 *   fresh        delete dataDir first
 *   ports        {anvil, indexer, gateway, portal, trainer, …}; 0 = a free port
 *   rpcUrl       use this chain instead of starting anvil (accounts from `mnemonic`)
 *   mnemonic     HD mnemonic of the deployer, workers and voters (default anvil's test mnemonic)
 *   graphqlUrl   use this graph-node subgraph endpoint instead of starting um-indexer
 *   kuboUrl      use this Kubo RPC API instead of the embedded IPFS node; ipfsGateway its gateway
 *   databaseUrl  Postgres for um-indexer instead of embedded PGlite
 *   build        run the Turbo build of the parts first (default true)
 *   portal       start the portal (default true)
 *   terms        demo terms (see demo-accounts.mjs)
 *   court        {commitPeriod, revealPeriod, unstakeCooldown} of the deployed court, seconds
 *                (default: the deploy script's 150, 90 and 600 on anvil)
 *   blockTime    anvil's interval mining once seeded, seconds (default 2)
 *   log          progress lines; verbose: echo every service line
 *   supervisor   a Supervisor to start the services under (lets the caller stop them while the
 *                stack is still starting); otherwise one is made with `onCrash` and `colour`
 *   onCrash      (name, code) when a service dies (default: stop and exit)
 */
export async function startStack(options) {
  const dataDir = options.dataDir;
  const log = options.log ?? ((line) => console.log(line));
  const terms = { ...defaultDemoTerms, ...options.terms };
  const mnemonic = options.mnemonic ?? TEST_MNEMONIC;
  const accounts = demoAccounts(mnemonic);
  const ports = { ...defaultPorts, ...options.ports };
  const unused = new Set([
    ...(options.rpcUrl ? ['anvil'] : []),
    ...(options.graphqlUrl ? ['indexer'] : []),
    ...(options.kuboUrl ? ['gateway'] : []),
    ...(options.portal === false ? ['portal'] : []),
  ]);
  for (const [name, port] of Object.entries(ports)) {
    if (unused.has(name)) continue;
    if (port === 0) ports[name] = await freePort();
    else if (!(await portIsFree(port)))
      throw new StackError(
        `port ${port} (${name}) is in use: is another stack running? Stop it, or choose another port with --port-${name}`,
      );
  }
  const logs = join(dataDir, 'logs');
  const total = 8;
  let stepNo = 0;
  const step = (text) => log(`[${++stepNo}/${total}] ${text}`);

  if (options.fresh && existsSync(dataDir)) {
    log(`--fresh: deleting ${dataDir}`);
    rmSync(dataDir, { recursive: true, force: true });
  }
  mkdirSync(logs, { recursive: true });
  const statePath = join(dataDir, 'stack.json');
  const saved = existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : {};
  const save = (patch) => {
    Object.assign(saved, patch);
    writeFileSync(
      statePath,
      JSON.stringify(saved, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2),
    );
  };

  const supervisor =
    options.supervisor ??
    new Supervisor({ log: (line) => log(line), onCrash: options.onCrash, colour: options.colour });
  const format = consoleFilter(Boolean(options.verbose));
  const service = (name, command, args, { quiet = false, ...extra } = {}) =>
    supervisor.start(name, command, args, {
      logFile: join(logs, `${name}.log`),
      ...extra,
      format: quiet && !options.verbose ? () => null : format,
    });
  // Short-lived helpers (the demo voters' `um-worker vote --wait`), ended on stop.
  const helpers = new Set();
  const stop = async () => {
    log('stopping the stack: portal, workers, indexer, IPFS node, chain');
    for (const child of helpers) child.kill('SIGTERM');
    await supervisor.stop();
    log(`stopped; data kept in ${dataDir}`);
  };

  try {
    // 1. Build what runs (Turbo caches: a no-op when nothing changed). The portal's bundle does not
    //    block the chain, the seed and the workers: it builds in the background (its dependencies,
    //    protocol and engine, are built by then) and is awaited just before the portal starts.
    let portalBuild = Promise.resolve();
    if (options.build ?? true) {
      step('building contracts, protocol, engine, indexer and worker (turbo, cached)');
      const started = Date.now();
      await runLogged(
        bin('turbo'),
        [
          'run',
          'build',
          '--filter=@um/worker...',
          '--filter=@um/indexer...',
          '--output-logs=errors-only',
        ],
        { env: { TURBO_TELEMETRY_DISABLED: '1' }, logFile: join(logs, 'build.log') },
      );
      log(
        `      built in ${((Date.now() - started) / 1000).toFixed(0)} s; the portal builds in the background`,
      );
      if (options.portal ?? true) {
        portalBuild = runLogged(
          bin('turbo'),
          ['run', 'build', '--filter=@um/web', '--only', '--output-logs=errors-only'],
          { env: { TURBO_TELEMETRY_DISABLED: '1' }, logFile: join(logs, 'portal-build.log') },
        );
        portalBuild.catch(() => undefined); // awaited (and reported) before the portal starts
      }
    } else step('build skipped (--no-build)');

    // 2. The chain.
    let rpcUrl = options.rpcUrl;
    const ownChain = !rpcUrl;
    if (ownChain) {
      rpcUrl = `http://127.0.0.1:${ports.anvil}`;
      const anvilState = join(dataDir, 'anvil-state.json');
      step(
        `starting anvil on ${rpcUrl} (state ${existsSync(anvilState) ? 'resumed from' : 'kept in'} ${anvilState})`,
      );
      service(
        'anvil',
        nativeBin('anvil'),
        [
          '--host',
          '127.0.0.1',
          '--port',
          String(ports.anvil),
          '--accounts',
          String(ACCOUNT_COUNT),
          '--mnemonic',
          mnemonic,
          '--state',
          anvilState,
          '--state-interval',
          '60',
        ],
        { quiet: true, tier: 0 },
      );
    } else step(`using the chain at ${rpcUrl}`);
    const chainId = await waitForRpc(rpcUrl, 30_000);
    if (saved.chainId !== undefined && saved.chainId !== chainId)
      throw new StackError(
        `${dataDir} holds data of chain ${saved.chainId}, not ${chainId}: start with --fresh`,
      );

    // 3. Contracts.
    const deploymentsDir = join(dataDir, 'deployments');
    const deploymentPath = join(deploymentsDir, `${chainId}.json`);
    if (existsSync(deploymentPath)) {
      const deployment = JSON.parse(readFileSync(deploymentPath, 'utf8'));
      const code = await rpc(rpcUrl, 'eth_getCode', [
        deployment.contracts.UMToken.address,
        'latest',
      ]);
      if (!code || code === '0x')
        throw new StackError(
          `the contracts in ${deploymentPath} are not on the chain at ${rpcUrl} (a new chain?): start with --fresh`,
        );
      step(`contracts already deployed (${deploymentPath})`);
    } else {
      step('deploying the contracts (forge script contracts/script/Deploy.s.sol)');
      mkdirSync(deploymentsDir, { recursive: true });
      await runLogged(
        bin('forge'),
        [
          'script',
          'contracts/script/Deploy.s.sol',
          '--rpc-url',
          rpcUrl,
          '--broadcast',
          '--private-key',
          accounts.deployer.privateKey,
          ...(ownChain ? [] : ['--slow']),
        ],
        {
          env: {
            UM_DEPLOYMENTS_DIR: deploymentsDir,
            ...(options.court?.commitPeriod && {
              UM_COURT_COMMIT_PERIOD: String(options.court.commitPeriod),
            }),
            ...(options.court?.revealPeriod && {
              UM_COURT_REVEAL_PERIOD: String(options.court.revealPeriod),
            }),
            ...(options.court?.unstakeCooldown && {
              UM_COURT_UNSTAKE_COOLDOWN: String(options.court.unstakeCooldown),
            }),
          },
          logFile: join(logs, 'deploy.log'),
        },
      );
    }
    const deployment = JSON.parse(readFileSync(deploymentPath, 'utf8'));
    save({ chainId });
    if (options.publishDeployment) {
      mkdirSync(join(repoRoot, 'deployments'), { recursive: true });
      copyFileSync(deploymentPath, join(repoRoot, 'deployments', `${chainId}.json`));
    }

    // 4. IPFS: the embedded node's blockstore (shared with the workers) or Kubo.
    let storeSpec;
    let gatewayUrl;
    let store;
    if (options.kuboUrl) {
      const { KuboStore } = await import('@um/engine/node');
      store = new KuboStore(options.kuboUrl);
      storeSpec = `kubo:${options.kuboUrl}`;
      gatewayUrl = options.ipfsGateway ?? 'http://127.0.0.1:8080';
      step(`using Kubo at ${options.kuboUrl} (gateway ${gatewayUrl})`);
    } else {
      const { EmbeddedIpfs } = await import('@um/engine/node');
      const ipfsDir = join(dataDir, 'ipfs');
      store = await EmbeddedIpfs.open(ipfsDir);
      storeSpec = `embedded:${ipfsDir}`;
      gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
      step(`starting the embedded IPFS node (blockstore ${ipfsDir}, gateway ${gatewayUrl})`);
      const child = service(
        'ipfs',
        node,
        [
          join(repoRoot, 'scripts', 'lib', 'ipfs-node.mjs'),
          '--dir',
          ipfsDir,
          '--port',
          String(ports.gateway),
        ],
        { tier: 1 },
      );
      await waitForHttp('the IPFS gateway', `${gatewayUrl}/health`, 30_000, child);
    }

    // 5. Seed the runs (fresh chain) while the subgraph builds for this deployment.
    const seeding = (async () => {
      if (saved.runs) return saved.runs;
      // demo.mjs imports the built workspaces (@um/engine, @um/protocol): only after the build.
      const { seedRuns } = await import('./demo.mjs');
      const runs = await seedRuns({
        rpcUrl,
        chainId,
        deployment,
        store,
        accounts,
        terms,
        log: (l) => log(`      ${l}`),
      });
      save({ runs });
      return runs;
    })();
    const subgraphDir = join(dataDir, 'subgraph');
    const building = (async () => {
      if (options.graphqlUrl) return;
      // The build is reused while the deployment and the subgraph's sources are unchanged. A new
      // build may change the schema or the mappings, so the embedded indexer's data is dropped and
      // the chain indexed again from the deployment block (anvil keeps every block).
      const stamp = join(subgraphDir, '.stamp');
      const current = subgraphStamp(deploymentPath);
      if (existsSync(stamp) && readFileSync(stamp, 'utf8') === current) return;
      const indexerData = join(dataDir, 'indexer');
      if (existsSync(indexerData) && !options.databaseUrl) {
        log('      the subgraph changed: its index is rebuilt from the chain');
        rmSync(indexerData, { recursive: true, force: true });
      }
      await runLogged(
        bin('tsx'),
        [
          join(repoRoot, 'subgraph', 'scripts', 'build.ts'),
          '--deployment',
          deploymentPath,
          '--output-dir',
          subgraphDir,
        ],
        { logFile: join(logs, 'subgraph-build.log') },
      );
      writeFileSync(stamp, current);
    })();
    step(
      saved.runs
        ? 'demo runs already seeded; checking the subgraph build'
        : `seeding the demo (tokens, court stakes, two iris runs)${options.graphqlUrl ? '' : ' and building the subgraph for this chain (graph codegen + graph build)'}`,
    );
    const [runs] = await Promise.all([seeding, building]);
    // Interval mining from here on, so time passes without transactions (leases, challenge windows
    // and voting deadlines are in seconds); the state file grows with every block, hence 2 s.
    if (ownChain) await rpc(rpcUrl, 'evm_setIntervalMining', [options.blockTime ?? 2]);

    // 6. The indexer (or an existing graph-node).
    let graphqlUrl = options.graphqlUrl;
    let indexerUrl;
    if (!graphqlUrl) {
      indexerUrl = `http://127.0.0.1:${ports.indexer}`;
      graphqlUrl = `${indexerUrl}/subgraphs/name/${SUBGRAPH_NAME}`;
      step(
        `starting um-indexer on ${indexerUrl} (${options.databaseUrl ? 'Postgres' : `PGlite in ${join(dataDir, 'indexer')}`})`,
      );
      const child = service(
        'indexer',
        node,
        [
          join(repoRoot, 'indexer', 'bin', 'um-indexer.js'),
          '--subgraph',
          subgraphDir,
          '--rpc',
          rpcUrl,
          '--data-dir',
          join(dataDir, 'indexer'),
          '--port',
          String(ports.indexer),
          '--name',
          SUBGRAPH_NAME,
          '--ipfs',
          gatewayUrl,
          ...(options.databaseUrl ? ['--database', options.databaseUrl] : []),
        ],
        { tier: 2 },
      );
      await waitForHttp('um-indexer', `${indexerUrl}/health`, 90_000, child);
    } else step(`using the subgraph at ${graphqlUrl}`);

    // 7. Workers: one process per account.
    step(
      'starting workers: trainer, verifier, faulty trainer + its verifier, three operators (one aggregating)',
    );
    const workerUrls = {};
    const worker = (name, account, roles, args) => {
      const port = ports[name];
      workerUrls[name] = `http://127.0.0.1:${port}`;
      return service(
        name,
        node,
        [
          join(repoRoot, 'worker', 'bin', 'um-worker.js'),
          '--roles',
          roles,
          '--rpc',
          rpcUrl,
          '--deployments',
          deploymentsDir,
          '--data-dir',
          join(dataDir, 'workers', name),
          '--ipfs',
          storeSpec,
          '--ipfs-gateway',
          gatewayUrl,
          '--http-port',
          String(port),
          '--poll-ms',
          '1000',
          ...args,
        ],
        { env: { UM_PRIVATE_KEY: account.privateKey }, tier: 3 },
      );
    };
    const aggregatorUrl = `http://127.0.0.1:${ports.operator1}`;
    const children = {
      trainer: worker('trainer', accounts.trainer, 'train', ['--run', runs.live]),
      verifier: worker('verifier', accounts.verifier, 'verify', ['--run', runs.live]),
      faultyTrainer: worker('faultyTrainer', accounts.faultyTrainer, 'train', [
        '--run',
        runs.fraud,
        '--fault',
        `wrong-step:${terms.faultStep}`,
      ]),
      fraudVerifier: worker('fraudVerifier', accounts.fraudVerifier, 'verify', [
        '--run',
        runs.fraud,
      ]),
      operator1: worker('operator1', accounts.operator1, 'evaluate,aggregate', [
        '--aggregator',
        aggregatorUrl,
      ]),
      operator2: worker('operator2', accounts.operator2, 'evaluate', [
        '--aggregator',
        aggregatorUrl,
      ]),
      operator3: worker('operator3', accounts.operator3, 'evaluate', [
        '--aggregator',
        aggregatorUrl,
      ]),
    };
    for (const [name, child] of Object.entries(children))
      await waitForHttp(`um-worker ${name}`, `${workerUrls[name]}/eigen/node`, 90_000, child);

    // 8. The portal.
    let portalUrl;
    if (options.portal ?? true) {
      portalUrl = `http://127.0.0.1:${ports.portal}`;
      await portalBuild;
      if (!existsSync(join(repoRoot, 'web', 'build', 'server', 'index.js')))
        throw new StackError(
          'the portal is not built (web/build): run npm run build -w web, or drop --no-build',
        );
      step(`starting the portal on ${portalUrl}`);
      const child = service(
        'portal',
        node,
        [
          join(repoRoot, 'node_modules', '@remix-run', 'serve', 'dist', 'cli.js'),
          'build/server/index.js',
        ],
        {
          cwd: join(repoRoot, 'web'),
          tier: 4,
          env: {
            HOST: '127.0.0.1',
            PORT: String(ports.portal),
            NODE_ENV: 'production',
            UM_GRAPHQL_URL: graphqlUrl,
            UM_RPC_URL: rpcUrl,
            UM_CHAIN_ID: String(chainId),
            UM_DEPLOYMENTS_DIR: deploymentsDir,
            UM_IPFS_GATEWAY: gatewayUrl,
          },
        },
      );
      // Any answer will do: the overview page itself answers 503 until the indexer has data.
      await waitForHttp('the portal', portalUrl, 90_000, child, { anyStatus: true });
    } else step('portal not started (--no-portal)');

    // The market task needs registered operators: seeded in the background.
    const market = (async () => {
      if (saved.market) return saved.market;
      const { seedMarket } = await import('./demo.mjs');
      const seeded = await seedMarket({
        rpcUrl,
        chainId,
        deployment,
        store,
        accounts,
        terms,
        log: (l) => log(`      ${l}`),
        waitFor: (what, check) => waitFor(what, check, 180_000, 1_000),
      });
      save({ market: seeded });
      return seeded;
    })();
    market.catch((error) => {
      if (!supervisor.stopping) log(`market seeding failed: ${error.message}`);
    });

    // The dispute demo on the fraud run (squat, honest challenge, ballots, rulings): in the
    // background, once per data folder.
    const disputes = (async () => {
      if (saved.disputeDemo) return saved.disputeDemo;
      if (saved.disputeDemoStarted) return undefined; // interrupted: its squat cannot be redone
      save({ disputeDemoStarted: true });
      const { runDisputeDemo } = await import('./demo.mjs');
      const outcome = await runDisputeDemo({
        rpcUrl,
        chainId,
        deployment,
        accounts,
        runs,
        terms,
        log: (l) => log(`      ${l}`),
        stopped: () => supervisor.stopping,
        judge: (voter, disputeId) =>
          runLogged(
            node,
            [
              join(repoRoot, 'worker', 'bin', 'um-worker.js'),
              'vote',
              '--dispute',
              String(disputeId),
              '--wait',
              '--json',
              '--rpc',
              rpcUrl,
              '--deployments',
              deploymentsDir,
              '--data-dir',
              join(dataDir, 'voters', `account-${voter.index}`),
              '--ipfs',
              storeSpec,
              '--ipfs-gateway',
              gatewayUrl,
            ],
            {
              env: { UM_PRIVATE_KEY: voter.privateKey },
              logFile: join(logs, `vote-account-${voter.index}.log`),
              children: helpers,
            },
          ),
      });
      save({ disputeDemo: outcome });
      return outcome;
    })();
    disputes.catch((error) => {
      if (!supervisor.stopping) log(`dispute demo failed: ${error.message}`);
    });

    const urls = {
      portal: portalUrl,
      graphql: graphqlUrl,
      graphiql: graphqlUrl,
      portalGraphiql: portalUrl && `${portalUrl}/graphql`,
      rpc: rpcUrl,
      ipfsGateway: gatewayUrl,
      indexerMetrics: indexerUrl && `${indexerUrl}/metrics`,
      workers: workerUrls,
    };
    return {
      urls,
      chainId,
      deployment,
      deploymentsDir,
      runs,
      market,
      disputes,
      accounts,
      supervisor,
      async stop() {
        await stop();
        await store.close();
      },
    };
  } catch (error) {
    await supervisor.stop();
    throw error;
  }
}
