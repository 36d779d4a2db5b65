// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DisputeCourt} from "../../src/training/DisputeCourt.sol";
import {TrainingRun} from "../../src/training/TrainingRun.sol";
import {TrainingFixture} from "../training/TrainingFixture.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice Lends UM that must be back before flashLoan returns (a one-block, flash-style loan).
contract OneBlockLender {
    IERC20 public immutable token;

    error NotRepaid(uint256 balance, uint256 expected);

    constructor(IERC20 token_) {
        token = token_;
    }

    function flashLoan(uint256 amount) external {
        uint256 before = token.balanceOf(address(this));
        token.transfer(msg.sender, amount);
        VoteRenter(msg.sender).onLoan(amount);
        uint256 balance = token.balanceOf(address(this));
        if (balance < before) revert NotRepaid(balance, before);
    }
}

/// @notice Borrows UM, stakes it in the court for voting weight, and tries to repay in time.
contract VoteRenter {
    IERC20 public immutable token;
    DisputeCourt public immutable court;
    OneBlockLender public immutable lender;

    constructor(IERC20 token_, DisputeCourt court_, OneBlockLender lender_) {
        token = token_;
        court = court_;
        lender = lender_;
    }

    function rent(uint256 amount) external {
        lender.flashLoan(amount);
    }

    function onLoan(uint256 amount) external {
        token.approve(address(court), amount);
        court.stake(amount);
        court.requestUnstake(amount);
        court.withdrawUnstaked(); // reverts StillLocked: the cooldown has not passed
        token.transfer(address(lender), amount);
    }

    function stake(uint256 amount) external {
        token.approve(address(court), amount);
        court.stake(amount);
    }

    function call(bytes calldata data) external {
        (bool ok, bytes memory result) = address(court).call(data);
        if (!ok) {
            assembly {
                revert(add(result, 32), mload(result))
            }
        }
    }
}

/// @notice Attack 6: 400k UM borrowed for one block outvote an honest 100k staker and slash an
///         honest worker.
contract Attack6_RentableVotesTest is TrainingFixture {
    uint256 internal constant LOAN = 400_000 ether;

    OneBlockLender internal lender;
    VoteRenter internal renter;

    function setUp() public override {
        super.setUp();
        lender = new OneBlockLender(IERC20(address(token)));
        renter = new VoteRenter(IERC20(address(token)), court, lender);
        vm.prank(governance);
        token.transfer(address(lender), LOAN);
    }

    /// Stopped by: weight is court stake, which leaves only after an unstaking cooldown longer
    /// than the vote, so a loan cannot be repaid in the block it was staked.
    function test_attack6_flashLoanedStakeCannotBeRepaidInTheBlock() public {
        vm.expectRevert(); // StillLocked inside the callback, so the loan is never taken
        renter.rent(LOAN);
        assertEq(token.balanceOf(address(lender)), LOAN);
        assertEq(court.stakeOf(address(renter)), 0);
    }

    /// Stopped by: stake unstaked in its own block weighs nothing at the snapshot.
    function test_attack6_stakeAndUnstakeInOneBlockHasNoWeight() public {
        vm.prank(address(lender));
        token.transfer(address(renter), LOAN);
        renter.stake(LOAN);
        renter.call(abi.encodeCall(court.requestUnstake, (LOAN)));
        vm.roll(block.number + 1);
        _play(alice, HONEST);
        uint256 disputeId = _challenge(0, 3);
        uint256 snapshot = court.getDispute(disputeId).snapshotBlock;
        vm.expectRevert(
            abi.encodeWithSelector(DisputeCourt.NoVotingPower.selector, address(renter), snapshot)
        );
        renter.call(abi.encodeCall(court.commitVote, (disputeId, keccak256("fraud"))));
    }

    /// Stopped by: stake that counts at the snapshot stays locked through the cooldown, past the
    /// reveal deadline: the lender is not repaid before the vote ends.
    function test_attack6_rentedWeightMustStayLockedPastTheVote() public {
        vm.prank(address(lender));
        token.transfer(address(renter), LOAN); // the one-block loan
        renter.stake(LOAN);
        vm.roll(block.number + 1);
        _play(alice, HONEST); // an honest worker
        uint256 disputeId = _challenge(0, 3); // snapshot: the loan's block
        bytes32 commitment = court.ballotCommitment(disputeId, address(renter), FRAUD, "r");
        renter.call(abi.encodeCall(court.commitVote, (disputeId, commitment)));
        renter.call(abi.encodeCall(court.requestUnstake, (LOAN))); // at once, to repay
        (, uint64 unlockAt) = court.pendingUnstakes(address(renter));
        uint64 revealDeadline = court.getDispute(disputeId).revealDeadline;
        assertGt(unlockAt, revealDeadline, "locked past the vote");
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.StillLocked.selector, unlockAt));
        renter.call(abi.encodeCall(court.withdrawUnstaked, ()));
        vm.warp(revealDeadline);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.StillLocked.selector, unlockAt));
        renter.call(abi.encodeCall(court.withdrawUnstaked, ()));
        assertEq(token.balanceOf(address(lender)), 0, "the lender is not repaid within the vote");
        vm.warp(unlockAt);
        renter.call(abi.encodeCall(court.withdrawUnstaked, ()));
        assertEq(token.balanceOf(address(renter)), LOAN, "only after the cooldown");
    }
}
