// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAttestationCenter} from "../interfaces/IAttestationCenter.sol";
import {IModelMarket} from "../interfaces/IModelMarket.sol";
import {IOperatorRegistry} from "../interfaces/IOperatorRegistry.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

/// @title AttestationCenter
/// @notice Turns operator signatures into final scores. Operators evaluate a candidate on inputs
///         drawn from its seed and sign the EIP-712 message
///         `Attestation(uint256 candidateId,bytes32 paramsHash,bytes32 seed,int256 score)`; anyone
///         may submit the signatures once their signers held more than two thirds of the operator
///         stake at the candidate's seed block, and the market settles the candidate.
/// @dev The domain is ("UM AttestationCenter", "1", chainId, this contract), so a
///      signature is valid on one chain for one deployment only. Verification lives in
///      {_recoverSigners} alone, so BLS aggregation (EIP-2537) can replace it without touching
///      quorum or settlement.
contract AttestationCenter is IAttestationCenter, EIP712 {
    /// @notice EIP-712 type hash of the signed message.
    bytes32 public constant ATTESTATION_TYPEHASH =
        keccak256("Attestation(uint256 candidateId,bytes32 paramsHash,bytes32 seed,int256 score)");

    /// @notice Where operator stakes are read.
    IOperatorRegistry public immutable registry;
    /// @notice The market whose candidates are attested.
    IModelMarket public immutable market;

    /// @param registry_ The OperatorRegistry.
    /// @param market_ The ModelMarket.
    constructor(IOperatorRegistry registry_, IModelMarket market_)
        EIP712("UM AttestationCenter", "1")
    {
        if (address(registry_) == address(0) || address(market_) == address(0)) {
            revert ZeroAddress();
        }
        registry = registry_;
        market = market_;
    }

    /// @inheritdoc IAttestationCenter
    /// @dev Records the seed first if nobody has (so SeedRecorded always precedes Attested). The
    ///      quorum is strict: 3 * stakeSigned > 2 * totalStake at the seed block.
    function attest(uint256 candidateId, int256 score, bytes[] calldata signatures) external {
        (bytes32 seed, uint64 seedBlock) = market.recordSeed(candidateId);
        IModelMarket.Candidate memory candidate = market.getCandidate(candidateId);
        if (candidate.status != IModelMarket.CandidateStatus.Pending) {
            revert CandidateNotPending(candidateId);
        }

        bytes32 digest = _attestationDigest(candidateId, candidate.paramsHash, seed, score);
        address[] memory signers = _recoverSigners(digest, signatures);

        (uint256[] memory stakes, uint256 totalStake) = registry.stakesAt(signers, seedBlock);
        uint256 stakeSigned;
        for (uint256 i; i < stakes.length; ++i) {
            if (stakes[i] == 0) revert NotOperator(signers[i], seedBlock);
            stakeSigned += stakes[i];
        }
        if (3 * stakeSigned <= 2 * totalStake) revert QuorumNotReached(stakeSigned, totalStake);

        emit Attested(candidateId, candidate.taskId, score, signers, stakeSigned, totalStake);
        market.settle(candidateId, score, signers);
    }

    /// @inheritdoc IAttestationCenter
    function attestationDigest(uint256 candidateId, bytes32 paramsHash, bytes32 seed, int256 score)
        external
        view
        returns (bytes32)
    {
        return _attestationDigest(candidateId, paramsHash, seed, score);
    }

    /// @notice The EIP-712 domain separator of this deployment on the current chain.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    function _attestationDigest(uint256 candidateId, bytes32 paramsHash, bytes32 seed, int256 score)
        private
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(
            keccak256(abi.encode(ATTESTATION_TYPEHASH, candidateId, paramsHash, seed, score))
        );
    }

    /// @dev The one place signatures are verified: recovers each ECDSA signer (OpenZeppelin's
    ///      recover rejects malleable and malformed signatures) and enforces strictly ascending
    ///      addresses, which makes duplicates impossible without a mapping.
    function _recoverSigners(bytes32 digest, bytes[] calldata signatures)
        internal
        pure
        returns (address[] memory signers)
    {
        uint256 count = signatures.length;
        if (count == 0) revert NoSignatures();
        signers = new address[](count);
        address previous;
        for (uint256 i; i < count; ++i) {
            (address signer, ECDSA.RecoverError err,) =
                ECDSA.tryRecoverCalldata(digest, signatures[i]);
            if (err != ECDSA.RecoverError.NoError) revert InvalidSignature(i);
            if (signer <= previous) revert SignersNotAscending(i, previous, signer);
            signers[i] = signer;
            previous = signer;
        }
    }
}
