import type { Address, Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { ballotDigest, ballotTypedData, Support } from '../../src/eip712/ballot.js';

/**
 * A ballot signed by viem that contracts/test/training/BallotVector.t.sol submits to a real
 * DisputeCourt deployed at `court` on chain `chainId`: the contract must compute the same digest
 * and accept the signature. The key is anvil's well-known second development key.
 */
export interface BallotVector {
  readonly description: string;
  readonly chainId: number;
  readonly court: Address;
  readonly disputeId: string;
  readonly support: number;
  readonly voter: Address;
  readonly nonce: string;
  readonly reason: string;
  readonly digest: Hex;
  readonly signature: Hex;
}

export const BALLOT_VECTOR_KEY: Hex =
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';

export async function buildBallotVector(): Promise<BallotVector> {
  const account = privateKeyToAccount(BALLOT_VECTOR_KEY);
  const chainId = 31337;
  const court: Address = '0x00000000000000000000000000000000c0ffee01';
  const ballot = {
    disputeId: 1n,
    support: Support.Fraud,
    voter: account.address,
    nonce: 0n,
    reason: 'step 4 of round 0 does not reproduce: ipfs://bafy-evidence ✓',
  };
  const signature = await account.signTypedData(ballotTypedData({ chainId, court, ballot }));
  return {
    description:
      'EIP-712 Ballot signed by viem (packages/protocol/src/eip712/ballot.ts); verified on a real DisputeCourt by contracts/test/training/BallotVector.t.sol.',
    chainId,
    court,
    disputeId: ballot.disputeId.toString(),
    support: ballot.support,
    voter: account.address,
    nonce: ballot.nonce.toString(),
    reason: ballot.reason,
    digest: ballotDigest({ chainId, court, ballot }),
    signature,
  };
}
