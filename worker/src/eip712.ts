import type { Address, Hex } from 'viem';

/*
 * EIP-712 typed data of the market's attestations, mirroring AttestationCenter.ATTESTATION_TYPEHASH
 * and its domain EIP712("UM AttestationCenter", "1"). Ballots come from @um/protocol; this moves
 * to packages/protocol/src/eip712 when the market branch publishes it there.
 */

export const attestationTypes = {
  Attestation: [
    { name: 'candidateId', type: 'uint256' },
    { name: 'paramsHash', type: 'bytes32' },
    { name: 'seed', type: 'bytes32' },
    { name: 'score', type: 'int256' },
  ],
} as const;

export const attestationDomain = (chainId: number, center: Address) =>
  ({ name: 'UM AttestationCenter', version: '1', chainId, verifyingContract: center }) as const;

export interface Attestation {
  readonly candidateId: bigint;
  readonly paramsHash: Hex;
  readonly seed: Hex;
  readonly score: bigint;
}

export const attestationTypedData = (chainId: number, center: Address, attestation: Attestation) =>
  ({
    domain: attestationDomain(chainId, center),
    types: attestationTypes,
    primaryType: 'Attestation',
    message: attestation,
  }) as const;
