/**
 * Reads an account's court position from the chain: stake at a dispute's snapshot
 * (DisputeCourt.stakeAt) and now, pending unstake and its unlock time, wallet UM and the court's
 * allowance (for the stake form), and the Staked/UnstakeRequested history that explains a zero.
 */
import { createPublicClient, http } from 'viem';
import type { ChainConfig } from './chain.server.js';
import { disputeCourtAbi, umTokenAbi } from './contracts.js';
import { explainVotingPower, type VotingPowerExplanation } from './voting-power.js';

/** What the stake panel shows; amounts as decimal strings so they travel through JSON. */
export type CourtAccount = {
  stake: string;
  pendingUnstake: string;
  /** Unix seconds when the pending unstake can be withdrawn (0: nothing pending). */
  unlockAt: number;
  balance: string;
  allowance: string;
  /** Chain time of the latest block, to tell "locked" from "withdrawable". */
  now: number;
  unstakeCooldown: number;
};

export type VotingPowerResult =
  | { ok: true; explanation: VotingPowerExplanation | null; account: CourtAccount }
  | { ok: false; reason: string };

export async function readVotingPower(
  chain: ChainConfig,
  account: `0x${string}`,
  snapshotBlock: bigint | null,
): Promise<VotingPowerResult> {
  if (!chain.court || !chain.token)
    return {
      ok: false,
      reason: `The portal does not know the DisputeCourt and UMToken addresses: ${chain.problem ?? 'missing from the deployment'}.`,
    };
  const client = createPublicClient({
    transport: http(chain.rpcUrl, { timeout: 8_000, retryCount: 0 }),
  });
  const court = chain.court;
  try {
    const [stakeNow, pending, balance, allowance, params, block, stakeAtSnapshot, staked, dropped] =
      await Promise.all([
        client.readContract({
          address: court,
          abi: disputeCourtAbi,
          functionName: 'stakeOf',
          args: [account],
        }),
        client.readContract({
          address: court,
          abi: disputeCourtAbi,
          functionName: 'pendingUnstakes',
          args: [account],
        }),
        client.readContract({
          address: chain.token,
          abi: umTokenAbi,
          functionName: 'balanceOf',
          args: [account],
        }),
        client.readContract({
          address: chain.token,
          abi: umTokenAbi,
          functionName: 'allowance',
          args: [account, court],
        }),
        client.readContract({ address: court, abi: disputeCourtAbi, functionName: 'parameters' }),
        client.getBlock({ blockTag: 'latest' }),
        snapshotBlock === null
          ? Promise.resolve(0n)
          : client.readContract({
              address: court,
              abi: disputeCourtAbi,
              functionName: 'stakeAt',
              args: [account, snapshotBlock],
            }),
        snapshotBlock === null
          ? Promise.resolve([])
          : client.getContractEvents({
              address: court,
              abi: disputeCourtAbi,
              eventName: 'Staked',
              args: { account },
              fromBlock: 0n,
            }),
        snapshotBlock === null
          ? Promise.resolve([])
          : client.getContractEvents({
              address: court,
              abi: disputeCourtAbi,
              eventName: 'UnstakeRequested',
              args: { account },
              fromBlock: 0n,
            }),
      ]);
    const [pendingAmount, unlockAt] = pending as readonly [bigint, bigint];
    const history = [
      ...staked.map((e) => ({
        block: e.blockNumber,
        log: e.logIndex,
        kind: 'Staked' as const,
        stakeAfter: (e.args as { stake?: bigint }).stake ?? 0n,
      })),
      ...dropped.map((e) => ({
        block: e.blockNumber,
        log: e.logIndex,
        kind: 'UnstakeRequested' as const,
        stakeAfter: (e.args as { stake?: bigint }).stake ?? 0n,
      })),
    ].sort((a, b) => (a.block === b.block ? a.log - b.log : a.block < b.block ? -1 : 1));
    return {
      ok: true,
      explanation:
        snapshotBlock === null
          ? null
          : explainVotingPower({ snapshotBlock, stakeAtSnapshot, stakeNow, history }),
      account: {
        stake: stakeNow.toString(),
        pendingUnstake: pendingAmount.toString(),
        unlockAt: Number(unlockAt),
        balance: balance.toString(),
        allowance: allowance.toString(),
        now: Number(block.timestamp),
        unstakeCooldown: Number(params.unstakeCooldown),
      },
    };
  } catch (err) {
    return {
      ok: false,
      reason: `Could not read the chain at ${chain.rpcUrl}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
    };
  }
}
