/**
 * The ballot relay: a voter signs ONE EIP-712 BallotCommit in the browser (no gas, no ETH needed)
 * and posts it with its choice and salt. The portal's server checks that the choice and salt give
 * the signed commitment, stores them (relay-store.server.ts) and submits
 * DisputeCourt.commitVoteBySig from its relayer account; once the dispute's commit deadline has
 * passed it submits revealVote itself. The court checks the signature, so the relayer cannot change
 * the vote; it learns the choice before the reveal, which is the price of not revealing yourself.
 *
 * When the reveal happens: `revealDueBallots` runs (a) from the loaders of /disputes and
 * /disputes/:id, so the first page load after a commit deadline reveals, and (b) from a timer
 * started by the first relayed commit or page load (every UM_RELAY_REVEAL_INTERVAL_MS, default
 * 10 s, unref'd so it never keeps the process alive). Runs are serialised; a restart reloads the
 * store and carries on.
 *
 * The relayer key is UM_RELAYER_PRIVATE_KEY. On the local chain (31337) it defaults to anvil's dev
 * account #9, whose key is public; on any other chain relaying is off without the variable.
 */
import { ballotCommitment, BallotError } from '@um/protocol';
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  isAddress,
  isHex,
  type Account,
  type Hex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { ChainConfig } from './chain.server.js';
import { COURT_ERROR_HELP, disputeCourtAbi, portalErrorAbi } from './contracts.js';
import { devAccountsFor, LOCAL_CHAIN_ID } from './dev-accounts.js';
import { keyOf, RelayStore, RelayStoreError, type RelayedBallot } from './relay-store.server.js';
import { decodeRevert } from './revert.js';

export class RelayInputError extends Error {
  override name = 'RelayInputError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export type SignedCommit = {
  disputeId: bigint;
  voter: `0x${string}`;
  support: 0 | 1 | 2;
  salt: Hex;
  commitment: Hex;
  signature: Hex;
};

export type RelayResult =
  | { ok: true; txHash: Hex; blockNumber: string; relayer: `0x${string}` }
  | { ok: false; message: string; help?: string };

/** Reads a signed ballot commit from the posted form; bad fields are a RelayInputError naming it. */
export function parseSignedCommit(form: FormData, disputeId: string): SignedCommit {
  const field = (name: string) => {
    const v = form.get(name);
    if (typeof v !== 'string') throw new RelayInputError(`${name} is missing`);
    return v.trim();
  };
  if (!/^\d+$/.test(disputeId) || BigInt(disputeId) < 1n)
    throw new RelayInputError('disputeId must be a number from 1');
  const support = Number(field('support'));
  if (support !== 0 && support !== 1 && support !== 2) {
    throw new RelayInputError('support must be 0 (Fraud), 1 (Valid) or 2 (Abstain)');
  }
  const voter = field('voter');
  if (!isAddress(voter, { strict: false })) throw new RelayInputError('voter must be an address');
  const salt = field('salt');
  if (!/^0x[0-9a-fA-F]{64}$/.test(salt)) throw new RelayInputError('salt must be 32 bytes of hex');
  const signature = field('signature');
  if (!isHex(signature) || signature.length < 132) {
    throw new RelayInputError('signature must be a hex EIP-712 signature');
  }
  let commitment: Hex;
  try {
    commitment = ballotCommitment(BigInt(disputeId), voter as `0x${string}`, support, salt as Hex);
  } catch (err) {
    if (err instanceof BallotError) throw new RelayInputError(err.message, { cause: err });
    throw err;
  }
  const claimed = form.get('commitment');
  if (typeof claimed === 'string' && claimed.trim() && claimed.trim().toLowerCase() !== commitment)
    throw new RelayInputError('commitment does not match the support and salt sent with it');
  return {
    disputeId: BigInt(disputeId),
    voter: voter as `0x${string}`,
    support,
    salt: salt as Hex,
    commitment,
    signature: signature as Hex,
  };
}

