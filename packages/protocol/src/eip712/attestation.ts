import {
  getAddress,
  hashTypedData,
  isAddress,
  recoverTypedDataAddress,
  type Address,
  type Hex,
  type TypedDataDomain,
} from 'viem';
import { ProtocolError } from '../errors.js';

/**
 * EIP-712 typed data of market attestations: what an operator signs after evaluating a candidate
 * on inputs drawn from its seed, and what contracts/src/market/AttestationCenter.sol verifies.
 * The domain binds a signature to one chain and one AttestationCenter deployment, so it cannot be
 * replayed elsewhere. Specified in docs/protocol.md ("The model-improvement market").
 */

/** The EIP-712 domain name of AttestationCenter (its constructor's `EIP712(name, version)`). */
export const ATTESTATION_DOMAIN_NAME = 'UM AttestationCenter';
/** The EIP-712 domain version of AttestationCenter. */
export const ATTESTATION_DOMAIN_VERSION = '1';

/** Fixed-point scale of scores: 1_000_000 means 1.0. Higher is better (losses are negated). */
export const SCORE_ONE = 1_000_000n;

/** `Attestation(uint256 candidateId,bytes32 paramsHash,bytes32 seed,int256 score)` for viem. */
export const attestationTypes = {
  Attestation: [
    { name: 'candidateId', type: 'uint256' },
    { name: 'paramsHash', type: 'bytes32' },
    { name: 'seed', type: 'bytes32' },
    { name: 'score', type: 'int256' },
  ],
} as const;

/** What an operator attests: the candidate, the parameters and seed it evaluated, the score. */
export interface Attestation {
  candidateId: bigint;
  paramsHash: Hex;
  seed: Hex;
  /** Fixed point, {@link SCORE_ONE} = 1.0. */
  score: bigint;
}

/** Where an attestation is valid: a chain and an AttestationCenter address. */
export interface AttestationTarget {
  chainId: number;
  attestationCenter: Address;
}

/** A signer's 65-byte ECDSA signature over an attestation. */
export interface SignedAttestation {
  signer: Address;
  signature: Hex;
}

/** Raised for malformed attestation input (bad address, chain id, hash, or signature set). */
export class AttestationError extends ProtocolError {
  override name = 'AttestationError';
}

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const INT256_MAX = 2n ** 255n - 1n;
const UINT256_MAX = 2n ** 256n - 1n;

/** The EIP-712 domain of one AttestationCenter deployment. */
export function attestationDomain(target: AttestationTarget): TypedDataDomain {
  if (!Number.isSafeInteger(target.chainId) || target.chainId <= 0)
    throw new AttestationError(`chainId must be a positive integer, got ${target.chainId}`);
  if (!isAddress(target.attestationCenter, { strict: false }))
    throw new AttestationError(`attestationCenter is not an address: ${target.attestationCenter}`);
  return {
    name: ATTESTATION_DOMAIN_NAME,
    version: ATTESTATION_DOMAIN_VERSION,
    chainId: target.chainId,
    verifyingContract: getAddress(target.attestationCenter),
  };
}

function checkAttestation(message: Attestation): void {
  if (message.candidateId <= 0n || message.candidateId > UINT256_MAX)
    throw new AttestationError(`candidateId out of range: ${message.candidateId}`);
  if (!BYTES32.test(message.paramsHash))
    throw new AttestationError(`paramsHash must be 32 bytes of hex, got ${message.paramsHash}`);
  if (!BYTES32.test(message.seed))
    throw new AttestationError(`seed must be 32 bytes of hex, got ${message.seed}`);
  if (message.score > INT256_MAX || message.score < -INT256_MAX - 1n)
    throw new AttestationError(`score does not fit int256: ${message.score}`);
}

/**
 * The full typed-data object for viem's `signTypedData`, `hashTypedData` and
 * `verifyTypedData`, e.g. `account.signTypedData(attestationTypedData(target, message))`.
 */
export function attestationTypedData(target: AttestationTarget, message: Attestation) {
  checkAttestation(message);
  return {
    domain: attestationDomain(target),
    types: attestationTypes,
    primaryType: 'Attestation',
    message,
  } as const;
}

/** The digest AttestationCenter.attestationDigest returns and operators sign. */
export function attestationDigest(target: AttestationTarget, message: Attestation): Hex {
  return hashTypedData(attestationTypedData(target, message));
}

/** Recovers the address that signed `message` for `target`. */
export async function recoverAttestationSigner(
  target: AttestationTarget,
  message: Attestation,
  signature: Hex,
): Promise<Address> {
  return recoverTypedDataAddress({ ...attestationTypedData(target, message), signature });
}

/**
 * Orders signatures as AttestationCenter.attest requires: by strictly ascending signer address.
 * Rejects a signer that appears twice, because the contract would reject the whole set.
 */
export function orderAttestationSignatures(signed: readonly SignedAttestation[]): Hex[] {
  const sorted = signed
    .map(({ signer, signature }) => ({ signer: BigInt(getAddress(signer)), signature }))
    .sort((a, b) => (a.signer < b.signer ? -1 : a.signer > b.signer ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.signer === sorted[i - 1]!.signer)
      throw new AttestationError(
        `signer ${getAddress(`0x${sorted[i]!.signer.toString(16).padStart(40, '0')}`)} signed twice`,
      );
  }
  return sorted.map(({ signature }) => signature);
}

/** Whether `stakeSigned` is strictly more than two thirds of `totalStake` (the contract's rule). */
export function hasAttestationQuorum(stakeSigned: bigint, totalStake: bigint): boolean {
  return 3n * stakeSigned > 2n * totalStake;
}
