import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDeployment } from '@um/protocol/deployments';
import { formatEther, isAddress, isHex, parseEther, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { connect } from '../chain/client.js';
import { envNames, fromEnv, fromFile, resolveConfig, type RawConfig } from '../config.js';
import { openContentStore } from '../content/store.js';
import { ConfigError, KeyError, WorkerError } from '../errors.js';
import { encryptKeystore, loadAccount } from '../keys.js';
import { createLogger } from '../log.js';
import { startWorker } from '../service.js';
import { sleep, toJson } from '../util.js';
import {
  ballotCommitPayload,
  BallotStateError,
  claimBallotReward,
  commitBallot,
  judgeDispute,
  openBallotJournal,
  prepareBallot,
  relayBallotCommit,
  requestUnstake,
  revealBallot,
  stakeInCourt,
  stakeStatus,
  withdrawUnstaked,
  type SupportName,
} from '../vote.js';
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
  'dry-run': { type: 'boolean' },
  wait: { type: 'boolean' },
  'print-payload': { type: 'boolean' },
  voter: { type: 'string' },
  signature: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The chain, court, key and ballot journal every court command needs. */
async function courtSession(
  values: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  options: { needsKey: boolean },
) {
  const raw: RawConfig = Object.assign({}, ...sources(values, env));
  const config = resolveConfig({
    ...raw,
    roles: 'verify',
    run: '0x0000000000000000000000000000000000000000',
  });
  const account =
    options.needsKey || env.UM_PRIVATE_KEY || config.keystore
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
  const journal = openBallotJournal(join(config.dataDir, 'ballots.json'));
  return { config, conn, court, journal, deployment };
}

const iso = (seconds: string | bigint): string => new Date(Number(seconds) * 1000).toISOString();

/** Waits (polling chain time) until the dispute leaves its commit phase. */
async function untilRevealPhase(
  conn: Awaited<ReturnType<typeof courtSession>>['conn'],
  commitDeadline: bigint,
  say: (text: string) => void,
): Promise<void> {
  say(`waiting for the reveal phase (after ${iso(commitDeadline)})…\n`);
  for (;;) {
    const now = (await conn.publicClient.getBlock({ blockTag: 'latest' })).timestamp;
    if (now > commitDeadline) return;
    await sleep(1_000);
  }
}

/**
 * `um-worker vote`: replay the disputed step, print the verdict, then act on the dispute's phase:
 * commit a salted ballot (salt journaled first), reveal it, or claim the voter's reward.
 */
async function vote(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: (text: string) => void,
): Promise<number> {
  const values = parse(argv, voteOptions);
  const disputeText = values.dispute as string | undefined;
  if (!disputeText || !/^\d+$/.test(disputeText) || BigInt(disputeText) < 1n)
    throw new ConfigError('vote needs --dispute <id> (ids start at 1)');
  const supportText = (values.support as string | undefined) ?? 'auto';
  if (!['auto', 'fraud', 'valid', 'abstain'].includes(supportText))
    throw new ConfigError(`--support must be auto, fraud, valid or abstain, got "${supportText}"`);
  const dryRun = values['dry-run'] === true || values['print-payload'] === true;
  const relaying = values.signature !== undefined;
  const { config, conn, court, journal, deployment } = await courtSession(values, env, {
    needsKey: !dryRun,
  });
  const voterText = (values.voter as string | undefined) ?? conn.account.address;
  if (!isAddress(voterText))
    throw new ConfigError(`--voter must be an address, got "${voterText}"`);
  const voter = voterText as Address;
  const disputeId = BigInt(disputeText);
  const json = values.json === true;
  const result: Record<string, unknown> = {};
  const say = (text: string): void => {
    if (!json) out(text);
  };
  const store = await openContentStore(config.ipfs, config.ipfsGateways);
  try {
    const report = await judgeDispute({
      conn,
      store,
      court,
      disputeId,
      fromBlock: config.fromBlock ?? BigInt(deployment.startBlock),
      contentTimeoutMs: config.contentTimeoutMs,
    });
    const support = (supportText === 'auto' ? report.verdict : supportText) as SupportName;
    Object.assign(result, { report, support });
    say(
      [
        `dispute ${report.disputeId}: ${report.phase} phase (commit until ${iso(report.commitDeadline)}, reveal until ${iso(report.revealDeadline)})`,
        `run ${report.run} round ${report.round} step ${report.step} (index ${report.stepIndex})`,
        `verdict: ${report.verdict.toUpperCase()} — ${report.reason}`,
        `  state before (on chain)  ${report.priorStateHash}`,
        `  committed (on chain)     ${report.committedStateHash}`,
        `  replayed here            ${report.recomputedStateHash} (from ${report.replayedFrom === 'evidence' ? 'the evidence' : "the round's base"})`,
        `  challenger says          ${report.challengerStateHash ?? '(no readable evidence)'}`,
        `  evidence                 ${report.evidenceURI || '(none)'}${report.evidenceProblem ? ` — unusable: ${report.evidenceProblem}` : ''}`,
        '',
      ].join('\n'),
    );
    if (values['dry-run'] === true) {
      if (json) out(toJson(result, 2) + '\n');
      return 0;
    }
    const phase = report.phase;
    if (values['print-payload'] === true || relaying) {
      if (phase !== 'commit')
        throw new BallotStateError(`dispute ${disputeId} is past its commit phase (${phase})`);
      const entry = prepareBallot({
        journal,
        chainId: conn.chainId,
        court,
        disputeId,
        voter,
        support,
      });
      if (values['print-payload'] === true) {
        Object.assign(result, {
          payload: ballotCommitPayload(entry),
          journal: journal.path,
        });
        if (json) out(toJson(result, 2) + '\n');
        else
          out(
            `sign this BallotCommit as ${voter} (its ${entry.support} ballot's salt is in ${journal.path}; keep that file for the reveal):\n${toJson(ballotCommitPayload(entry), 2)}\n`,
          );
        return 0;
      }
      const signature = values.signature as string;
      if (!isHex(signature)) throw new ConfigError('--signature must be 0x-prefixed hex');
      const tx = await relayBallotCommit({ conn, journal, entry, signature: signature as Hex });
      Object.assign(result, { action: 'relayed-commit', tx });
      say(`relayed the ${entry.support} ballot commit of ${voter}: ${tx}\n`);
      if (json) out(toJson(result, 2) + '\n');
      return 0;
    }
    let current = phase;
    if (current === 'commit') {
      if (voter !== conn.account.address)
        throw new ConfigError(
          '--voter needs --print-payload or --signature in the commit phase (only the key commits for itself)',
        );
      const { entry, tx } = await commitBallot({ conn, journal, court, disputeId, support });
      Object.assign(result, { action: 'committed', tx, ballot: entry.support });
      say(
        tx
          ? `committed a hidden ${entry.support} ballot on dispute ${disputeId}: ${tx}\n`
          : `the ${entry.support} ballot on dispute ${disputeId} was already committed\n`,
      );
      if (values.wait !== true) {
        say(
          `run this command again after ${iso(report.commitDeadline)} to reveal it (or pass --wait)\n`,
        );
        if (json) out(toJson(result, 2) + '\n');
        return 0;
      }
      await untilRevealPhase(conn, BigInt(report.commitDeadline), say);
      current = 'reveal';
    }
    if (current === 'reveal') {
      const { entry, tx, weight } = await revealBallot({ conn, journal, court, disputeId, voter });
      Object.assign(result, { action: 'revealed', tx, weight });
      say(
        tx
          ? `revealed the ${entry.support} ballot of ${voter} on dispute ${disputeId} with weight ${formatEther(weight)} UM: ${tx}\n`
          : `the ballot of ${voter} on dispute ${disputeId} was already revealed\n`,
      );
    } else if (current === 'ended') {
      say(`voting on dispute ${disputeId} ended; it awaits resolve()\n`);
      Object.assign(result, { action: 'none' });
    } else {
      const amount = await claimBallotReward({ conn, court, disputeId, voter });
      Object.assign(result, { action: 'claimed', amount });
      say(
        amount > 0n
          ? `claimed ${formatEther(amount)} ETH of court fee for ${voter} on dispute ${disputeId}\n`
          : `nothing to claim for ${voter} on dispute ${disputeId}\n`,
      );
    }
    if (json) out(toJson(result, 2) + '\n');
    return 0;
  } finally {
    await store.close();
  }
}

const stakeOptions = {
  amount: { type: 'string' },
  permit: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

function parseUm(text: unknown): bigint {
  if (typeof text !== 'string' || !/^\d+(\.\d{1,18})?$/.test(text))
    throw new ConfigError(
      `--amount must be a positive UM amount like 1000 or 0.5, got "${String(text)}"`,
    );
  const amount = parseEther(text);
  if (amount === 0n) throw new ConfigError('--amount must be more than 0');
  return amount;
}

/** `um-worker stake|unstake|withdraw-unstaked`: the key's voting stake in the court. */
async function courtStake(
  command: 'stake' | 'unstake' | 'withdraw-unstaked',
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: (text: string) => void,
): Promise<number> {
  const values = parse(argv, stakeOptions);
  const { conn, court } = await courtSession(values, env, { needsKey: true });
  let tx: Hex | undefined;
  if (command === 'stake') {
    if (values.amount !== undefined)
      tx = await stakeInCourt({
        conn,
        court,
        amount: parseUm(values.amount),
        permit: values.permit === true,
      });
  } else if (command === 'unstake') {
    tx = await requestUnstake(conn, court, parseUm(values.amount));
  } else {
    tx = await withdrawUnstaked(conn, court);
  }
  const status = await stakeStatus(conn, court);
  if (values.json === true) out(toJson({ tx, ...status }, 2) + '\n');
  else
    out(
      [
        tx ? `${command}: ${tx}` : undefined,
        `${status.account}: ${formatEther(status.stake)} UM staked in the court, ${formatEther(status.balance)} UM in the wallet`,
        status.pending > 0n
          ? `  ${formatEther(status.pending)} UM unstaking, withdrawable from ${iso(status.unlockAt)} (um-worker withdraw-unstaked)`
          : undefined,
        '',
      ]
        .filter((line) => line !== undefined)
        .join('\n'),
    );
  return 0;
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
    if (argv[0] === 'stake' || argv[0] === 'unstake' || argv[0] === 'withdraw-unstaked')
      return await courtStake(argv[0], argv.slice(1), env, out);
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
