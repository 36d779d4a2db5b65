/**
 * The ballot relay: a voter signs an EIP-712 Ballot in the browser (no gas, no ETH needed) and the
 * portal's server submits it with DisputeCourt.castVoteBySig from its own relayer account. The
 * court checks the signature against the voter and the voter's nonce, so the relayer cannot change
 * the vote; at most it can refuse to relay, and then anyone else can.
 *
 * The relayer key is UM_RELAYER_PRIVATE_KEY. On the local chain (31337) it defaults to anvil's dev
 * account #9, whose key is public; on any other chain relaying is off without the variable.
 */
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
import { decodeRevert } from './revert.js';

export class RelayInputError extends Error {
  override name = 'RelayInputError';
}

export type SignedBallot = {
  disputeId: bigint;
  support: 0 | 1 | 2;
  voter: `0x${string}`;
  reason: string;
  signature: Hex;
};

export type RelayResult =
  | { ok: true; txHash: Hex; blockNumber: string; relayer: `0x${string}` }
  | { ok: false; message: string; help?: string };

/** Reads a signed ballot from the posted form; bad fields are a RelayInputError naming the field. */
export function parseSignedBallot(form: FormData, disputeId: string): SignedBallot {
  const field = (name: string) => {
    const v = form.get(name);
    if (typeof v !== 'string') throw new RelayInputError(`${name} is missing`);
    return v.trim();
  };
  if (!/^\d+$/.test(disputeId)) throw new RelayInputError('disputeId must be a number');
  const support = Number(field('support'));
  if (support !== 0 && support !== 1 && support !== 2) {
    throw new RelayInputError('support must be 0 (Fraud), 1 (Valid) or 2 (Abstain)');
  }
  const voter = field('voter');
  if (!isAddress(voter, { strict: false })) throw new RelayInputError('voter must be an address');
  const signature = field('signature');
  if (!isHex(signature) || signature.length < 132) {
    throw new RelayInputError('signature must be a hex EIP-712 signature');
  }
  const reason = typeof form.get('reason') === 'string' ? String(form.get('reason')) : '';
  if (reason.length > 500) throw new RelayInputError('reason must be at most 500 characters');
  return {
    disputeId: BigInt(disputeId),
    support,
    voter: voter as `0x${string}`,
    reason,
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

/** Simulates, then submits castVoteBySig and waits for the receipt; reverts come back decoded. */
export async function relayBallot(chain: ChainConfig, ballot: SignedBallot): Promise<RelayResult> {
  if (!chain.court) return { ok: false, message: chain.problem ?? 'the court address is unknown' };
  const account = relayerAccount(chain.chainId);
  if (!account) {
    return {
      ok: false,
      message:
        'This portal does not relay ballots on this chain (UM_RELAYER_PRIVATE_KEY is unset).',
    };
  }
  const viemChain = defineChain({
    id: chain.chainId,
    name: `Chain ${chain.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [chain.rpcUrl] } },
  });
  const publicClient = createPublicClient({ chain: viemChain, transport: http(chain.rpcUrl) });
  const wallet = createWalletClient({ chain: viemChain, account, transport: http(chain.rpcUrl) });
  try {
    const { request } = await publicClient.simulateContract({
      account,
      address: chain.court,
      abi: disputeCourtAbi,
      functionName: 'castVoteBySig',
      args: [ballot.disputeId, ballot.support, ballot.voter, ballot.reason, ballot.signature],
    });
    const txHash = await wallet.writeContract(request);
    const receipt = await publicClient.waitForTransactionReceipt({ hash: txHash });
    if (receipt.status !== 'success') {
      return {
        ok: false,
        message: `The relayed transaction reverted (block ${receipt.blockNumber}).`,
      };
    }
    return {
      ok: true,
      txHash,
      blockNumber: receipt.blockNumber.toString(),
      relayer: account.address,
    };
  } catch (err) {
    const d = decodeRevert(err, portalErrorAbi);
    return {
      ok: false,
      message: d.message,
      help: d.kind === 'custom' ? COURT_ERROR_HELP[d.errorName] : undefined,
    };
  }
}
