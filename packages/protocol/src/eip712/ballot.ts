import {
  encodeAbiParameters,
  hashTypedData,
  keccak256,
  type Address,
  type Hex,
  type TypedDataDomain,
} from 'viem';
import { ProtocolError } from '../errors.js';

/**
 * Court v2 ballots are commit–reveal. A voter commits `ballotCommitment(disputeId, voter, support,
 * salt)` (hiding its choice until the reveal phase), either directly with commitVote or by signing
 * the EIP-712 `BallotCommit` below once and letting a relayer send commitVoteBySig; anyone holding
 * the salt reveals later with revealVote. Mirrors `BALLOT_COMMIT_TYPEHASH`, `ballotCommitment` and
 * the domain `EIP712("UM DisputeCourt", "2")` of contracts/src/training/DisputeCourt.sol;
 * test/court-views.test.ts checks all three against a real DisputeCourt on anvil.
 */

export class BallotError extends ProtocolError {
  override name = 'BallotError';
}

/** Ballot options: the `support` of ballotCommitment, revealVote and VoteRevealed. */
export const Support = { Fraud: 0, Valid: 1, Abstain: 2 } as const;
export type Support = (typeof Support)[keyof typeof Support];

export const DISPUTE_COURT_DOMAIN_NAME = 'UM DisputeCourt';
export const DISPUTE_COURT_DOMAIN_VERSION = '2';

/** The EIP-712 types of commitVoteBySig, ready for viem's signTypedData / hashTypedData. */
export const ballotCommitTypes = {
  BallotCommit: [
    { name: 'disputeId', type: 'uint256' },
    { name: 'voter', type: 'address' },
    { name: 'commitment', type: 'bytes32' },
  ],
} as const;

/** The message a voter signs: it binds the dispute and the voter, so it can be used only once. */
export interface BallotCommit {
  readonly disputeId: bigint;
  readonly voter: Address;
  /** ballotCommitment(disputeId, voter, support, salt). */
  readonly commitment: Hex;
}

const isBytes32 = (value: string): boolean => /^0x[0-9a-fA-F]{64}$/.test(value);

function checkDisputeId(disputeId: bigint): void {
  if (typeof disputeId !== 'bigint' || disputeId < 1n)
    throw new BallotError(`dispute ids start at 1, got ${String(disputeId)}`);
}

function checkSupport(support: number): asserts support is Support {
  if (!Object.values(Support).includes(support as Support)) {
    throw new BallotError(`support must be 0 (Fraud), 1 (Valid) or 2 (Abstain), got ${support}`);
  }
}

/**
 * What a voter commits: keccak256(abi.encode(disputeId, voter, uint8 support, bytes32 salt)),
 * equal to DisputeCourt.ballotCommitment. Keep `salt` secret (and safe) until the reveal.
 */
export function ballotCommitment(
  disputeId: bigint,
  voter: Address,
  support: Support,
  salt: Hex,
): Hex {
  checkDisputeId(disputeId);
  checkSupport(support);
  if (!isBytes32(salt)) throw new BallotError(`salt must be 32 bytes of hex, got ${salt}`);
  return keccak256(
    encodeAbiParameters(
      [{ type: 'uint256' }, { type: 'address' }, { type: 'uint8' }, { type: 'bytes32' }],
      [disputeId, voter, support, salt],
    ),
  );
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
 * `walletClient.signTypedData({ account, ...ballotCommitTypedData({ chainId, court, ballot }) })`.
 */
export function ballotCommitTypedData(args: {
  readonly chainId: number;
  readonly court: Address;
  readonly ballot: BallotCommit;
}) {
  const { chainId, court, ballot } = args;
  checkDisputeId(ballot.disputeId);
  if (!isBytes32(ballot.commitment))
    throw new BallotError(`commitment must be 32 bytes of hex, got ${ballot.commitment}`);
  if (/^0x0{64}$/.test(ballot.commitment))
    throw new BallotError('the zero commitment is refused by the court');
  return {
    domain: ballotDomain(chainId, court),
    types: ballotCommitTypes,
    primaryType: 'BallotCommit' as const,
    message: {
      disputeId: ballot.disputeId,
      voter: ballot.voter,
      commitment: ballot.commitment,
    },
  };
}

/** The digest DisputeCourt.ballotCommitDigest returns and the voter signs. */
export function ballotCommitDigest(args: {
  readonly chainId: number;
  readonly court: Address;
  readonly ballot: BallotCommit;
}): Hex {
  return hashTypedData(ballotCommitTypedData(args));
}
