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

    /// @notice Emitted when a candidate that no quorum attested in time is expired; its bond is
    ///         credited back to the optimizer.
    event CandidateExpired(uint256 indexed candidateId, uint256 indexed taskId, uint256 bondRefunded);

    error TaskNotFound(uint256 taskId);
    error CandidateNotFound(uint256 candidateId);
    error TaskIsClosed(uint256 taskId);
    error NotTaskOwner(uint256 taskId, address caller);
    error CandidatesPending(uint256 taskId, uint256 pending);
    error WrongBond(uint256 sent, uint256 required);
    error ZeroValue();
    error EmptyHash();
    error InvalidSeedDelay(uint64 seedDelay);
    error InvalidMinImprovement(int256 minImprovement);
    error ScoreOutOfRange(int256 score);
    error SeedNotAvailable(uint256 candidateId, uint256 availableFromBlock);
    error CandidateNotPending(uint256 candidateId, CandidateStatus status);
    error NotExpirable(uint256 candidateId, uint256 expirableFromBlock);
    error OnlyAttestationCenter(address caller);
    error NothingToWithdraw(address account);
    error TransferFailed(address to, uint256 amount);
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

    function getTask(uint256 taskId) external view returns (Task memory);
    function getCandidate(uint256 candidateId) external view returns (Candidate memory);
    function credits(address account) external view returns (uint256);
    function attestationCenter() external view returns (address);
}
