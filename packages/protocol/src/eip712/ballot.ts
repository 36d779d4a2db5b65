import { hashTypedData, type Address, type Hex, type TypedDataDomain } from 'viem';
import { ProtocolError } from '../errors.js';

/**
 * EIP-712 ballot of DisputeCourt.castVoteBySig: a token holder signs once, anyone relays. Mirrors
 * `BALLOT_TYPEHASH` and the domain `EIP712("UM DisputeCourt", "1")` of
 * contracts/src/training/DisputeCourt.sol; test/ballot.test.ts checks both against a signature the
 * contract accepts (test/vectors/ballot.json, verified by contracts/test/training/BallotVector.t.sol).
 */

export class BallotError extends ProtocolError {
  override name = 'BallotError';
}

/** Ballot options, the `support` of castVote, castVoteBySig and the VoteCast event. */
export const Support = { Fraud: 0, Valid: 1, Abstain: 2 } as const;
export type Support = (typeof Support)[keyof typeof Support];

export const DISPUTE_COURT_DOMAIN_NAME = 'UM DisputeCourt';
export const DISPUTE_COURT_DOMAIN_VERSION = '1';

/** The EIP-712 types, ready for viem's signTypedData / hashTypedData. */
export const ballotTypes = {
  Ballot: [
    { name: 'disputeId', type: 'uint256' },
    { name: 'support', type: 'uint8' },
    { name: 'voter', type: 'address' },
    { name: 'nonce', type: 'uint256' },
    { name: 'reason', type: 'string' },
  ],
} as const;

/** The message of one ballot. `nonce` is DisputeCourt.nonces(voter) at signing time. */
export interface Ballot {
  readonly disputeId: bigint;
  readonly support: Support;
  readonly voter: Address;
  readonly nonce: bigint;
  readonly reason: string;
}

/** The court's EIP-712 domain on `chainId` at `court`. */
export function ballotDomain(chainId: number, court: Address): TypedDataDomain {
  return {
    name: DISPUTE_COURT_DOMAIN_NAME,
    version: DISPUTE_COURT_DOMAIN_VERSION,
    chainId,
    verifyingContract: court,
  };
}

/**
 * The full typed-data argument for viem, e.g.
 * `walletClient.signTypedData({ account, ...ballotTypedData({ chainId, court, ballot }) })`.
 */
export function ballotTypedData(args: {
  readonly chainId: number;
  readonly court: Address;
  readonly ballot: Ballot;
}) {
  const { chainId, court, ballot } = args;
  if (!Object.values(Support).includes(ballot.support)) {
    throw new BallotError(
      `support must be 0 (Fraud), 1 (Valid) or 2 (Abstain), got ${ballot.support}`,
    );
  }
  if (ballot.disputeId < 1n)
    throw new BallotError(`dispute ids start at 1, got ${ballot.disputeId}`);
  if (ballot.nonce < 0n) throw new BallotError(`nonce must not be negative, got ${ballot.nonce}`);
  return {
    domain: ballotDomain(chainId, court),
    types: ballotTypes,
    primaryType: 'Ballot' as const,
    message: {
      disputeId: ballot.disputeId,
      support: ballot.support,
      voter: ballot.voter,
      nonce: ballot.nonce,
      reason: ballot.reason,
    },
  };
}

/** The digest the court's ballotDigest() returns and the voter signs. */
export function ballotDigest(args: {
  readonly chainId: number;
  readonly court: Address;
  readonly ballot: Ballot;
}): Hex {
  return hashTypedData(ballotTypedData(args));
}
