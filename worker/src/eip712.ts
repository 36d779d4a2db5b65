import type { Address, Hex } from 'viem';

/*
 * EIP-712 typed data of the court's ballots and the market's attestations, mirroring
 * DisputeCourt.BALLOT_TYPEHASH and AttestationCenter.ATTESTATION_TYPEHASH. (These belong in
 * packages/protocol/src/eip712 once the contract helpers publish them there.)
 */

export const ballotTypes = {
  Ballot: [
    { name: 'disputeId', type: 'uint256' },
    { name: 'support', type: 'uint8' },
    { name: 'voter', type: 'address' },
    { name: 'nonce', type: 'uint256' },
    { name: 'reason', type: 'string' },
  ],
} as const;

export const attestationTypes = {
  Attestation: [
    { name: 'candidateId', type: 'uint256' },
    { name: 'paramsHash', type: 'bytes32' },
    { name: 'seed', type: 'bytes32' },
    { name: 'score', type: 'int256' },
  ],
} as const;

export const ballotDomain = (chainId: number, court: Address) =>
  ({ name: 'UM DisputeCourt', version: '1', chainId, verifyingContract: court }) as const;

export const attestationDomain = (chainId: number, center: Address) =>
  ({ name: 'UM AttestationCenter', version: '1', chainId, verifyingContract: center }) as const;

export interface Ballot {
  readonly disputeId: bigint;
  readonly support: number;
  readonly voter: Address;
  readonly nonce: bigint;
  readonly reason: string;
}

export interface Attestation {
  readonly candidateId: bigint;
  readonly paramsHash: Hex;
  readonly seed: Hex;
  readonly score: bigint;
}

export const ballotTypedData = (chainId: number, court: Address, ballot: Ballot) =>
  ({
    domain: ballotDomain(chainId, court),
    types: ballotTypes,
    primaryType: 'Ballot',
    message: ballot,
  }) as const;

export const attestationTypedData = (chainId: number, center: Address, attestation: Attestation) =>
  ({
    domain: attestationDomain(chainId, center),
    types: attestationTypes,
    primaryType: 'Attestation',
    message: attestation,
  }) as const;
