#!/usr/bin/env node
// npm run dev: the whole local stack with a live demo (see docs/dev-stack.md).
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from './lib/foundry.mjs';
import { defaultPorts, StackError, startStack } from './lib/stack.mjs';
import { Supervisor } from './lib/supervisor.mjs';

const usage = `npm run dev: the whole Unstoppable Models stack on this machine, with a live demo.

Starts anvil, deploys the contracts, seeds the demo, builds the subgraph for the chain, starts the
embedded IPFS node, um-indexer, the workers (trainer, verifier, a faulty trainer and its verifier,
three operators, one aggregating) and the portal, then prints the URLs. Ctrl-C stops everything;
the next start resumes with the same data (.data/dev). Logs of every service: .data/dev/logs/.

Usage: npm run dev [-- options]

Options (flag · environment):
  --fresh                     delete the data folder and start over
  --data-dir <dir>            UM_DEV_DATA       where all state lives [.data/dev]
  --rpc-url <url>             UM_RPC_URL        use this chain instead of anvil (it must fund the
                                                mnemonic's accounts 0–17 with ETH)
  --mnemonic <words>          UM_MNEMONIC       accounts of the deployer, workers and voters
                                                [anvil's public test mnemonic]
  --graphql-url <url>         UM_GRAPHQL_URL    use this graph-node subgraph endpoint instead of
                                                starting um-indexer (deploy the subgraph yourself:
                                                docs/deployment.md)
  --kubo <url>                UM_KUBO_URL       use a Kubo node's RPC API instead of the embedded node
  --ipfs-gateway <url>        UM_IPFS_GATEWAY   the gateway serving that Kubo node [http://127.0.0.1:8080]
  --database <url>            DATABASE_URL      Postgres for um-indexer instead of embedded PGlite
  --port-<service> <n>                          anvil, indexer, gateway, portal, trainer, verifier,
                                                faultyTrainer, fraudVerifier, operator1..3
  --no-build                                    skip the (cached) Turbo build
  --verbose                                     print every log line of every service
  -h, --help

Examples:
  npm run dev
  npm run dev -- --fresh
  npm run dev -- --port-portal 3100 --port-anvil 9545 --port-indexer 8100
  npm run dev -- --database postgres://um:um@127.0.0.1:5432/um
  npm run dev -- --kubo http://127.0.0.1:5001 --ipfs-gateway http://127.0.0.1:8080
  UM_RPC_URL=http://10.0.0.5:8545 UM_MNEMONIC="…" npm run dev -- --graphql-url \\
      http://127.0.0.1:8000/subgraphs/name/unstoppable-models`;

const portOptions = Object.fromEntries(
  Object.keys(defaultPorts).map((name) => [`port-${name}`, { type: 'string' }]),
);
let values;
try {
  ({ values } = parseArgs({
    strict: true,
    options: {
      fresh: { type: 'boolean' },
      'data-dir': { type: 'string' },
      'rpc-url': { type: 'string' },
      mnemonic: { type: 'string' },
      'graphql-url': { type: 'string' },
      kubo: { type: 'string' },
      'ipfs-gateway': { type: 'string' },
      database: { type: 'string' },
      'no-build': { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      ...portOptions,
    },
  }));
} catch (error) {
  console.error(`${error.message}\n\nRun npm run dev -- --help for the options.`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const ports = {};
for (const name of Object.keys(defaultPorts)) {
  const text = values[`port-${name}`];
  if (text === undefined) continue;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`--port-${name} must be a port number, got "${text}"`);
    process.exit(2);
  }
  ports[name] = port;
}

const env = process.env;
const dataDir = resolve(values['data-dir'] ?? env.UM_DEV_DATA ?? join(repoRoot, '.data', 'dev'));
const started = Date.now();
let stack;
let stopping = false;
const shutdown = async (reason, code = 0) => {
  if (stopping) {
    console.log(`\n${reason} again: exiting now (journals and state files are crash-safe)`);
    process.exit(1);
  }
  stopping = true;
  console.log(`\n${reason}: stopping every service`);
  if (stack) await stack.stop();
  else await supervisor.stop();
  process.exit(code);
};
const supervisor = new Supervisor({
  onCrash: (name) => {
    console.error(
      `\n${name} stopped unexpectedly (its log: ${join(dataDir, 'logs', `${name}.log`)})`,
    );
    void shutdown('crash', 1);
  },
});
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  stack = await startStack({
    dataDir,
    fresh: values.fresh,
    ports,
    rpcUrl: values['rpc-url'] ?? env.UM_RPC_URL,
    mnemonic: values.mnemonic ?? env.UM_MNEMONIC,
    graphqlUrl: values['graphql-url'] ?? env.UM_GRAPHQL_URL,
    kuboUrl: values.kubo ?? env.UM_KUBO_URL,
    ipfsGateway: values['ipfs-gateway'] ?? env.UM_IPFS_GATEWAY,
    databaseUrl: values.database ?? env.DATABASE_URL,
    build: !values['no-build'],
    verbose: values.verbose,
    publishDeployment: true,
    supervisor,
  });
} catch (error) {
  if (stopping) await new Promise(() => {}); // shutdown() exits
  console.error(
    `\nnpm run dev failed: ${error instanceof StackError ? error.message : error.stack}`,
  );
  process.exit(1);
}

const { urls, runs, accounts } = stack;
const seconds = ((Date.now() - started) / 1000).toFixed(0);
console.log(`
The stack is up (${seconds} s). Open the portal:

  Portal        ${urls.portal ?? '(not started)'}
                  live run    ${urls.portal}/runs/${runs.live.toLowerCase()}
                  fraud demo  ${urls.portal}/runs/${runs.fraud.toLowerCase()} (its dispute: ${urls.portal}/disputes)
                  market      ${urls.portal}/tasks
  GraphQL       ${urls.graphql}
  GraphiQL      ${urls.graphiql} (in a browser) · ${urls.portalGraphiql ?? ''}
  Metrics       ${urls.indexerMetrics ?? '(graph-node)'} · ${urls.ipfsGateway}/metrics
${Object.entries(urls.workers)
  .map(([name, url]) => `                ${name.padEnd(14)}${url}/metrics`)
  .join('\n')}
  RPC           ${urls.rpc} (chain ${stack.chainId})
  IPFS gateway  ${urls.ipfsGateway}/ipfs/<cid>

The fraud demo: right after the faulty trainer submits its bad round, its second address squats it
(a challenge of a correct step); the verifier challenges the first wrong step beside it. Dev
accounts 8 and 9 judge both (commit, then reveal); about 4 min later the squat is ruled valid and
the fraud is ruled fraud. The redone round is challenged again: that dispute stays open for hours,
vote on it from the portal with the dev-account picker (accounts 0–9 each stake 10M UM in the
court, e.g. ${accounts.voters[1].address}). The market task is being seeded in the background.
Ctrl-C stops every process; npm run dev resumes; npm run dev -- --fresh starts over.
`);
