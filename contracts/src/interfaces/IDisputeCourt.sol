// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDisputeCourtEvents} from "./ITrainingEvents.sol";

/// @notice What TrainingRun and RunFactory call on the DisputeCourt.
interface IDisputeCourt is IDisputeCourtEvents {
    /// @notice Registers a run created by the court's registrar (the RunFactory).
    function registerRun(address run) external;

    /// @notice Opens a dispute over step `stepIndex` of `round`; only registered runs may call.
    /// @param notBefore Earliest reveal deadline the dispute may have: the run passes one second
    ///        after the previous dispute of the same lease, so disputes of a lease end in the order
    ///        they opened whatever the court's parameters did in between.
    /// @return disputeId The new dispute's id (ids start at 1).
    /// @return revealDeadline The last second of the dispute's reveal phase.
    function openDispute(
        uint256 round,
        uint256 stepIndex,
        address challenger,
        address worker,
        uint256 stakeAtRisk,
        uint64 notBefore
    ) external returns (uint256 disputeId, uint64 revealDeadline);
}
