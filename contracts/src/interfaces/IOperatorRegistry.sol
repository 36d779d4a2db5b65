// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOperatorRegistryEvents} from "./IMarketEvents.sol";

/// @notice Call interface of the OperatorRegistry: UMToken stakes of the operators who attest
///         model scores, with per-block history so quorums are computed on past stake.
interface IOperatorRegistry is IOperatorRegistryEvents {
    /// @notice The stake is below the registry's minimum.
    error StakeBelowMinimum(uint256 stake, uint256 minimum);
    /// @notice A zero amount was given where tokens must move.
    error ZeroAmount();
    /// @notice The caller already has an active stake.
    error AlreadyRegistered(address operator);
    /// @notice The caller has no active stake.
    error NotRegistered(address operator);
    /// @notice The caller must withdraw its exiting stake before registering again.
    error ExitPending(address operator, uint64 withdrawableAt);
    /// @notice No exit was requested, or its cooldown has not ended.
    error NotWithdrawable(address operator, uint64 withdrawableAt);
    /// @notice Stake can only be read for blocks that have ended.
    error FutureLookup(uint256 blockNumber, uint256 currentBlock);
    /// @notice Only the attestation contract may slash.
    error OnlyAttestationCenter(address caller);
    /// @notice The address is the zero address.
    error ZeroAddress();

    /// @notice Registers the caller as an operator, pulling `stake` UMToken (approve first).
    function register(uint256 stake) external;

    /// @notice Like {register}, approving the transfer with an ERC-2612 permit in the same call.
    function registerWithPermit(uint256 stake, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external;

    /// @notice Adds `amount` UMToken to the caller's active stake.
    function increaseStake(uint256 amount) external;

    /// @notice Starts the exit: the whole active stake stops counting and unlocks after the cooldown.
    function requestExit() external;

    /// @notice Sends the exited stake back to the caller once the cooldown has passed.
    function withdraw() external;

    /// @notice Removes up to `amount` of `operator`'s stake (active first, then exiting) and sends
    ///         it to `recipient`. Only the attestation contract may call it.
    function slash(address operator, uint256 amount, address recipient)
        external
        returns (uint256 slashed);

    /// @notice The operator's active stake now.
    function stakeOf(address operator) external view returns (uint256);

    /// @notice The operator's active stake at the end of block `blockNumber` (< current block).
    function stakeAt(address operator, uint256 blockNumber) external view returns (uint256);

    /// @notice The total active stake at the end of block `blockNumber` (< current block).
    function totalStakeAt(uint256 blockNumber) external view returns (uint256);

    /// @notice Each operator's stake and the total, at the end of block `blockNumber`.
    function stakesAt(address[] calldata operators, uint256 blockNumber)
        external
        view
        returns (uint256[] memory stakes, uint256 total);
}
