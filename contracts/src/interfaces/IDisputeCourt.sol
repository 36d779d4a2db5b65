// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDisputeCourtEvents} from "./ITrainingEvents.sol";

/// @notice What TrainingRun and RunFactory call on the DisputeCourt.
interface IDisputeCourt is IDisputeCourtEvents {
    /// @notice Registers a run created by the court's registrar (the RunFactory).
    function registerRun(address run) external;

    /// @notice Opens a dispute over step `stepIndex` of `round`; only registered runs may call.
    /// @return disputeId The new dispute's id (ids start at 1).
    function openDispute(
        uint256 round,
        uint256 stepIndex,
        address challenger,
        address worker,
        uint256 stakeAtRisk
    ) external returns (uint256 disputeId);
}
