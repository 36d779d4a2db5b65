// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IModelMarketEvents, TaskConfig} from "../../src/interfaces/IMarketEvents.sol";
import {IModelMarket} from "../../src/interfaces/IModelMarket.sol";
import {ModelMarket} from "../../src/market/ModelMarket.sol";
import {MarketBase} from "./MarketBase.sol";

/// @dev Rejects ETH, to prove a failing withdrawal reverts and keeps the credit.
contract EthRefuser {
    function submit(ModelMarket market, uint256 taskId) external payable returns (uint256) {
        return market.submitCandidate{value: msg.value}(taskId, "ipfs://x", keccak256("x"));
    }

    function withdraw(ModelMarket market) external {
        market.withdraw();
    }
}

contract ModelMarketTest is MarketBase, IModelMarketEvents {
    function setUp() public {
        _deployMarket();
        _addOperators(4, 1000 ether, "op");
    }

    // ------------------------------------------------------------ constructor

    function test_constructor_rejectsBadArguments() public {
        vm.expectRevert(IModelMarket.ZeroAddress.selector);
        new ModelMarket(address(0), 1);
        vm.expectRevert(IModelMarket.ZeroValue.selector);
        new ModelMarket(address(1), 0);
        assertEq(market.attestationCenter(), address(center));
        assertEq(market.expiryBlocks(), EXPIRY);
    }

    // ------------------------------------------------------------ createTask

    function test_createTask_storesTermsAndEmits() public {
        TaskConfig memory config = _config();
        vm.expectEmit(address(market));
        emit TaskCreated(1, owner, config, 5 ether);
        uint256 taskId = _createTask(5 ether);
        assertEq(taskId, 1);
        assertEq(market.taskCount(), 1);
        IModelMarket.Task memory task = market.getTask(taskId);
        assertEq(task.owner, owner);
        assertEq(task.funds, 5 ether);
        assertEq(task.bestScore, BASELINE);
        assertEq(task.bestCandidateId, 0);
        assertFalse(task.closed);
        assertEq(task.config.archURI, "ipfs://arch");
        assertEq(task.config.evalSpecHash, keccak256("eval"));
        assertEq(task.config.seedDelay, SEED_DELAY);
        assertEq(address(market).balance, 5 ether);
    }

    function test_createTask_rejectsInvalidTerms() public {
        TaskConfig memory config = _config();
        config.initialParamsHash = 0;
        vm.expectRevert(IModelMarket.EmptyHash.selector);
        market.createTask(config);

        config = _config();
        config.evalSpecHash = 0;
        vm.expectRevert(IModelMarket.EmptyHash.selector);
        market.createTask(config);

        config = _config();
        config.baselineScore = int256(type(int128).max) + 1;
        vm.expectRevert(
            abi.encodeWithSelector(IModelMarket.ScoreOutOfRange.selector, config.baselineScore)
        );
        market.createTask(config);

        config.baselineScore = -int256(type(int128).max) - 1;
        vm.expectRevert(
            abi.encodeWithSelector(IModelMarket.ScoreOutOfRange.selector, config.baselineScore)
        );
        market.createTask(config);

        int256[3] memory badImprovements = [int256(0), -1, int256(type(int128).max) + 1];
        for (uint256 i; i < 3; ++i) {
            config = _config();
            config.minImprovement = badImprovements[i];
            vm.expectRevert(
                abi.encodeWithSelector(
                    IModelMarket.InvalidMinImprovement.selector, badImprovements[i]
                )
            );
            market.createTask(config);
        }

        uint64[2] memory badDelays = [uint64(0), market.MAX_SEED_DELAY() + 1];
        for (uint256 i; i < 2; ++i) {
            config = _config();
            config.seedDelay = badDelays[i];
            vm.expectRevert(
                abi.encodeWithSelector(IModelMarket.InvalidSeedDelay.selector, badDelays[i])
            );
            market.createTask(config);
        }
    }

    // ------------------------------------------------------------ fund / close

    function test_fund_addsToFunds() public {
        uint256 taskId = _createTask(1 ether);
        vm.expectEmit(address(market));
        emit TaskFunded(taskId, address(this), 2 ether, 3 ether);
        market.fund{value: 2 ether}(taskId);
        assertEq(market.getTask(taskId).funds, 3 ether);
    }

    function test_fund_reverts() public {
        uint256 taskId = _createTask(1 ether);
        vm.expectRevert(IModelMarket.ZeroValue.selector);
        market.fund(taskId);
        vm.expectRevert(abi.encodeWithSelector(IModelMarket.TaskNotFound.selector, 9));
        market.fund{value: 1}(9);
        vm.prank(owner);
        market.closeTask(taskId);
        vm.expectRevert(abi.encodeWithSelector(IModelMarket.TaskIsClosed.selector, taskId));
        market.fund{value: 1}(taskId);
    }

    function test_closeTask_creditsRemainingFundsToOwner() public {
        uint256 taskId = _createTask(3 ether);
        vm.expectEmit(address(market));
        emit TaskClosed(taskId, 3 ether);
        vm.prank(owner);
        market.closeTask(taskId);
        IModelMarket.Task memory task = market.getTask(taskId);
        assertTrue(task.closed);
        assertEq(task.funds, 0);
        assertEq(market.credits(owner), 3 ether);

        uint256 before = owner.balance;
        vm.expectEmit(address(market));
        emit Withdrawn(owner, 3 ether);
        vm.prank(owner);
        market.withdraw();
        assertEq(owner.balance, before + 3 ether);
        assertEq(address(market).balance, 0);
    }

    function test_closeTask_reverts() public {
        uint256 taskId = _createTask(1 ether);
        vm.expectRevert(
            abi.encodeWithSelector(IModelMarket.NotTaskOwner.selector, taskId, optimizer)
        );
        vm.prank(optimizer);
        market.closeTask(taskId);

        _submit(taskId, optimizer, keccak256("p"));
        vm.expectRevert(abi.encodeWithSelector(IModelMarket.CandidatesPending.selector, taskId, 1));
        vm.prank(owner);
        market.closeTask(taskId);

        vm.expectRevert(abi.encodeWithSelector(IModelMarket.TaskNotFound.selector, 0));
        market.closeTask(0);
    }

    function test_closeTask_revertsWhenAlreadyClosed() public {
        uint256 taskId = _createTask(1 ether);
        vm.startPrank(owner);
        market.closeTask(taskId);
        vm.expectRevert(abi.encodeWithSelector(IModelMarket.TaskIsClosed.selector, taskId));
        market.closeTask(taskId);
        vm.stopPrank();
    }

    // ------------------------------------------------------------ submitCandidate

    function test_submitCandidate_holdsBondAndPlansSeed() public {
        uint256 taskId = _createTask(1 ether);
        uint64 seedBlock = uint64(block.number) + SEED_DELAY;
        vm.expectEmit(address(market));
        emit CandidateSubmitted(
            1, taskId, optimizer, "ipfs://candidate", keccak256("p"), BOND, seedBlock
        );
        uint256 id = _submit(taskId, optimizer, keccak256("p"));
        assertEq(id, 1);
        assertEq(market.candidateCount(), 1);
        IModelMarket.Candidate memory c = market.getCandidate(id);
        assertEq(c.taskId, taskId);
        assertEq(c.optimizer, optimizer);
        assertEq(uint8(c.status), uint8(IModelMarket.CandidateStatus.Pending));
        assertEq(c.submitBlock, block.number);
        assertEq(c.seedBlock, seedBlock);
        assertEq(c.bond, BOND);
        assertEq(c.seed, bytes32(0));
        assertEq(c.paramsURI, "ipfs://candidate");
        assertEq(market.getTask(taskId).pendingCandidates, 1);
        assertEq(address(market).balance, 1 ether + BOND);
    }

    function test_submitCandidate_reverts() public {
        uint256 taskId = _createTask(1 ether);
        vm.startPrank(optimizer);
        vm.expectRevert(abi.encodeWithSelector(IModelMarket.WrongBond.selector, BOND - 1, BOND));
        market.submitCandidate{value: BOND - 1}(taskId, "u", keccak256("p"));
        vm.expectRevert(abi.encodeWithSelector(IModelMarket.WrongBond.selector, BOND + 1, BOND));
        market.submitCandidate{value: BOND + 1}(taskId, "u", keccak256("p"));
        vm.expectRevert(IModelMarket.EmptyHash.selector);
        market.submitCandidate{value: BOND}(taskId, "u", bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IModelMarket.TaskNotFound.selector, 2));
        market.submitCandidate{value: BOND}(2, "u", keccak256("p"));
        vm.stopPrank();

        vm.prank(owner);
        market.closeTask(taskId);
        vm.expectRevert(abi.encodeWithSelector(IModelMarket.TaskIsClosed.selector, taskId));
        vm.prank(optimizer);
        market.submitCandidate{value: BOND}(taskId, "u", keccak256("p"));
    }

    // ------------------------------------------------------------ seeds

    function test_seed_unavailableUntilSeedBlockHasEnded() public {
        uint256 taskId = _createTask(1 ether);
        uint256 id = _submit(taskId, optimizer, keccak256("p"));
        uint256 seedBlock = block.number + SEED_DELAY;
        vm.roll(seedBlock);
        vm.expectRevert(
            abi.encodeWithSelector(IModelMarket.SeedNotAvailable.selector, id, seedBlock + 1)
        );
        market.seedOf(id);
        vm.expectRevert(
            abi.encodeWithSelector(IModelMarket.SeedNotAvailable.selector, id, seedBlock + 1)
        );
        market.recordSeed(id);

        vm.roll(seedBlock + 1);
        vm.setBlockhash(seedBlock, keccak256("hash of the seed block"));
        (bytes32 seed, uint64 used) = market.seedOf(id);
        assertEq(seed, keccak256(abi.encode(keccak256("hash of the seed block"), id, taskId)));
        assertEq(used, seedBlock);
    }

    /// @dev A zero block hash never occurs within the window on a real chain; the market still
    ///      refuses it rather than record a seed anyone could have predicted.
    function test_seed_refusesZeroBlockhash() public {
        uint256 taskId = _createTask(1 ether);
        uint256 id = _submit(taskId, optimizer, keccak256("p"));
        uint256 seedBlock = block.number + SEED_DELAY;
        vm.roll(seedBlock + 1);
        vm.setBlockhash(seedBlock, bytes32(0));
        vm.expectRevert(
            abi.encodeWithSelector(IModelMarket.SeedNotAvailable.selector, id, seedBlock + 1)
        );
        market.recordSeed(id);
    }

    function test_seed_unknownCandidateReverts() public {
        vm.expectRevert(abi.encodeWithSelector(IModelMarket.CandidateNotFound.selector, 7));
        market.seedOf(7);
        vm.expectRevert(abi.encodeWithSelector(IModelMarket.CandidateNotFound.selector, 0));
        market.recordSeed(0);
        vm.expectRevert(abi.encodeWithSelector(IModelMarket.CandidateNotFound.selector, 7));
        market.getCandidate(7);
        vm.expectRevert(abi.encodeWithSelector(IModelMarket.TaskNotFound.selector, 7));
        market.getTask(7);
    }

    function test_recordSeed_fixesSeedOnceAndForAll() public {
        uint256 taskId = _createTask(1 ether);
        uint256 id = _submit(taskId, optimizer, keccak256("p"));
        uint256 seedBlock = block.number + SEED_DELAY;
        vm.roll(seedBlock + 10);
        vm.setBlockhash(seedBlock, bytes32(uint256(0xabc)));
        bytes32 expected = keccak256(abi.encode(bytes32(uint256(0xabc)), id, taskId));

        vm.expectEmit(address(market));
        emit SeedRecorded(id, expected, uint64(seedBlock));
        (bytes32 seed, uint64 used) = market.recordSeed(id);
        assertEq(seed, expected);
        assertEq(used, seedBlock);

        // Long after, and with the planned block out of blockhash's reach, nothing moves.
        vm.roll(seedBlock + 5000);
        vm.recordLogs();
        (bytes32 again, uint64 usedAgain) = market.recordSeed(id);
        assertEq(vm.getRecordedLogs().length, 0, "second record emits nothing");
        assertEq(again, expected);
        assertEq(usedAgain, seedBlock);
        (bytes32 viewed,) = market.seedOf(id);
        assertEq(viewed, expected);
        assertEq(market.getCandidate(id).seed, expected);
    }

    /// @dev The re-derivation rule: b = T + 256 * floor((n - 1 - T) / 256).
    function test_seed_rederivesFromLatestCongruentBlockAfter256Blocks() public {
        uint256 taskId = _createTask(1 ether);
        uint256 id = _submit(taskId, optimizer, keccak256("p"));
        uint256 planned = block.number + SEED_DELAY;

        // Last block where the planned hash is readable: n - 1 - T = 255.
        vm.roll(planned + 256);
        (, uint64 used) = market.seedOf(id);
        assertEq(used, planned);

        // One block later the planned hash is gone: the seed moves to T + 256.
        vm.roll(planned + 257);
        vm.setBlockhash(planned + 256, bytes32(uint256(0x256)));
        (bytes32 seed, uint64 used2) = market.seedOf(id);
        assertEq(used2, planned + 256);
        assertEq(seed, keccak256(abi.encode(bytes32(uint256(0x256)), id, taskId)));

        // Far later: the most recent congruent block within the window.
        vm.roll(planned + 256 * 7 + 100);
        vm.setBlockhash(planned + 256 * 7, bytes32(uint256(0x777)));
        vm.expectEmit(address(market));
        emit SeedRecorded(
            id,
            keccak256(abi.encode(bytes32(uint256(0x777)), id, taskId)),
            uint64(planned + 256 * 7)
        );
        (, uint64 used3) = market.recordSeed(id);
        assertEq(used3, planned + 256 * 7);
        assertEq(market.getCandidate(id).seedBlock, planned + 256 * 7);
    }

    function testFuzz_seed_blockAlwaysWithinBlockhashWindow(uint256 wait) public {
        uint256 taskId = _createTask(1 ether);
        uint256 id = _submit(taskId, optimizer, keccak256("p"));
        uint256 planned = block.number + SEED_DELAY;
        uint256 now_ = planned + 1 + bound(wait, 0, 1_000_000);
        vm.roll(now_);
        (bytes32 seed, uint64 used) = market.seedOf(id);
        assertTrue(used >= planned && used < now_ && now_ - used <= 256, "within window");
        assertEq((used - planned) % 256, 0, "congruent to the planned block");
        assertEq(seed, keccak256(abi.encode(blockhash(used), id, taskId)));
    }

    // ------------------------------------------------------------ settle / expire

    function test_settle_onlyAttestationCenter() public {
        uint256 taskId = _createTask(1 ether);
        uint256 id = _submit(taskId, optimizer, keccak256("p"));
        vm.expectRevert(abi.encodeWithSelector(IModelMarket.OnlyAttestationCenter.selector, owner));
        vm.prank(owner);
        market.settle(id, 1, _signersOf(3));
    }

    function test_settle_rejectsBadCalls() public {
        uint256 taskId = _createTask(1 ether);
        uint256 id = _submit(taskId, optimizer, keccak256("p"));
        vm.startPrank(address(center));
        vm.expectRevert(
            abi.encodeWithSelector(
                IModelMarket.SeedNotAvailable.selector, id, block.number + SEED_DELAY + 1
            )
        );
        market.settle(id, 1, _signersOf(3));
        _rollPastSeed(id);
        market.recordSeed(id);
        int256 tooHigh = int256(type(int128).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(IModelMarket.ScoreOutOfRange.selector, tooHigh));
        market.settle(id, tooHigh, _signersOf(3));
        vm.expectRevert(abi.encodeWithSelector(IModelMarket.ScoreOutOfRange.selector, -tooHigh));
        market.settle(id, -tooHigh, _signersOf(3));
        vm.expectRevert(IModelMarket.ZeroValue.selector);
        market.settle(id, 1, new address[](0));
        market.settle(id, 1, _signersOf(3));
        vm.expectRevert(
            abi.encodeWithSelector(
                IModelMarket.CandidateNotPending.selector, id, IModelMarket.CandidateStatus.Rejected
            )
        );
        market.settle(id, 1, _signersOf(3));
        vm.stopPrank();
    }

    function test_expireCandidate_refundsBondAfterWindow() public {
        uint256 taskId = _createTask(1 ether);
        uint256 id = _submit(taskId, optimizer, keccak256("p"));
        uint256 expirable = block.number + SEED_DELAY + EXPIRY + 1;
        vm.roll(expirable - 1);
        vm.expectRevert(abi.encodeWithSelector(IModelMarket.NotExpirable.selector, id, expirable));
        market.expireCandidate(id);

        vm.roll(expirable);
        vm.expectEmit(address(market));
        emit IModelMarketEvents.CandidateExpired(id, taskId, BOND);
        market.expireCandidate(id);
        assertEq(uint8(market.getCandidate(id).status), uint8(IModelMarket.CandidateStatus.Expired));
        assertEq(market.credits(optimizer), BOND);
        assertEq(market.getTask(taskId).pendingCandidates, 0);

        vm.expectRevert(
            abi.encodeWithSelector(
                IModelMarket.CandidateNotPending.selector, id, IModelMarket.CandidateStatus.Expired
            )
        );
        market.expireCandidate(id);
        vm.prank(owner);
        market.closeTask(taskId); // nothing pending any more
    }

    // ------------------------------------------------------------ withdraw

    function test_withdraw_revertsWithNothingCredited() public {
        vm.expectRevert(abi.encodeWithSelector(IModelMarket.NothingToWithdraw.selector, optimizer));
        vm.prank(optimizer);
        market.withdraw();
    }

    function test_withdraw_failedTransferKeepsCredit() public {
        uint256 taskId = _createTask(1 ether);
        EthRefuser refuser = new EthRefuser();
        uint256 id = refuser.submit{value: BOND}(market, taskId);
        vm.roll(block.number + SEED_DELAY + EXPIRY + 1);
        market.expireCandidate(id);
        assertEq(market.credits(address(refuser)), BOND);
        vm.expectRevert(
            abi.encodeWithSelector(IModelMarket.TransferFailed.selector, address(refuser), BOND)
        );
        refuser.withdraw(market);
        assertEq(market.credits(address(refuser)), BOND);
        assertEq(address(market).balance, 1 ether + BOND);
    }
}
