// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IModelMarketEvents, TaskConfig} from "./IMarketEvents.sol";

/// @notice Call interface of the ModelMarket: tasks, candidates, evaluation seeds and settlement.
interface IModelMarket is IModelMarketEvents {
    /// @notice A candidate's life: submitted (Pending), then settled as Improved or Rejected, or
    ///         Expired when no quorum attested it in time.
    enum CandidateStatus {
        None,
        Pending,
        Improved,
        Rejected,
        Expired
    }

    /// @notice A task's state beside its fixed configuration.
    struct Task {
        address owner;
        bool closed;
        uint32 pendingCandidates;
        uint256 funds;
        int256 bestScore;
        uint256 bestCandidateId;
        TaskConfig config;
    }

    /// @notice A submitted candidate. `seedBlock` is the planned seed block until the seed is
    ///         recorded, then the block whose hash was used.
    struct Candidate {
        uint256 taskId;
        address optimizer;
        CandidateStatus status;
        uint64 submitBlock;
        uint64 seedBlock;
        uint128 bond;
        bytes32 paramsHash;
        bytes32 seed;
        int256 score;
        string paramsURI;
    }

    /// @notice No task has this id.
    error TaskNotFound(uint256 taskId);
    /// @notice No candidate has this id.
    error CandidateNotFound(uint256 candidateId);
    /// @notice The task was closed by its owner.
    error TaskIsClosed(uint256 taskId);
    /// @notice Only the task's owner may do this.
    error NotTaskOwner(uint256 taskId, address caller);
    /// @notice The task still has candidates awaiting attestation or expiry.
    error CandidatesPending(uint256 taskId, uint256 pending);
    /// @notice msg.value must equal the task's submission bond.
    error WrongBond(uint256 sent, uint256 required);
    /// @notice A value that must be positive was zero (ETH sent, expiry, signer count).
    error ZeroValue();
    /// @notice A content hash was zero.
    error EmptyHash();
    /// @notice seedDelay must be between 1 and MAX_SEED_DELAY blocks.
    error InvalidSeedDelay(uint64 seedDelay);
    /// @notice minImprovement must be positive and at most MAX_SCORE.
    error InvalidMinImprovement(int256 minImprovement);
    /// @notice Scores and baselines must lie within ±MAX_SCORE.
    error ScoreOutOfRange(int256 score);
    /// @notice The seed block has not ended yet (or the seed is not recorded where required).
    error SeedNotAvailable(uint256 candidateId, uint256 availableFromBlock);
    /// @notice The candidate is already settled or expired.
    error CandidateNotPending(uint256 candidateId, CandidateStatus status);
    /// @notice The candidate's attestation window has not ended.
    error NotExpirable(uint256 candidateId, uint256 expirableFromBlock);
    /// @notice Only the attestation contract may settle.
    error OnlyAttestationCenter(address caller);
    /// @notice The caller has no credited ETH.
    error NothingToWithdraw(address account);
    /// @notice The recipient rejected the ETH; its credit is kept.
    error TransferFailed(address to, uint256 amount);
    /// @notice The address is the zero address.
    error ZeroAddress();

    /// @notice Posts a task funded with msg.value; see {TaskConfig} for the fields.
    function createTask(TaskConfig calldata config) external payable returns (uint256 taskId);

    /// @notice Adds msg.value to an open task's funds.
    function fund(uint256 taskId) external payable;

    /// @notice Closes the caller's task and credits its remaining funds back to it.
    function closeTask(uint256 taskId) external;

    /// @notice Submits parameters for evaluation with the task's bond as msg.value.
    function submitCandidate(uint256 taskId, string calldata paramsURI, bytes32 paramsHash)
        external
        payable
        returns (uint256 candidateId);

    /// @notice Fixes the candidate's evaluation seed on chain (idempotent) and returns it.
    function recordSeed(uint256 candidateId) external returns (bytes32 seed, uint64 seedBlock);

    /// @notice The recorded seed, or the one {recordSeed} would record in this block.
    function seedOf(uint256 candidateId) external view returns (bytes32 seed, uint64 seedBlock);

    /// @notice Settles a pending candidate with an attested score. Only the attestation contract.
    function settle(uint256 candidateId, int256 score, address[] calldata signers) external;

    /// @notice Expires a pending candidate that no quorum attested within the expiry window.
    function expireCandidate(uint256 candidateId) external;

    /// @notice Sends the caller's credited ETH.
    function withdraw() external;

    /// @notice A task's state and terms; reverts with TaskNotFound for an unknown id.
    function getTask(uint256 taskId) external view returns (Task memory);

    /// @notice A candidate; reverts with CandidateNotFound for an unknown id.
    function getCandidate(uint256 candidateId) external view returns (Candidate memory);

    /// @notice ETH credited to `account` and not yet withdrawn.
    function credits(address account) external view returns (uint256);

    /// @notice The only contract allowed to {settle}.
    function attestationCenter() external view returns (address);
}
