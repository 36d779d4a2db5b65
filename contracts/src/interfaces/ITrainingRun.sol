// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ITrainingRunEvents, RunConfig} from "./ITrainingEvents.sol";

/// @notice What the DisputeCourt and the RunFactory call on a TrainingRun.
interface ITrainingRun is ITrainingRunEvents {
    /// @notice One-time setup of a fresh clone by the factory; `msg.value` seeds the reward pool.
    function initialize(uint256 runId, address creator, address court, RunConfig calldata config)
        external
        payable;

    /// @notice Applies the court's ruling on dispute `disputeId`.
    /// @param fraud True: the challenged round was fraudulent.
    /// @param courtFeeBps Share of the slashed deposit that goes to the court.
    /// @param feeToVoters False when no ballot was revealed: the fee then goes to the run's pool.
    /// @return courtFee ETH sent to the court along with this call (0 if the challenge was void).
    function applyRuling(uint256 disputeId, bool fraud, uint16 courtFeeBps, bool feeToVoters)
        external
        returns (uint256 courtFee);
}
