// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOperatorRegistryEvents} from "../../src/interfaces/IMarketEvents.sol";
import {IOperatorRegistry} from "../../src/interfaces/IOperatorRegistry.sol";
import {OperatorRegistry} from "../../src/market/OperatorRegistry.sol";
import {MarketBase} from "./MarketBase.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

contract OperatorRegistryTest is MarketBase, IOperatorRegistryEvents {
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");

    function setUp() public {
        _deployMarket();
        token.transfer(alice, 10_000 ether);
        token.transfer(bob, 10_000 ether);
        vm.prank(alice);
        token.approve(address(registry), type(uint256).max);
        vm.prank(bob);
        token.approve(address(registry), type(uint256).max);
    }

    function test_constructor_rejectsZeroAddresses() public {
        vm.expectRevert(IOperatorRegistry.ZeroAddress.selector);
        new OperatorRegistry(IERC20(address(0)), address(1), 1, 1);
        vm.expectRevert(IOperatorRegistry.ZeroAddress.selector);
        new OperatorRegistry(token, address(0), 1, 1);
    }

    function test_constructor_zeroMinimumMeansOneWei() public {
        OperatorRegistry r = new OperatorRegistry(token, address(1), 0, 1);
        assertEq(r.minStake(), 1);
        assertEq(address(registry.token()), address(token));
        assertEq(registry.attestationCenter(), address(center));
        assertEq(registry.exitCooldown(), COOLDOWN);
    }

    function test_register_pullsStakeAndCheckpoints() public {
        vm.expectEmit(address(registry));
        emit OperatorRegistered(alice, 500 ether);
        vm.expectEmit(address(registry));
        emit StakeChanged(alice, 0, 500 ether, 500 ether);
        vm.prank(alice);
        registry.register(500 ether);

        assertEq(registry.stakeOf(alice), 500 ether);
        assertEq(registry.totalStake(), 500 ether);
        assertEq(token.balanceOf(address(registry)), 500 ether);
        vm.roll(block.number + 1);
        assertEq(registry.stakeAt(alice, block.number - 1), 500 ether);
        assertEq(registry.stakeAt(alice, block.number - 2), 0);
        assertEq(registry.totalStakeAt(block.number - 1), 500 ether);
    }

    function test_register_revertsBelowMinimum() public {
        vm.expectRevert(
            abi.encodeWithSelector(IOperatorRegistry.StakeBelowMinimum.selector, 1 ether, MIN_STAKE)
        );
        vm.prank(alice);
        registry.register(1 ether);
    }

    function test_register_revertsWhenAlreadyRegistered() public {
        vm.startPrank(alice);
        registry.register(MIN_STAKE);
        vm.expectRevert(abi.encodeWithSelector(IOperatorRegistry.AlreadyRegistered.selector, alice));
        registry.register(MIN_STAKE);
        vm.stopPrank();
    }

    function test_register_revertsWithoutAllowance() public {
        address carol = makeAddr("carol");
        token.transfer(carol, MIN_STAKE);
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientAllowance.selector, address(registry), 0, MIN_STAKE
            )
        );
        vm.prank(carol);
        registry.register(MIN_STAKE);
    }

    function test_register_revertsWhileExitPending() public {
        vm.startPrank(alice);
        registry.register(MIN_STAKE);
        registry.requestExit();
        uint64 unlockAt = uint64(block.timestamp + COOLDOWN);
        vm.expectRevert(
            abi.encodeWithSelector(IOperatorRegistry.ExitPending.selector, alice, unlockAt)
        );
        registry.register(MIN_STAKE);
        vm.stopPrank();
    }

    function _permit(uint256 key, address holder, uint256 value, uint256 deadline)
        internal
        view
        returns (uint8 v, bytes32 r, bytes32 s)
    {
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
                ),
                holder,
                address(registry),
                value,
                token.nonces(holder),
                deadline
            )
        );
        return
            vm.sign(
                key, keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash))
            );
    }

    function test_registerWithPermit_approvesAndRegisters() public {
        (address carol, uint256 key) = makeAddrAndKey("carol");
        token.transfer(carol, MIN_STAKE);
        (uint8 v, bytes32 r, bytes32 s) = _permit(key, carol, MIN_STAKE, block.timestamp + 1 hours);
        vm.prank(carol);
        registry.registerWithPermit(MIN_STAKE, block.timestamp + 1 hours, v, r, s);
        assertEq(registry.stakeOf(carol), MIN_STAKE);
        assertEq(token.balanceOf(carol), 0);
    }

    function test_registerWithPermit_survivesFrontRunPermit() public {
        (address carol, uint256 key) = makeAddrAndKey("carol");
        token.transfer(carol, MIN_STAKE);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permit(key, carol, MIN_STAKE, deadline);
        token.permit(carol, address(registry), MIN_STAKE, deadline, v, r, s); // front-run
        vm.prank(carol);
        registry.registerWithPermit(MIN_STAKE, deadline, v, r, s);
        assertEq(registry.stakeOf(carol), MIN_STAKE);
    }

    function test_registerWithPermit_revertsOnBadPermitWithoutAllowance() public {
        (address carol,) = makeAddrAndKey("carol");
        token.transfer(carol, MIN_STAKE);
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientAllowance.selector, address(registry), 0, MIN_STAKE
            )
        );
        vm.prank(carol);
        registry.registerWithPermit(MIN_STAKE, block.timestamp, 27, bytes32(0), bytes32(0));
    }

    function test_increaseStake_addsToStakeAndTotal() public {
        vm.startPrank(alice);
        registry.register(MIN_STAKE);
        vm.expectEmit(address(registry));
        emit StakeChanged(alice, MIN_STAKE, MIN_STAKE + 5 ether, MIN_STAKE + 5 ether);
        registry.increaseStake(5 ether);
        vm.stopPrank();
        assertEq(registry.stakeOf(alice), MIN_STAKE + 5 ether);
        assertEq(token.balanceOf(address(registry)), MIN_STAKE + 5 ether);
    }

    function test_increaseStake_reverts() public {
        vm.startPrank(alice);
        vm.expectRevert(IOperatorRegistry.ZeroAmount.selector);
        registry.increaseStake(0);
        vm.expectRevert(abi.encodeWithSelector(IOperatorRegistry.NotRegistered.selector, alice));
        registry.increaseStake(1 ether);
        vm.stopPrank();
    }

    function test_requestExit_removesVotingStakeButKeepsHistory() public {
        vm.prank(alice);
        registry.register(300 ether);
        vm.prank(bob);
        registry.register(200 ether);
        vm.roll(block.number + 1);
        uint256 before = block.number - 1;

        vm.expectEmit(address(registry));
        emit StakeChanged(alice, 300 ether, 0, 200 ether);
        vm.expectEmit(address(registry));
        emit ExitRequested(alice, uint64(block.timestamp + COOLDOWN));
        vm.prank(alice);
        registry.requestExit();
        vm.roll(block.number + 1);

        assertEq(registry.stakeOf(alice), 0);
        assertEq(registry.totalStake(), 200 ether);
        assertEq(registry.stakeAt(alice, before), 300 ether);
        assertEq(registry.totalStakeAt(before), 500 ether);
        (uint256 amount, uint64 unlockAt) = registry.exitOf(alice);
        assertEq(amount, 300 ether);
        assertEq(unlockAt, block.timestamp + COOLDOWN);
        assertEq(token.balanceOf(address(registry)), 500 ether, "tokens stay locked");
    }

    function test_requestExit_revertsWhenNotRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(IOperatorRegistry.NotRegistered.selector, alice));
        vm.prank(alice);
        registry.requestExit();
    }

    function test_withdraw_afterCooldownReturnsTokensAndAllowsReentry() public {
        vm.startPrank(alice);
        registry.register(MIN_STAKE);
        registry.requestExit();
        uint64 unlockAt = uint64(block.timestamp + COOLDOWN);
        vm.expectRevert(
            abi.encodeWithSelector(IOperatorRegistry.NotWithdrawable.selector, alice, unlockAt)
        );
        registry.withdraw();

        vm.warp(unlockAt);
        uint256 balance = token.balanceOf(alice);
        vm.expectEmit(address(registry));
        emit OperatorExited(alice, MIN_STAKE);
        registry.withdraw();
        assertEq(token.balanceOf(alice), balance + MIN_STAKE);
        (uint256 amount, uint64 withdrawableAt) = registry.exitOf(alice);
        assertEq(amount + withdrawableAt, 0);

        registry.register(MIN_STAKE);
        assertEq(registry.stakeOf(alice), MIN_STAKE);
        vm.stopPrank();
    }

    function test_withdraw_revertsWithoutExit() public {
        vm.expectRevert(
            abi.encodeWithSelector(IOperatorRegistry.NotWithdrawable.selector, alice, 0)
        );
        vm.prank(alice);
        registry.withdraw();
    }

    function test_slash_onlyAttestationCenter() public {
        vm.prank(alice);
        registry.register(MIN_STAKE);
        vm.expectRevert(
            abi.encodeWithSelector(IOperatorRegistry.OnlyAttestationCenter.selector, bob)
        );
        vm.prank(bob);
        registry.slash(alice, 1 ether, bob);
    }

    function test_slash_takesActiveStakeThenExitingStake() public {
        vm.prank(alice);
        registry.register(MIN_STAKE + 50 ether);
        address sink = makeAddr("sink");

        vm.expectEmit(address(registry));
        emit StakeChanged(alice, MIN_STAKE + 50 ether, MIN_STAKE, MIN_STAKE);
        vm.expectEmit(address(registry));
        emit OperatorSlashed(alice, 50 ether, MIN_STAKE);
        vm.prank(address(center));
        assertEq(registry.slash(alice, 50 ether, sink), 50 ether);
        assertEq(token.balanceOf(sink), 50 ether);

        vm.prank(alice);
        registry.requestExit();
        vm.prank(address(center));
        assertEq(registry.slash(alice, 30 ether, sink), 30 ether, "exiting stake is slashable");
        (uint256 locked,) = registry.exitOf(alice);
        assertEq(locked, MIN_STAKE - 30 ether);

        vm.prank(address(center));
        assertEq(registry.slash(alice, 1000 ether, sink), MIN_STAKE - 30 ether, "capped");
        assertEq(token.balanceOf(address(registry)), 0);
        assertEq(token.balanceOf(sink), MIN_STAKE + 50 ether);
    }

    function test_slash_revertsOnZeroRecipient() public {
        vm.expectRevert(IOperatorRegistry.ZeroAddress.selector);
        vm.prank(address(center));
        registry.slash(alice, 1, address(0));
    }

    function test_lookups_revertForCurrentOrFutureBlocks() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IOperatorRegistry.FutureLookup.selector, block.number, block.number
            )
        );
        registry.stakeAt(alice, block.number);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOperatorRegistry.FutureLookup.selector, block.number + 1, block.number
            )
        );
        registry.totalStakeAt(block.number + 1);
    }

    function test_stakesAt_returnsEachStakeAndTotal() public {
        vm.prank(alice);
        registry.register(300 ether);
        vm.prank(bob);
        registry.register(200 ether);
        vm.roll(block.number + 1);
        address[] memory ops = new address[](3);
        (ops[0], ops[1], ops[2]) = (alice, bob, makeAddr("nobody"));
        (uint256[] memory stakes, uint256 total) = registry.stakesAt(ops, block.number - 1);
        assertEq(stakes[0], 300 ether);
        assertEq(stakes[1], 200 ether);
        assertEq(stakes[2], 0);
        assertEq(total, 500 ether);
    }
}
