// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {UMToken} from "../../src/UMToken.sol";
import {TaskConfig} from "../../src/interfaces/IMarketEvents.sol";
import {IModelMarket} from "../../src/interfaces/IModelMarket.sol";
import {AttestationCenter} from "../../src/market/AttestationCenter.sol";
import {ModelMarket} from "../../src/market/ModelMarket.sol";
import {OperatorRegistry} from "../../src/market/OperatorRegistry.sol";
import {MarketBase} from "./MarketBase.sol";
import {Test} from "forge-std/Test.sol";

/// @dev Drives the market with random but mostly valid actions: tasks, funding, submissions,
///      attestations by random operator subsets, expiries, closes, withdrawals, and operator
///      entry, top-up, exit and slashing. It records every settled candidate and each task's best
///      score after every action so the invariants can tell whether anything changed afterwards.
contract MarketHandler is Test {
    UMToken internal token;
    OperatorRegistry internal registry;
    ModelMarket internal market;
    AttestationCenter internal center;

    address[] public actors;
    address[] public operators; // ascending
    mapping(address operator => uint256 key) internal keyOf;
    uint256 internal nextOperator;

    struct Settled {
        uint256 id;
        IModelMarket.CandidateStatus status;
        int256 score;
        bytes32 seed;
        uint64 seedBlock;
    }

    Settled[] internal settled;
    mapping(uint256 taskId => int256) internal lastBest;
    bool public settledCandidateChanged;
    bool public bestScoreDecreased;
    uint256 public attestations;
    uint256 public improvements;

    constructor(
        UMToken token_,
        OperatorRegistry registry_,
        ModelMarket market_,
        AttestationCenter center_
    ) {
        (token, registry, market, center) = (token_, registry_, market_, center_);
        for (uint256 i; i < 3; ++i) {
            address actor = makeAddr(string.concat("actor", vm.toString(i)));
            actors.push(actor);
            vm.deal(actor, 1_000_000 ether);
        }
        for (uint256 i; i < 4; ++i) {
            _newOperator(1000 ether);
        }
    }

    // ------------------------------------------------------------ helpers

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function operatorCount() external view returns (uint256) {
        return operators.length;
    }

    function _newOperator(uint256 stake) internal {
        (address op, uint256 key) =
            makeAddrAndKey(string.concat("hop", vm.toString(nextOperator++)));
        keyOf[op] = key;
        actors.push(op);
        vm.deal(op, 1_000_000 ether);
        token.transfer(op, stake);
        vm.startPrank(op);
        token.approve(address(registry), stake);
        registry.register(stake);
        vm.stopPrank();
        operators.push(op);
        for (uint256 i = operators.length - 1; i > 0 && operators[i - 1] > operators[i]; --i) {
            (operators[i - 1], operators[i]) = (operators[i], operators[i - 1]);
        }
    }

    /// @dev After every action: settled candidates must match their snapshot, bests never drop.
    modifier checked() {
        _;
        for (uint256 i; i < settled.length; ++i) {
            IModelMarket.Candidate memory c = market.getCandidate(settled[i].id);
            if (
                c.status != settled[i].status || c.score != settled[i].score
                    || c.seed != settled[i].seed || c.seedBlock != settled[i].seedBlock
            ) settledCandidateChanged = true;
        }
        for (uint256 t = 1; t <= market.taskCount(); ++t) {
            int256 best = market.getTask(t).bestScore;
            if (best < lastBest[t]) bestScoreDecreased = true;
            lastBest[t] = best;
        }
        vm.roll(block.number + 1);
    }

    function _taskId(uint256 seed) internal view returns (uint256) {
        uint256 count = market.taskCount();
        return count == 0 ? 0 : bound(seed, 1, count);
    }

    function _candidateId(uint256 seed) internal view returns (uint256) {
        uint256 count = market.candidateCount();
        return count == 0 ? 0 : bound(seed, 1, count);
    }

    // ------------------------------------------------------------ market actions

    function createTask(uint256 actorSeed, uint256 funds, uint256 fee, uint256 bond)
        external
        checked
    {
        address owner = actors[bound(actorSeed, 0, actors.length - 1)];
        TaskConfig memory config = TaskConfig({
            archURI: "ipfs://arch",
            initialParamsURI: "ipfs://p0",
            initialParamsHash: keccak256("p0"),
            evalSpecURI: "ipfs://eval",
            evalSpecHash: keccak256("eval"),
            baselineScore: 0,
            minImprovement: 1000,
            rewardPerImprovement: 1 ether,
            attestationFee: uint128(bound(fee, 0, 0.1 ether)),
            submissionBond: uint128(bound(bond, 0, 1 ether)),
            seedDelay: 2
        });
        vm.prank(owner);
        uint256 taskId = market.createTask{value: bound(funds, 0, 10 ether)}(config);
        lastBest[taskId] = 0;
    }

    function fund(uint256 taskSeed, uint256 amount) external checked {
        uint256 taskId = _taskId(taskSeed);
        if (taskId == 0 || market.getTask(taskId).closed) return;
        vm.prank(actors[0]);
        market.fund{value: bound(amount, 1, 5 ether)}(taskId);
    }

    function submit(uint256 taskSeed, uint256 actorSeed) external checked {
        uint256 taskId = _taskId(taskSeed);
        if (taskId == 0) return;
        IModelMarket.Task memory task = market.getTask(taskId);
        if (task.closed) return;
        address optimizer = actors[bound(actorSeed, 0, actors.length - 1)];
        bytes32 paramsHash = keccak256(abi.encode(taskId, market.candidateCount()));
        vm.prank(optimizer);
        market.submitCandidate{value: task.config.submissionBond}(taskId, "ipfs://c", paramsHash);
    }

    function attest(uint256 candidateSeed, int256 score, uint256 mask) external checked {
        uint256 id = _candidateId(candidateSeed);
        if (id == 0) return;
        IModelMarket.Candidate memory c = market.getCandidate(id);
        if (c.status != IModelMarket.CandidateStatus.Pending) return;
        if (block.number <= c.seedBlock) vm.roll(c.seedBlock + 1);
        (bytes32 seed, uint64 seedBlock) = market.recordSeed(id);
        score = bound(score, -1_000_000, 2_000_000);
        bytes32 digest = center.attestationDigest(id, c.paramsHash, seed, score);

        // A random subset of those staked at the seed block, topped up in order until > 2/3.
        uint256 total = registry.totalStakeAt(seedBlock);
        uint256 signed;
        bool[] memory chosen = new bool[](operators.length);
        uint256 count;
        for (uint256 pass; pass < 2 && 3 * signed <= 2 * total; ++pass) {
            for (uint256 i; i < operators.length && 3 * signed <= 2 * total; ++i) {
                if (chosen[i] || (pass == 0 && (mask >> i) & 1 == 0)) continue;
                uint256 stake = registry.stakeAt(operators[i], seedBlock);
                if (stake == 0) continue;
                chosen[i] = true;
                signed += stake;
                ++count;
            }
        }
        if (count == 0) return;
        bytes[] memory sigs = new bytes[](count);
        uint256 k;
        for (uint256 i; i < operators.length; ++i) {
            if (!chosen[i]) continue;
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(keyOf[operators[i]], digest);
            sigs[k++] = abi.encodePacked(r, s, v);
        }
        if (3 * signed <= 2 * total) return;
        center.attest(id, score, sigs);
        ++attestations;
        c = market.getCandidate(id);
        if (c.status == IModelMarket.CandidateStatus.Improved) ++improvements;
        settled.push(Settled(id, c.status, c.score, c.seed, c.seedBlock));
    }

    function expire(uint256 candidateSeed) external checked {
        uint256 id = _candidateId(candidateSeed);
        if (id == 0) return;
        IModelMarket.Candidate memory c = market.getCandidate(id);
        if (c.status != IModelMarket.CandidateStatus.Pending) return;
        uint256 from =
            c.submitBlock + market.getTask(c.taskId).config.seedDelay + market.expiryBlocks() + 1;
        if (block.number < from) return; // only after long rolls, so most candidates settle
        market.expireCandidate(id);
        c = market.getCandidate(id);
        settled.push(Settled(id, c.status, c.score, c.seed, c.seedBlock));
    }

    function closeTask(uint256 taskSeed) external checked {
        uint256 taskId = _taskId(taskSeed);
        if (taskId == 0) return;
        IModelMarket.Task memory task = market.getTask(taskId);
        if (task.closed || task.pendingCandidates != 0) return;
        vm.prank(task.owner);
        market.closeTask(taskId);
    }

    function withdrawEth(uint256 actorSeed) external checked {
        address actor = actors[bound(actorSeed, 0, actors.length - 1)];
        if (market.credits(actor) == 0) return;
        vm.prank(actor);
        market.withdraw();
    }

    function rollBlocks(uint256 blocks) external checked {
        vm.roll(block.number + bound(blocks, 1, 1200));
    }

    // ------------------------------------------------------------ registry actions

    function registerOperator(uint256 stake) external checked {
        if (operators.length >= 8) return;
        _newOperator(bound(stake, 100 ether, 5000 ether));
    }

    function increaseStake(uint256 opSeed, uint256 amount) external checked {
        address op = operators[bound(opSeed, 0, operators.length - 1)];
        if (registry.stakeOf(op) == 0) return;
        amount = bound(amount, 1, 1000 ether);
        token.transfer(op, amount);
        vm.startPrank(op);
        token.approve(address(registry), amount);
        registry.increaseStake(amount);
        vm.stopPrank();
    }

    function requestExit(uint256 opSeed) external checked {
        address op = operators[bound(opSeed, 0, operators.length - 1)];
        if (registry.stakeOf(op) == 0) return;
        vm.prank(op);
        registry.requestExit();
    }

    function withdrawStake(uint256 opSeed) external checked {
        address op = operators[bound(opSeed, 0, operators.length - 1)];
        (, uint64 unlockAt) = registry.exitOf(op);
        if (unlockAt == 0) return;
        if (block.timestamp < unlockAt) vm.warp(unlockAt);
        vm.prank(op);
        registry.withdraw();
    }

    function slash(uint256 opSeed, uint256 amount) external checked {
        address op = operators[bound(opSeed, 0, operators.length - 1)];
        vm.prank(address(center));
        registry.slash(op, bound(amount, 0, 2000 ether), address(0xdead));
    }
}

