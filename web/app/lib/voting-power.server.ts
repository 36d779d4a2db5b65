/**
 * Reads what explainVotingPower needs from the chain: UMToken.getPastVotes at the snapshot, the
 * current delegate and balance, the balance at the snapshot (eth_call at that block) and the
 * account's Transfer-in and DelegateChanged history.
 */
import { createPublicClient, http } from 'viem';
import type { ChainConfig } from './chain.server.js';
import { umTokenAbi } from './contracts.js';
import { explainVotingPower, type VotingPowerExplanation } from './voting-power.js';

export type VotingPowerResult =
  { ok: true; explanation: VotingPowerExplanation } | { ok: false; reason: string };

export async function readVotingPower(
  chain: ChainConfig,
  account: `0x${string}`,
  snapshotBlock: bigint,
): Promise<VotingPowerResult> {
  if (!chain.token)
    return {
      ok: false,
      reason: `The portal does not know the UMToken address: ${chain.problem ?? 'missing from the deployment'}.`,
    };
  const client = createPublicClient({
    transport: http(chain.rpcUrl, { timeout: 8_000, retryCount: 0 }),
  });
  const token = chain.token;
  try {
    const [votesAtSnapshot, delegateNow, balanceNow, balanceAtSnapshot, transfers, delegations] =
      await Promise.all([
        client.readContract({
          address: token,
          abi: umTokenAbi,
          functionName: 'getPastVotes',
          args: [account, snapshotBlock],
        }),
        client.readContract({
          address: token,
          abi: umTokenAbi,
          functionName: 'delegates',
          args: [account],
        }),
        client.readContract({
          address: token,
          abi: umTokenAbi,
          functionName: 'balanceOf',
          args: [account],
        }),
        client.readContract({
          address: token,
          abi: umTokenAbi,
          functionName: 'balanceOf',
          args: [account],
          blockNumber: snapshotBlock,
        }),
        client.getContractEvents({
          address: token,
          abi: umTokenAbi,
          eventName: 'Transfer',
          args: { to: account },
          fromBlock: 0n,
        }),
        client.getContractEvents({
          address: token,
          abi: umTokenAbi,
          eventName: 'DelegateChanged',
          args: { delegator: account },
          fromBlock: 0n,
        }),
      ]);
    return {
      ok: true,
      explanation: explainVotingPower({
        account,
        snapshotBlock,
        votesAtSnapshot,
        delegateNow,
        balanceNow,
        balanceAtSnapshot,
        transfersIn: transfers.map((t) => ({ block: t.blockNumber, amount: t.args.value ?? 0n })),
        delegations: delegations.map((d) => ({
          block: d.blockNumber,
          delegate: d.args.toDelegate ?? '0x0000000000000000000000000000000000000000',
        })),
      }),
    };
  } catch (err) {
    return {
      ok: false,
      reason: `Could not read the chain at ${chain.rpcUrl}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
    };
  }
}
