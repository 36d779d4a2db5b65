import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { disputeCourtAbi } from '@um/protocol/abis';
import { loadDeployment } from '@um/protocol/deployments';
import { isAddress, isHex, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { connect } from '../chain/client.js';
import { envNames, fromEnv, fromFile, resolveConfig, type RawConfig } from '../config.js';
import { openContentStore } from '../content/store.js';
import { ConfigError, KeyError, WorkerError } from '../errors.js';
import { encryptKeystore, loadAccount } from '../keys.js';
import { createLogger } from '../log.js';
import { startWorker } from '../service.js';
import { toJson } from '../util.js';
import { ballotPayload, castVote, judgeDispute, relayVote, type SupportName } from '../vote.js';
import { usage } from './help.js';

export { usage };

const serviceOptions = Object.fromEntries([
  ...Object.keys(envNames).map(
    (key) =>
      [
        key,
        { type: key === 'train-unpaid' ? 'boolean' : 'string', multiple: key === 'fault' },
      ] as const,
  ),
  ['config', { type: 'string' }] as const,
]) as Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;

function parse(
  argv: readonly string[],
  extra: Record<string, { type: 'string' | 'boolean' }> = {},
) {
  try {
    return parseArgs({
      args: [...argv],
      options: { ...serviceOptions, ...extra },
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | string[] | boolean | undefined>;
  } catch (error) {
    throw new ConfigError(`${(error as Error).message} (see um-worker --help)`);
  }
}

function sources(values: Record<string, unknown>, env: NodeJS.ProcessEnv): RawConfig[] {
  const file = (values.config as string | undefined) ?? env.UM_CONFIG;
  const flags: RawConfig = {};
  for (const key of Object.keys(envNames))
    if (values[key] !== undefined) flags[key as keyof RawConfig] = values[key] as string;
  return [file ? fromFile(file) : {}, fromEnv(env), flags];
}

/** `um-worker --roles …`: runs until SIGINT/SIGTERM (a second signal exits at once). */
async function serve(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const config = resolveConfig(...sources(parse(argv), env));
  const log = createLogger({ level: config.logLevel });
  const account = loadAccount({
    privateKey: env.UM_PRIVATE_KEY,
    keystorePath: config.keystore,
    password: env.UM_KEYSTORE_PASSWORD,
    passwordFile: config.passwordFile,
  });
  const worker = await startWorker(config, account, log);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    log.info({ signal }, 'shutting down after the step in hand (signal again to force)');
    void worker.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const ok = await worker.done;
  await worker.stop();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return ok ? 0 : 1;
}

const voteOptions = {
  dispute: { type: 'string' },
  support: { type: 'string' },
  reason: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'print-payload': { type: 'boolean' },
  voter: { type: 'string' },
  signature: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** `um-worker vote`: recompute the disputed step, print the verdict and evidence, vote. */
async function vote(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: (text: string) => void,
): Promise<number> {
  const values = parse(argv, voteOptions);
  const raw: RawConfig = Object.assign({}, ...sources(values, env));
  const disputeText = values.dispute as string | undefined;
  if (!disputeText || !/^\d+$/.test(disputeText))
    throw new ConfigError('vote needs --dispute <id>');
  const supportText = (values.support as string | undefined) ?? 'auto';
  if (!['auto', 'fraud', 'valid', 'abstain'].includes(supportText))
    throw new ConfigError(`--support must be auto, fraud, valid or abstain, got "${supportText}"`);
  const config = resolveConfig({
    ...raw,
    roles: 'verify',
    run: '0x0000000000000000000000000000000000000000',
  });
  const log = createLogger({ level: (values['log-level'] as string | undefined) ?? 'warn' });
  const dryRun = values['dry-run'] === true || values['print-payload'] === true;
  const needsKey = !dryRun && values.signature === undefined;
  const account =
    needsKey || env.UM_PRIVATE_KEY || config.keystore
      ? loadAccount({
          privateKey: env.UM_PRIVATE_KEY,
          keystorePath: config.keystore,
          password: env.UM_KEYSTORE_PASSWORD,
          passwordFile: config.passwordFile,
        })
      : privateKeyToAccount(generatePrivateKey());
  const conn = await connect({ rpcUrl: config.rpc, account, pollingIntervalMs: 500 });
  const deployment = loadDeployment(conn.chainId, config.deployments);
  const court = deployment.contracts.DisputeCourt?.address;
  if (!court) throw new ConfigError(`deployments/${conn.chainId}.json has no DisputeCourt`);
  const store = await openContentStore(config.ipfs, config.ipfsGateways);
  try {
    const disputeId = BigInt(disputeText);
    const report = await judgeDispute({
      conn,
      store,
      court,
      disputeId,
      fromBlock: config.fromBlock ?? BigInt(deployment.startBlock),
      contentTimeoutMs: config.contentTimeoutMs,
    });
    const support = (supportText === 'auto' ? report.verdict : supportText) as SupportName;
    const reason = (values.reason as string | undefined) ?? report.reason;
    const json = values.json === true;
    if (json) out(toJson({ report, support, reason }, 2) + '\n');
    else {
      out(
        [
          `dispute ${report.disputeId} (${report.state}, voting ends at ${new Date(Number(report.deadline) * 1000).toISOString()})`,
          `run ${report.run} round ${report.round} step ${report.step} (index ${report.stepIndex})`,
          `verdict: ${report.verdict.toUpperCase()} — ${report.reason}`,
          `  committed leaf    ${report.committedLeaf}`,
          `  recomputed leaf   ${report.recomputedLeaf}`,
          `  recomputed state  ${report.recomputedStateHash}`,
          `  base state        ${report.baseStateHash}`,
          `  checkpoint        ${report.stateURI}${report.checkpoint ? ` (${report.checkpoint})` : ''}`,
          `  challenger evidence ${report.evidenceURI || '(none)'}`,
          '',
        ].join('\n'),
      );
    }
    if (values['dry-run'] === true) return 0;
    const voterText = (values.voter as string | undefined) ?? account.address;
    if (!isAddress(voterText))
      throw new ConfigError(`--voter must be an address, got "${voterText}"`);
    const voter = voterText as Address;
    if (values['print-payload'] === true) {
      const payload = await ballotPayload(
        conn.publicClient as never,
        conn.chainId,
        court,
        disputeId,
        support,
        voter,
        reason,
      );
      out(toJson(payload, 2) + '\n');
      return 0;
    }
    if (values.signature !== undefined) {
      const signature = values.signature as string;
      if (!isHex(signature)) throw new ConfigError('--signature must be 0x-prefixed hex');
      const tx = await relayVote(conn, court, disputeId, support, voter, reason, signature as Hex);
      out(`relayed ${support} ballot of ${voter}: ${tx}\n`);
      return 0;
    }
    const before = await conn.publicClient.readContract({
      address: court,
      abi: disputeCourtAbi,
      functionName: 'getReceipt',
      args: [disputeId, account.address],
    });
    if (before.hasVoted)
      throw new ConfigError(`${account.address} already voted on dispute ${disputeId}`);
    const tx = await castVote(conn, court, disputeId, support, reason);
    out(`voted ${support} on dispute ${disputeId}: ${tx}\n`);
    return 0;
  } finally {
    await store.close();
    log.flush();
  }
}

/** `um-worker keystore --out <file>`: encrypts UM_PRIVATE_KEY with UM_KEYSTORE_PASSWORD. */
function keystore(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: (text: string) => void,
): number {
  const { values } = parseArgs({
    args: [...argv],
    options: { out: { type: 'string' } },
    strict: true,
  });
  if (!values.out) throw new ConfigError('keystore needs --out <file>');
  if (!env.UM_KEYSTORE_PASSWORD)
    throw new KeyError('set UM_KEYSTORE_PASSWORD to the password to encrypt with');
  const account = loadAccount({ privateKey: env.UM_PRIVATE_KEY });
  const key = env.UM_PRIVATE_KEY!.startsWith('0x')
    ? env.UM_PRIVATE_KEY!
    : `0x${env.UM_PRIVATE_KEY}`;
  writeFileSync(values.out, encryptKeystore(key as Hex, env.UM_KEYSTORE_PASSWORD), { mode: 0o600 });
  out(`wrote the keystore of ${account.address} to ${values.out}\n`);
  return 0;
}

/** Entry point of the um-worker command; returns the exit code. */
export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  out: (text: string) => void = (text) => process.stdout.write(text),
  err: (text: string) => void = (text) => process.stderr.write(text),
): Promise<number> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    out(usage);
    return 0;
  }
  try {
    if (argv[0] === 'vote') return await vote(argv.slice(1), env, out);
    if (argv[0] === 'keystore') return keystore(argv.slice(1), env, out);
    return await serve(argv[0] === 'run' ? argv.slice(1) : argv, env);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof KeyError) {
      err(`um-worker: ${error.message}\n`);
      return 2;
    }
    if (error instanceof WorkerError) {
      err(`um-worker: ${error.name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