/** The relayer account, or null when relaying is off on this chain. */
export function relayerAccount(chainId: number): Account | null {
  const key = process.env.UM_RELAYER_PRIVATE_KEY;
  if (key) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(key)) {
      throw new RelayInputError('UM_RELAYER_PRIVATE_KEY must be a 32-byte hex private key');
    }
    return privateKeyToAccount(key as Hex);
  }
  if (chainId === LOCAL_CHAIN_ID) return devAccountsFor(chainId, 10)[9]!.account;
  return null;
}

function clients(chain: ChainConfig, account: Account) {
  const viemChain = defineChain({
    id: chain.chainId,
    name: `Chain ${chain.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [chain.rpcUrl] } },
  });
  const transport = http(chain.rpcUrl, { timeout: 15_000, retryCount: 0 });
  return {
    publicClient: createPublicClient({ chain: viemChain, transport, cacheTime: 0 }),
    wallet: createWalletClient({ chain: viemChain, account, transport }),
  };
}

function failure(err: unknown): { ok: false; message: string; help?: string } {
  const d = decodeRevert(err, portalErrorAbi);
  return {
    ok: false,
    message: d.message,
    help: d.kind === 'custom' ? COURT_ERROR_HELP[d.errorName] : undefined,
  };
}

/**
 * Simulates, stores (salt first), then submits commitVoteBySig and waits for the receipt; reverts
 * come back decoded and leave nothing stored.
 */
export async function relayCommit(
  chain: ChainConfig,
  ballot: SignedCommit,
  store: RelayStore = new RelayStore(),
): Promise<RelayResult> {
  if (!chain.court) return { ok: false, message: chain.problem ?? 'the court address is unknown' };
  const account = relayerAccount(chain.chainId);
  if (!account) {
    return {
      ok: false,
      message:
        'This portal does not relay ballots on this chain (UM_RELAYER_PRIVATE_KEY is unset).',
    };
  }
  const { publicClient, wallet } = clients(chain, account);
  const entry: RelayedBallot = {
    chainId: chain.chainId,
    court: chain.court,
    disputeId: ballot.disputeId.toString(),
    voter: ballot.voter,
    support: ballot.support,
    salt: ballot.salt,
    commitment: ballot.commitment,
    state: 'committing',
    updatedAt: Date.now(),
  };
  try {
    const { request } = await publicClient.simulateContract({
      account,
      address: chain.court,
      abi: disputeCourtAbi,
      functionName: 'commitVoteBySig',
      args: [ballot.disputeId, ballot.voter, ballot.commitment, ballot.signature],
    });
    // The salt is on disk before the commit can land: whatever happens next, the reveal can too.
    store.put(entry);
    const txHash = await wallet.writeContract(request);
    store.put({ ...entry, commitTx: txHash });
    const receipt = await publicClient.waitForTransactionReceipt({ hash: txHash });
    if (receipt.status !== 'success') {
      store.put({ ...entry, commitTx: txHash, state: 'missed', problem: 'the commit reverted' });
      return { ok: false, message: `The relayed commit reverted (block ${receipt.blockNumber}).` };
    }
    store.put({ ...entry, commitTx: txHash, state: 'committed' });
    startRevealLoop(chain);
    return {
      ok: true,
      txHash,
      blockNumber: receipt.blockNumber.toString(),
      relayer: account.address,
    };
  } catch (err) {
    if (err instanceof RelayStoreError) return { ok: false, message: err.message };
    return failure(err);
  }
}

/** What the relay did with one stored ballot in one pass. */
export type RevealOutcome = {
  key: string;
  disputeId: string;
  voter: `0x${string}`;
  result: 'revealed' | 'waiting' | 'missed' | 'error';
  txHash?: Hex;
  message?: string;
};

let running: Promise<RevealOutcome[]> | null = null;

/**
 * Reveals every stored ballot whose dispute is in its reveal phase now (chain time), marks those
 * whose commit never landed or whose reveal deadline passed as 'missed', and leaves the rest.
 * Concurrent callers share one pass.
 */
export function revealDueBallots(
  chain: ChainConfig,
  store: RelayStore = new RelayStore(),
): Promise<RevealOutcome[]> {
  running ??= revealPass(chain, store).finally(() => {
    running = null;
  });
  return running;
}

async function revealPass(chain: ChainConfig, store: RelayStore): Promise<RevealOutcome[]> {
  const court = chain.court;
  if (!court) return [];
  const pending = store
    .pending()
    .filter((b) => b.chainId === chain.chainId && b.court.toLowerCase() === court.toLowerCase());
  if (pending.length === 0) return [];
  const account = relayerAccount(chain.chainId);
  if (!account) return [];
  const { publicClient, wallet } = clients(chain, account);
  const now = (await publicClient.getBlock({ blockTag: 'latest' })).timestamp;
  const out: RevealOutcome[] = [];
  for (const b of pending) {
    const base = { key: keyOf(b), disputeId: b.disputeId, voter: b.voter };
    try {
      const disputeId = BigInt(b.disputeId);
      const [dispute, receipt] = await Promise.all([
        publicClient.readContract({
          address: court,
          abi: disputeCourtAbi,
          functionName: 'getDispute',
          args: [disputeId],
        }),
        publicClient.readContract({
          address: court,
          abi: disputeCourtAbi,
          functionName: 'getReceipt',
          args: [disputeId, b.voter],
        }),
      ]);
      if (receipt.revealed) {
        store.put({ ...b, state: 'revealed' });
        out.push({ ...base, result: 'revealed', message: 'already revealed' });
        continue;
      }
      const committed = receipt.commitment.toLowerCase() === b.commitment.toLowerCase();
      if (now <= dispute.commitDeadline) {
        if (committed && b.state === 'committing') store.put({ ...b, state: 'committed' });
        out.push({ ...base, result: 'waiting' });
        continue;
      }
      if (!committed || now > dispute.revealDeadline || dispute.state !== 1) {
        const problem = !committed
          ? 'the commit never landed on chain'
          : 'the reveal deadline passed before the relay could reveal';
        store.put({ ...b, state: 'missed', problem });
        out.push({ ...base, result: 'missed', message: problem });
        continue;
      }
      const { request } = await publicClient.simulateContract({
        account,
        address: court,
        abi: disputeCourtAbi,
        functionName: 'revealVote',
        args: [disputeId, b.voter, b.support, b.salt],
      });
      const txHash = await wallet.writeContract(request);
      const mined = await publicClient.waitForTransactionReceipt({ hash: txHash });
      if (mined.status !== 'success')
        throw new Error(`the reveal reverted (block ${mined.blockNumber})`);
      store.put({ ...b, state: 'revealed', revealTx: txHash });
      out.push({ ...base, result: 'revealed', txHash });
    } catch (err) {
      // Kept pending: the next pass retries until the reveal deadline.
      const message = err instanceof RelayStoreError ? err.message : failure(err).message;
      out.push({ ...base, result: 'error', message });
    }
  }
  return out;
}

let loop: ReturnType<typeof setInterval> | null = null;

/** Starts the background reveal timer once per process (no-op when relaying is off). */
export function startRevealLoop(chain: ChainConfig): void {
  if (loop || !chain.court || !relayerAccount(chain.chainId)) return;
  const every = Number(process.env.UM_RELAY_REVEAL_INTERVAL_MS || 10_000);
  if (!(every > 0)) return;
  loop = setInterval(() => {
    revealDueBallots(chain).catch(() => {
      // An unreachable chain is retried on the next tick; page loads surface errors.
    });
  }, every);
  loop.unref();
}

/**
 * The relay's record of `voter`'s ballot on `disputeId` for the page: its state and transactions
 * only. Never the salt or the choice — anyone can load the page with any ?account=, and the choice
 * must stay hidden until the reveal.
 */
export function relayedBallotOf(
  chain: ChainConfig,
  disputeId: string,
  voter: string,
  store: RelayStore = new RelayStore(),
): Pick<RelayedBallot, 'state' | 'commitTx' | 'revealTx' | 'problem'> | null {
  if (!chain.court) return null;
  try {
    const b = store.get(
      keyOf({
        chainId: chain.chainId,
        court: chain.court,
        disputeId,
        voter: voter as `0x${string}`,
      }),
    );
    if (!b) return null;
    return { state: b.state, commitTx: b.commitTx, revealTx: b.revealTx, problem: b.problem };
  } catch {
    return null;
  }
}
