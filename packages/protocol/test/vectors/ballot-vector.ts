import type { Address, Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import {
  ballotCommitDigest,
  ballotCommitment,
  ballotCommitTypedData,
  Support,
} from '../../src/eip712/ballot.js';

/**
 * A BallotCommit signed by viem for a DisputeCourt at `court` on chain `chainId`: its commitment,
 * the digest the court's ballotCommitDigest must return and the signature commitVoteBySig must
 * accept. The key is anvil's well-known second development key.
 */
export interface BallotVector {
  readonly description: string;
  readonly chainId: number;
  readonly court: Address;
  readonly disputeId: string;
  readonly support: number;
  readonly salt: Hex;
  readonly voter: Address;
  readonly commitment: Hex;
  readonly digest: Hex;
  readonly signature: Hex;
}

export const BALLOT_VECTOR_KEY: Hex =
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';

export async function buildBallotVector(): Promise<BallotVector> {
  const account = privateKeyToAccount(BALLOT_VECTOR_KEY);
  const chainId = 31337;
  const court: Address = '0x00000000000000000000000000000000c0ffee01';
  const disputeId = 1n;
  const salt: Hex = '0x5a175a175a175a175a175a175a175a175a175a175a175a175a175a175a175a17';
  const commitment = ballotCommitment(disputeId, account.address, Support.Fraud, salt);
  const ballot = { disputeId, voter: account.address, commitment };
  const signature = await account.signTypedData(ballotCommitTypedData({ chainId, court, ballot }));
  return {
    description:
      'EIP-712 BallotCommit signed by viem (packages/protocol/src/eip712/ballot.ts) for DisputeCourt v2 commitVoteBySig.',
    chainId,
    court,
    disputeId: disputeId.toString(),
    support: Support.Fraud,
    salt,
    voter: account.address,
    commitment,
    digest: ballotCommitDigest({ chainId, court, ballot }),
    signature,
  };
}
