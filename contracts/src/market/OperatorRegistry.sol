// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOperatorRegistry} from "../interfaces/IOperatorRegistry.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

/// @title OperatorRegistry
/// @notice Operators stake UMToken here to attest accuracy scores in the model market. Stake is
///         checkpointed per block, so a candidate's quorum is computed on the stake at its seed
///         block and cannot be changed by deposits or exits after the seed is known.
/// @dev Exit is two-step: {requestExit} removes the whole stake from the active (voting) stake at
///      once, and {withdraw} returns the tokens after `exitCooldown` seconds. Until then the tokens
///      stay here and remain slashable, because the operator's past signatures still count for
///      candidates whose seed block precedes the exit.
///
///      Slashing: {slash} is the single entry point and only the attestation contract may call it.
///      In this version AttestationCenter never calls it (there is no on-chain proof of a wrong
///      score yet; see docs/protocol.md); the hook fixes the slashing semantics (active stake
///      first, then exiting stake) for the deployment that adds equivocation or fraud proofs.
contract OperatorRegistry is IOperatorRegistry {
    using Checkpoints for Checkpoints.Trace208;
    using SafeERC20 for IERC20;

    /// @notice The stake token (UMToken).
    IERC20 public immutable token;
    /// @notice The only address allowed to {slash}.
    address public immutable attestationCenter;
    /// @notice The smallest stake accepted by {register}.
    uint256 public immutable minStake;
    /// @notice Seconds between {requestExit} and {withdraw}.
    uint64 public immutable exitCooldown;

    /// @notice Tokens of an operator that requested exit and has not withdrawn yet.
    struct Exit {
        uint192 amount;
        uint64 withdrawableAt;
    }

    mapping(address operator => Checkpoints.Trace208) private _stakes;
    Checkpoints.Trace208 private _totalStake;
    mapping(address operator => Exit) private _exits;

    /// @param token_ The UMToken contract.
    /// @param attestationCenter_ The attestation contract (may be deployed after this one; the
    ///        deploy script predicts its address).
    /// @param minStake_ Smallest stake accepted, in token wei (at least 1).
    /// @param exitCooldown_ Seconds an exiting stake stays locked and slashable.
    constructor(
        IERC20 token_,
        address attestationCenter_,
        uint256 minStake_,
        uint64 exitCooldown_
    ) {
        if (address(token_) == address(0) || attestationCenter_ == address(0)) {
            revert ZeroAddress();
        }
        token = token_;
        attestationCenter = attestationCenter_;
        minStake = minStake_ == 0 ? 1 : minStake_;
        exitCooldown = exitCooldown_;
    }

    // ---------------------------------------------------------------- staking

    /// @inheritdoc IOperatorRegistry
    function register(uint256 stake) external {
        _register(msg.sender, stake);
    }

    /// @inheritdoc IOperatorRegistry
    /// @dev A failing permit is ignored when the allowance already suffices, so a front-run permit
    ///      cannot block the registration (OpenZeppelin's recommendation for permit users).
    function registerWithPermit(uint256 stake, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
    {
        try IERC20Permit(address(token))
            .permit(msg.sender, address(this), stake, deadline, v, r, s) {}
            catch {}
        _register(msg.sender, stake);
    }

    /// @inheritdoc IOperatorRegistry
    function increaseStake(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        uint256 current = _stakes[msg.sender].latest();
        if (current == 0) revert NotRegistered(msg.sender);
        _setStake(msg.sender, current, current + amount);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IOperatorRegistry
    function requestExit() external {
        uint256 current = _stakes[msg.sender].latest();
        if (current == 0) revert NotRegistered(msg.sender);
        uint64 withdrawableAt = SafeCast.toUint64(block.timestamp + exitCooldown);
        _exits[msg.sender] =
            Exit({amount: SafeCast.toUint192(current), withdrawableAt: withdrawableAt});
        _setStake(msg.sender, current, 0);
        emit ExitRequested(msg.sender, withdrawableAt);
    }

    /// @inheritdoc IOperatorRegistry
    function withdraw() external {
        Exit memory exit = _exits[msg.sender];
        if (exit.withdrawableAt == 0 || block.timestamp < exit.withdrawableAt) {
            revert NotWithdrawable(msg.sender, exit.withdrawableAt);
        }
        delete _exits[msg.sender];
        emit OperatorExited(msg.sender, exit.amount);
        if (exit.amount > 0) token.safeTransfer(msg.sender, exit.amount);
    }

    // ---------------------------------------------------------------- slashing

    /// @inheritdoc IOperatorRegistry
    function slash(address operator, uint256 amount, address recipient)
        external
        returns (uint256 slashed)
    {
        if (msg.sender != attestationCenter) revert OnlyAttestationCenter(msg.sender);
        if (recipient == address(0)) revert ZeroAddress();
        uint256 active = _stakes[operator].latest();
        uint256 fromActive = amount < active ? amount : active;
        if (fromActive > 0) _setStake(operator, active, active - fromActive);
        slashed = fromActive;
        if (slashed < amount) {
            Exit storage exit = _exits[operator];
            uint256 fromExit = amount - slashed;
            if (fromExit > exit.amount) fromExit = exit.amount;
            exit.amount -= uint192(fromExit);
            slashed += fromExit;
        }
        emit OperatorSlashed(operator, slashed, _totalStake.latest());
        if (slashed > 0) token.safeTransfer(recipient, slashed);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IOperatorRegistry
    function stakeOf(address operator) external view returns (uint256) {
        return _stakes[operator].latest();
    }

    /// @notice The current total active stake.
    function totalStake() external view returns (uint256) {
        return _totalStake.latest();
    }

    /// @notice The operator's pending exit: amount still locked and when it unlocks (0 if none).
    function exitOf(address operator)
        external
        view
        returns (uint256 amount, uint64 withdrawableAt)
    {
        Exit memory exit = _exits[operator];
        return (exit.amount, exit.withdrawableAt);
    }

    /// @inheritdoc IOperatorRegistry
    function stakeAt(address operator, uint256 blockNumber) external view returns (uint256) {
        return _stakes[operator].upperLookupRecent(_pastKey(blockNumber));
    }

    /// @inheritdoc IOperatorRegistry
    function totalStakeAt(uint256 blockNumber) external view returns (uint256) {
        return _totalStake.upperLookupRecent(_pastKey(blockNumber));
    }

    /// @inheritdoc IOperatorRegistry
    function stakesAt(address[] calldata operators, uint256 blockNumber)
        external
        view
        returns (uint256[] memory stakes, uint256 total)
    {
        uint48 key = _pastKey(blockNumber);
        stakes = new uint256[](operators.length);
        for (uint256 i; i < operators.length; ++i) {
            stakes[i] = _stakes[operators[i]].upperLookupRecent(key);
        }
        total = _totalStake.upperLookupRecent(key);
    }

    // ---------------------------------------------------------------- internals

    function _register(address operator, uint256 stake) private {
        if (stake < minStake) revert StakeBelowMinimum(stake, minStake);
        if (_stakes[operator].latest() != 0) revert AlreadyRegistered(operator);
        uint64 exitAt = _exits[operator].withdrawableAt;
        if (exitAt != 0) revert ExitPending(operator, exitAt);
        emit OperatorRegistered(operator, stake);
        _setStake(operator, 0, stake);
        token.safeTransferFrom(operator, address(this), stake);
    }

    /// @dev Writes the operator's and the total's checkpoints for this block and emits StakeChanged.
    function _setStake(address operator, uint256 oldStake, uint256 newStake) private {
        uint48 key = SafeCast.toUint48(block.number);
        _stakes[operator].push(key, SafeCast.toUint208(newStake));
        uint256 total = _totalStake.latest() + newStake - oldStake;
        _totalStake.push(key, SafeCast.toUint208(total));
        emit StakeChanged(operator, oldStake, newStake, total);
    }

    /// @dev Only ended blocks have final stakes: a lookup of the current block could still change.
    function _pastKey(uint256 blockNumber) private view returns (uint48) {
        if (blockNumber >= block.number) revert FutureLookup(blockNumber, block.number);
        return SafeCast.toUint48(blockNumber);
    }
}
