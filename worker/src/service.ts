import { join } from 'node:path';
import { EmbeddedIpfs, startGateway, type Gateway } from '@um/engine/node';
import { loadDeployment } from '@um/protocol/deployments';
import { runFactoryAbi } from '@um/protocol/abis';
import type { Address } from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import { connect, type ChainConnection } from './chain/client.js';
import { openContentStore, type ContentStore } from './content/store.js';
import { ConfigError } from './errors.js';
import { startHttpServer, type RunningHttpServer } from './http/server.js';
import type { WorkerConfig } from './config.js';
import type { Logger } from './log.js';
import { WorkerMetrics } from './metrics.js';
import { Aggregator } from './roles/aggregator.js';
import { Evaluator } from './roles/evaluator.js';
import type { Role } from './roles/role.js';
import { Trainer } from './roles/trainer.js';
import { Verifier } from './roles/verifier.js';

export const WORKER_VERSION = '0.1.0';

export interface RunningWorker {
  readonly conn: ChainConnection;
  readonly http?: RunningHttpServer;
  readonly gateway?: Gateway;
  readonly roles: readonly Role[];
  /** Resolves when every role loop has returned: true if none failed. */
  readonly done: Promise<boolean>;
  /** Graceful stop: lets each role finish the step in hand, then closes servers and stores. */
  stop(): Promise<void>;
}

/** Wires the configured roles to one account, one chain, one content store and one HTTP server. */
export async function startWorker(
  config: WorkerConfig,
  account: PrivateKeyAccount,
  log: Logger,
): Promise<RunningWorker> {
  const metrics = new WorkerMetrics();
  const conn = await connect({
    rpcUrl: config.rpc,
    account,
    pollingIntervalMs: Math.min(config.pollMs, 4_000),
  });
  const deployment = loadDeployment(conn.chainId, config.deployments);
  const contract = (name: string): Address => {
    const entry = deployment.contracts[name];
    if (!entry) throw new ConfigError(`deployments/${conn.chainId}.json has no ${name}`);
    return entry.address;
  };
  const fromBlock = config.fromBlock ?? BigInt(deployment.startBlock);
  const store: ContentStore = await openContentStore(config.ipfs, config.ipfsGateways);
  let gateway: Gateway | undefined;
  if (config.gatewayPort !== undefined && store instanceof EmbeddedIpfs)
    gateway = await startGateway(store, { host: config.httpHost, port: config.gatewayPort });

  let run = config.run;
  if (!run && config.runId !== undefined) {
    run = await conn.publicClient.readContract({
      address: contract('RunFactory'),
      abi: runFactoryAbi,
      functionName: 'runs',
      args: [config.runId],
    });
  }
  const roles: Role[] = [];
  let aggregator: Aggregator | undefined;
  const journal = (name: string): string =>
    join(
      config.dataDir,
      'journal',
      `${conn.chainId}-${account.address.toLowerCase()}-${name}.json`,
    );
  const common = {
    conn,
    log,
    metrics,
    pollMs: config.pollMs,
    fromBlock,
    contentTimeoutMs: config.contentTimeoutMs,
    confirmations: config.confirmations,
  };
  for (const role of config.roles) {
    if (role === 'train')
      roles.push(
        new Trainer({
          ...common,
          store,
          run: run!,
          journalPath: journal(`train-${run}`),
          faults: config.faults,
          maxRounds: config.rounds,
          trainUnpaid: config.trainUnpaid,
        }),
      );
    if (role === 'verify')
      roles.push(
        new Verifier({
          ...common,
          store,
          run: run!,
          journalPath: journal(`verify-${run}`),
          share: config.verifyShare,
        }),
      );
    if (role === 'evaluate')
      roles.push(
        new Evaluator({
          ...common,
          store,
          market: contract('ModelMarket'),
          center: contract('AttestationCenter'),
          registry: contract('OperatorRegistry'),
          token: contract('UMToken'),
          aggregatorUrl: config.aggregator!,
          journalPath: journal('evaluate'),
          faults: config.faults,
          registerStake: config.registerStake,
          tasks: config.tasks,
        }),
      );
    if (role === 'aggregate') {
      aggregator = new Aggregator({
        conn,
        log,
        metrics,
        market: contract('ModelMarket'),
        center: contract('AttestationCenter'),
        registry: contract('OperatorRegistry'),
      });
      roles.push(aggregator);
    }
  }
  if (aggregator && config.httpPort === undefined)
    throw new ConfigError('the aggregate role serves POST /attestations: it needs --http-port');
  const http =
    config.httpPort === undefined
      ? undefined
      : await startHttpServer({
          host: config.httpHost,
          port: config.httpPort,
          metrics,
          nodeVersion: WORKER_VERSION,
          services: () => roles,
        });
  if (http && aggregator) aggregator.mount(http);
  log.info(
    {
      address: account.address,
      chainId: conn.chainId,
      roles: config.roles,
      run,
      http: http?.url,
      gateway: gateway?.url,
    },
    'um-worker started',
  );

  // The account's balance for um_worker_eth_balance_wei, whatever the roles.
  const updateBalance = (): void => {
    conn.publicClient
      .getBalance({ address: account.address })
      .then((balance) => metrics.ethBalance.set(Number(balance)))
      .catch(() => metrics.chainErrors.inc({ operation: 'balance' }));
  };
  updateBalance();
  const balanceTimer = setInterval(updateBalance, Math.max(config.pollMs * 10, 15_000));
  balanceTimer.unref();

  const controller = new AbortController();
  const done = Promise.allSettled(
    roles.map((role) =>
      role.run(controller.signal).catch((error: unknown) => {
        log.fatal({ err: error, role: role.id }, 'role stopped with an error');
        throw error;
      }),
    ),
  ).then((results) => results.every((r) => r.status === 'fulfilled'));
  let stopping: Promise<void> | undefined;
  return {
    conn,
    http,
    gateway,
    roles,
    done,
    stop() {
      stopping ??= (async () => {
        controller.abort();
        clearInterval(balanceTimer);
        await done;
        await http?.close();
        await gateway?.close();
        await store.close();
        log.info('um-worker stopped');
      })();
      return stopping;
    },
  };
}
