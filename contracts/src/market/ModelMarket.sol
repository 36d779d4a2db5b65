// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TaskConfig} from "../interfaces/IMarketEvents.sol";
import {IModelMarket} from "../interfaces/IModelMarket.sol";

/// @title ModelMarket
/// @notice The model-improvement market. An owner posts a task (architecture, initial parameters,
///         evaluation spec, reward) funded in ETH; anyone submits candidate parameters with a bond;
///         a quorum of staked operators attests each candidate's score through the
///         AttestationCenter, which settles it here. Game, timing and payouts: docs/protocol.md.
/// @dev Scores are fixed-point integers (1e6 = 1.0) where higher is better; a loss such as MSE is
///      attested as its negation. Every payout is credited and pulled with {withdraw}, so no
///      settlement can be blocked by a recipient. ETH held always equals the open tasks' funds
///      plus the pending candidates' bonds plus the credits.
contract ModelMarket is IModelMarket {
    /// @notice Scores, baselines and improvements must fit in int128, so that score arithmetic
    ///         can never overflow and block a settlement.
    int256 public constant MAX_SCORE = type(int128).max;
    /// @notice Longest seed delay in blocks (about a week at 12 s blocks).
    uint64 public constant MAX_SEED_DELAY = 50_400;
    /// @notice blockhash() reaches this many blocks back (EVM rule).
    uint256 internal constant BLOCKHASH_WINDOW = 256;

    /// @inheritdoc IModelMarket
    address public immutable attestationCenter;
    /// @notice Blocks after the planned seed block during which a quorum may attest a candidate;
    ///         after that anyone may {expireCandidate} it.
    uint64 public immutable expiryBlocks;

    /// @notice Number of tasks created; task ids run from 1.
    uint256 public taskCount;
    /// @notice Number of candidates submitted; candidate ids run from 1 across all tasks.
    uint256 public candidateCount;

    mapping(uint256 taskId => Task) private _tasks;
    mapping(uint256 candidateId => Candidate) private _candidates;
    /// @inheritdoc IModelMarket
    mapping(address account => uint256) public credits;

    /// @param attestationCenter_ The only address allowed to {settle} (predicted by the deployer
    ///        when the center is deployed after this contract).
    /// @param expiryBlocks_ Attestation window after the planned seed block, in blocks (> 0).
    constructor(address attestationCenter_, uint64 expiryBlocks_) {
        if (attestationCenter_ == address(0)) revert ZeroAddress();
        if (expiryBlocks_ == 0) revert ZeroValue();
        attestationCenter = attestationCenter_;
        expiryBlocks = expiryBlocks_;
    }

    // ---------------------------------------------------------------- tasks

    /// @inheritdoc IModelMarket
    /// @dev Takes the fields as one {TaskConfig} tuple (archURI, initialParamsURI,
    ///      initialParamsHash, evalSpecURI, evalSpecHash, baselineScore, minImprovement,
    ///      rewardPerImprovement, attestationFee, submissionBond, seedDelay): eleven separate
    ///      parameters exceed the stack of solc's legacy code generator.
    function createTask(TaskConfig calldata config) external payable returns (uint256 taskId) {
        if (config.initialParamsHash == bytes32(0) || config.evalSpecHash == bytes32(0)) {
            revert EmptyHash();
        }
        int256 baseline = config.baselineScore;
        if (baseline > MAX_SCORE || baseline < -MAX_SCORE) revert ScoreOutOfRange(baseline);
        if (config.minImprovement <= 0 || config.minImprovement > MAX_SCORE) {
            revert InvalidMinImprovement(config.minImprovement);
        }
        if (config.seedDelay == 0 || config.seedDelay > MAX_SEED_DELAY) {
            revert InvalidSeedDelay(config.seedDelay);
        }

        taskId = ++taskCount;
        Task storage task = _tasks[taskId];
        task.owner = msg.sender;
        task.funds = msg.value;
        task.bestScore = baseline;
        task.config = config;
        emit TaskCreated(taskId, msg.sender, task.config, msg.value);
    }

    /// @inheritdoc IModelMarket
    function fund(uint256 taskId) external payable {
        if (msg.value == 0) revert ZeroValue();
        Task storage task = _openTask(taskId);
        uint256 balance = task.funds + msg.value;
        task.funds = balance;
        emit TaskFunded(taskId, msg.sender, msg.value, balance);
    }

    /// @inheritdoc IModelMarket
    function closeTask(uint256 taskId) external {
        Task storage task = _openTask(taskId);
        if (task.owner != msg.sender) revert NotTaskOwner(taskId, msg.sender);
        if (task.pendingCandidates != 0) revert CandidatesPending(taskId, task.pendingCandidates);
        uint256 refunded = task.funds;
        task.closed = true;
        task.funds = 0;
        credits[msg.sender] += refunded;
        emit TaskClosed(taskId, refunded);
    }

    // ---------------------------------------------------------------- candidates

    /// @inheritdoc IModelMarket
    /// @param paramsURI IPFS URI of the candidate parameters.
    /// @param paramsHash Hash of the parameters' canonical bytes; operators sign over it.
    function submitCandidate(uint256 taskId, string calldata paramsURI, bytes32 paramsHash)
        external
        payable
        returns (uint256 candidateId)
    {
        Task storage task = _openTask(taskId);
        uint128 bond = task.config.submissionBond;
        if (msg.value != bond) revert WrongBond(msg.value, bond);
        if (paramsHash == bytes32(0)) revert EmptyHash();

        candidateId = ++candidateCount;
        uint64 seedBlock = uint64(block.number) + task.config.seedDelay;
        task.pendingCandidates += 1;
        Candidate storage candidate = _candidates[candidateId];
        candidate.taskId = taskId;
        candidate.optimizer = msg.sender;
        candidate.status = CandidateStatus.Pending;
        candidate.submitBlock = uint64(block.number);
        candidate.seedBlock = seedBlock;
        candidate.bond = bond;
        candidate.paramsHash = paramsHash;
        candidate.paramsURI = paramsURI;
        emit CandidateSubmitted(
            candidateId, taskId, msg.sender, paramsURI, paramsHash, bond, seedBlock
        );
    }

    /// @inheritdoc IModelMarket
    /// @dev Anyone may call it; operators do before signing, so that the seed they sign cannot
    ///      move to a later block (see {seedOf}).
    function recordSeed(uint256 candidateId) external returns (bytes32 seed, uint64 seedBlock) {
        Candidate storage candidate = _candidate(candidateId);
        if (candidate.seed != bytes32(0)) return (candidate.seed, candidate.seedBlock);
        (seed, seedBlock) = _deriveSeed(candidateId, candidate);
        candidate.seed = seed;
        candidate.seedBlock = seedBlock;
        emit SeedRecorded(candidateId, seed, seedBlock);
    }

    /// @inheritdoc IModelMarket
    /// @dev Until recorded, the seed is keccak256(abi.encode(blockhash(b), candidateId, taskId))
    ///      with b = T + 256 * floor((block.number - 1 - T) / 256), T = submitBlock + seedDelay:
    ///      the planned block T while its hash is readable, afterwards the most recent block
    ///      congruent to T modulo 256 (always within blockhash's 256-block window).
    function seedOf(uint256 candidateId) external view returns (bytes32 seed, uint64 seedBlock) {
        Candidate storage candidate = _candidate(candidateId);
        if (candidate.seed != bytes32(0)) return (candidate.seed, candidate.seedBlock);
        return _deriveSeed(candidateId, candidate);
    }

    /// @inheritdoc IModelMarket
    /// @dev Fees come first: each signer earns attestationFee, or an equal share of the funds if
    ///      they fall short. An improvement then pays rewardPerImprovement capped by what is left,
    ///      plus the bond back; otherwise the bond is split equally among the signers and the
    ///      indivisible remainder (< number of signers wei) goes to the task's funds.
    function settle(uint256 candidateId, int256 score, address[] calldata signers) external {
        if (msg.sender != attestationCenter) revert OnlyAttestationCenter(msg.sender);
        Candidate storage candidate = _candidate(candidateId);
        if (candidate.status != CandidateStatus.Pending) {
            revert CandidateNotPending(candidateId, candidate.status);
        }
        if (candidate.seed == bytes32(0)) {
            revert SeedNotAvailable(candidateId, candidate.seedBlock + 1);
        }
        if (score > MAX_SCORE || score < -MAX_SCORE) revert ScoreOutOfRange(score);
        uint256 signerCount = signers.length;
        if (signerCount == 0) revert ZeroValue();

        uint256 taskId = candidate.taskId;
        Task storage task = _tasks[taskId];
        uint256 fee = task.config.attestationFee;
        if (fee * signerCount > task.funds) fee = task.funds / signerCount;
        task.funds -= fee * signerCount;

        candidate.score = score;
        task.pendingCandidates -= 1;
        int256 previous = task.bestScore;
        uint256 bondShare;
        // Both scores lie within ±MAX_SCORE, so the difference cannot overflow.
        if (score >= previous && score - previous >= task.config.minImprovement) {
            _acceptImprovement(task, candidate, candidateId, previous, score);
        } else {
            bondShare = _slashBond(task, candidate, candidateId, signerCount);
        }

        for (uint256 i; i < signerCount; ++i) {
            credits[signers[i]] += fee + bondShare;
            if (fee > 0) emit FeePaid(candidateId, taskId, signers[i], fee);
        }
    }

    /// @inheritdoc IModelMarket
    function expireCandidate(uint256 candidateId) external {
        Candidate storage candidate = _candidate(candidateId);
        if (candidate.status != CandidateStatus.Pending) {
            revert CandidateNotPending(candidateId, candidate.status);
        }
        uint256 expirableFrom = _plannedSeedBlock(candidate) + expiryBlocks + 1;
        if (block.number < expirableFrom) revert NotExpirable(candidateId, expirableFrom);
        uint256 bond = candidate.bond;
        candidate.status = CandidateStatus.Expired;
        _tasks[candidate.taskId].pendingCandidates -= 1;
        credits[candidate.optimizer] += bond;
        emit CandidateExpired(candidateId, candidate.taskId, bond);
    }

    // ---------------------------------------------------------------- payments

    /// @inheritdoc IModelMarket
    function withdraw() external {
        uint256 amount = credits[msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        credits[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed(msg.sender, amount);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IModelMarket
    function getTask(uint256 taskId) external view returns (Task memory) {
        if (taskId == 0 || taskId > taskCount) revert TaskNotFound(taskId);
        return _tasks[taskId];
    }

    /// @inheritdoc IModelMarket
    function getCandidate(uint256 candidateId) external view returns (Candidate memory) {
        return _candidate(candidateId);
    }

    // ---------------------------------------------------------------- internals

    /// @dev The candidate becomes the task's best; its optimizer is credited reward and bond.
    function _acceptImprovement(
        Task storage task,
        Candidate storage candidate,
        uint256 candidateId,
        int256 previous,
        int256 score
    ) private {
        uint256 reward = task.config.rewardPerImprovement;
        if (reward > task.funds) reward = task.funds;
        task.funds -= reward;
        task.bestScore = score;
        task.bestCandidateId = candidateId;
        candidate.status = CandidateStatus.Improved;
        address optimizer = candidate.optimizer;
        credits[optimizer] += reward + candidate.bond;
        emit BestModelChanged(candidate.taskId, candidateId, optimizer, previous, score, reward);
    }

    /// @dev The bond is split among the signers; the indivisible remainder joins the task funds.
    function _slashBond(
        Task storage task,
        Candidate storage candidate,
        uint256 candidateId,
        uint256 signerCount
    ) private returns (uint256 bondShare) {
        uint256 bond = candidate.bond;
        bondShare = bond / signerCount;
        task.funds += bond - bondShare * signerCount;
        candidate.status = CandidateStatus.Rejected;
        emit BondSlashed(candidateId, candidate.taskId, bond, bondShare);
    }

    function _openTask(uint256 taskId) private view returns (Task storage task) {
        if (taskId == 0 || taskId > taskCount) revert TaskNotFound(taskId);
        task = _tasks[taskId];
        if (task.closed) revert TaskIsClosed(taskId);
    }

    function _candidate(uint256 candidateId) private view returns (Candidate storage candidate) {
        if (candidateId == 0 || candidateId > candidateCount) {
            revert CandidateNotFound(candidateId);
        }
        return _candidates[candidateId];
    }

    function _plannedSeedBlock(Candidate storage candidate) private view returns (uint256) {
        return uint256(candidate.submitBlock) + _tasks[candidate.taskId].config.seedDelay;
    }

    /// @dev The seed rule of docs/protocol.md; reverts before the planned seed block has ended.
    function _deriveSeed(uint256 candidateId, Candidate storage candidate)
        private
        view
        returns (bytes32 seed, uint64 seedBlock)
    {
        uint256 planned = _plannedSeedBlock(candidate);
        if (block.number <= planned) revert SeedNotAvailable(candidateId, planned + 1);
        uint256 used =
            planned + BLOCKHASH_WINDOW * ((block.number - 1 - planned) / BLOCKHASH_WINDOW);
        bytes32 hash = blockhash(used);
        // Unreachable on a real chain (used is always within the window); guards odd dev chains.
        if (hash == bytes32(0)) revert SeedNotAvailable(candidateId, used + 1);
        seed = keccak256(abi.encode(hash, candidateId, candidate.taskId));
        seedBlock = uint64(used);
    }
}