contract MarketInvariantsTest is MarketBase {
    MarketHandler internal handler;

    function setUp() public {
        _deployMarket();
        address next = vm.computeCreateAddress(address(this), vm.getNonce(address(this)));
        token.transfer(next, 100_000_000 ether); // the handler registers operators on creation
        handler = new MarketHandler(token, registry, market, center);
        assertEq(address(handler), next);
        targetContract(address(handler));
        bytes4[] memory actions = new bytes4[](13);
        actions[0] = MarketHandler.createTask.selector;
        actions[1] = MarketHandler.fund.selector;
        actions[2] = MarketHandler.submit.selector;
        actions[3] = MarketHandler.attest.selector;
        actions[4] = MarketHandler.expire.selector;
        actions[5] = MarketHandler.closeTask.selector;
        actions[6] = MarketHandler.withdrawEth.selector;
        actions[7] = MarketHandler.rollBlocks.selector;
        actions[8] = MarketHandler.registerOperator.selector;
        actions[9] = MarketHandler.increaseStake.selector;
        actions[10] = MarketHandler.requestExit.selector;
        actions[11] = MarketHandler.withdrawStake.selector;
        actions[12] = MarketHandler.slash.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: actions}));
    }

    /// @dev ETH held by the market equals what it owes: open tasks' funds, pending bonds, credits.
    /// forge-config: default.invariant.runs = 48
    function invariant_ethHeldEqualsOwed() public view {
        uint256 owed;
        for (uint256 t = 1; t <= market.taskCount(); ++t) {
            owed += market.getTask(t).funds;
        }
        for (uint256 c = 1; c <= market.candidateCount(); ++c) {
            IModelMarket.Candidate memory candidate = market.getCandidate(c);
            if (candidate.status == IModelMarket.CandidateStatus.Pending) owed += candidate.bond;
        }
        for (uint256 i; i < handler.actorCount(); ++i) {
            owed += market.credits(handler.actors(i));
        }
        assertEq(address(market).balance, owed);
    }

    /// @dev UMToken held by the registry equals active plus exiting stakes; the checkpointed total
    ///      equals the sum of active stakes.
    /// forge-config: default.invariant.runs = 48
    function invariant_tokensHeldEqualStakes() public view {
        uint256 active;
        uint256 exiting;
        for (uint256 i; i < handler.operatorCount(); ++i) {
            address op = handler.operators(i);
            active += registry.stakeOf(op);
            (uint256 amount,) = registry.exitOf(op);
            exiting += amount;
        }
        assertEq(registry.totalStake(), active);
        assertEq(token.balanceOf(address(registry)), active + exiting);
    }

    /// @dev Once settled (or expired), a candidate's status, score and seed never change.
    /// forge-config: default.invariant.runs = 48
    function invariant_settledCandidateNeverChanges() public view {
        assertFalse(handler.settledCandidateChanged());
    }

    /// @dev The handler's own path to a settlement works (so the campaign is not all early returns).
    function test_handlerReachesSettlement() public {
        handler.createTask(0, 5 ether, 0.01 ether, 0.1 ether);
        handler.submit(1, 1);
        handler.attest(1, 5000, 0);
        assertEq(handler.attestations(), 1);
        assertEq(handler.improvements(), 1);
    }

    /// @dev A task's best score never decreases.
    /// forge-config: default.invariant.runs = 48
    function invariant_bestScoreNeverDecreases() public view {
        assertFalse(handler.bestScoreDecreased());
        for (uint256 t = 1; t <= market.taskCount(); ++t) {
            IModelMarket.Task memory task = market.getTask(t);
            assertGe(task.bestScore, task.config.baselineScore);
        }
    }
}
