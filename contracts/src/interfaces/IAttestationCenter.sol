// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAttestationCenterEvents} from "./IMarketEvents.sol";

/// @notice Call interface of the AttestationCenter: quorum-signed scores for market candidates.
interface IAttestationCenter is IAttestationCenterEvents {
    /// @notice No signatures were given.
    error NoSignatures();
    /// @notice A signature is malformed or does not recover to an address.
    error InvalidSignature(uint256 index);
    /// @notice Signers must be strictly ascending by address (this also rejects duplicates).
    error SignersNotAscending(uint256 index, address previous, address signer);
    /// @notice The signer had no stake at the candidate's seed block.
    error NotOperator(address signer, uint256 seedBlock);
    /// @notice The signers' stake is not more than two thirds of the total at the seed block.
    error QuorumNotReached(uint256 stakeSigned, uint256 totalStake);
    /// @notice The candidate is already settled (or expired).
    error CandidateNotPending(uint256 candidateId);
    /// @notice The address is the zero address.
    error ZeroAddress();

    /// @notice Verifies a quorum of operator signatures over the candidate's score and settles it
    ///         in the market. Anyone may call it (the aggregator role is permissionless).
    /// @param candidateId The market candidate.
    /// @param score The attested score (fixed point, 1e6 = 1.0; higher is better).
    /// @param signatures 65-byte ECDSA signatures over {attestationDigest}, ordered by strictly
    ///        ascending signer address.
    function attest(uint256 candidateId, int256 score, bytes[] calldata signatures) external;

    /// @notice The EIP-712 digest operators sign for (candidateId, paramsHash, seed, score).
    function attestationDigest(uint256 candidateId, bytes32 paramsHash, bytes32 seed, int256 score)
        external
        view
        returns (bytes32);
}
