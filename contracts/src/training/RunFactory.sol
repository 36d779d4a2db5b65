// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDisputeCourt} from "../interfaces/IDisputeCourt.sol";
import {IRunFactoryEvents, RunConfig} from "../interfaces/ITrainingEvents.sol";
import {ITrainingRun} from "../interfaces/ITrainingRun.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";

/// @title RunFactory
/// @notice Creates TrainingRun clones, registers each with the DisputeCourt, and announces it with
///         RunCreated so an indexer can follow every run as a template data source.
/// @dev The court's owner must make this factory the court's registrar (Deploy.s.sol does).
contract RunFactory is IRunFactoryEvents {
    error ZeroAddress();
    error UnknownRun(uint256 runId);

    /// @notice The TrainingRun every run clones.
    address public immutable implementation;
    /// @notice The court that rules on every run's challenges.
    IDisputeCourt public immutable court;

    address[] internal _runs;

    constructor(IDisputeCourt court_, address implementation_) {
        if (address(court_) == address(0) || implementation_ == address(0)) revert ZeroAddress();
        court = court_;
        implementation = implementation_;
    }

    /// @notice Creates a run with a fixed `config`; msg.value seeds its reward pool.
    /// @return runId Sequential id, from 0.
    /// @return run The new TrainingRun.
    function createRun(RunConfig calldata config)
        external
        payable
        returns (uint256 runId, address run)
    {
        runId = _runs.length;
        run = Clones.clone(implementation);
        _runs.push(run);
        court.registerRun(run);
        // RunCreated precedes the run's own events (PoolFunded) so the template sees them all.
        emit RunCreated(runId, run, msg.sender, config);
        ITrainingRun(run).initialize{value: msg.value}(runId, msg.sender, address(court), config);
    }

    /// @notice Number of runs created.
    function runCount() external view returns (uint256) {
        return _runs.length;
    }

    /// @notice The run with id `runId`.
    function runs(uint256 runId) external view returns (address) {
        if (runId >= _runs.length) revert UnknownRun(runId);
        return _runs[runId];
    }
}
