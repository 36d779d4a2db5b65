/**
 * The local chain's (anvil) well-known development accounts, for voting and delegating without a
 * browser wallet during development. They exist only on chain id 31337: their keys are public, so
 * the picker must never be offered anywhere else.
 */
import { mnemonicToAccount, type HDAccount } from 'viem/accounts';

export const LOCAL_CHAIN_ID = 31337;
/** anvil's and Hardhat's default mnemonic (public knowledge, never holds real value). */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';

export class DevAccountsError extends Error {
  override name = 'DevAccountsError';
}

export type DevAccount = { index: number; address: `0x${string}`; account: HDAccount };

/** The first `count` dev accounts on the local chain; an empty list on every other chain. */
export function devAccountsFor(chainId: number, count = 10): DevAccount[] {
  if (chainId !== LOCAL_CHAIN_ID) return [];
  if (!Number.isInteger(count) || count < 1 || count > 20) {
    throw new DevAccountsError(`count must be 1..20, got ${count}`);
  }
  return Array.from({ length: count }, (_, index) => {
    const account = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: index });
    return { index, address: account.address, account };
  });
}
