// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {UMToken} from "../src/UMToken.sol";
import {Test} from "forge-std/Test.sol";

contract UMTokenTest is Test {
    UMToken internal token;
    address internal treasury = makeAddr("treasury");
    address internal alice = makeAddr("alice");

    function setUp() public {
        token = new UMToken(treasury, 1_000_000 ether);
    }

    function test_mintsSupplyToHolder() public view {
        assertEq(token.totalSupply(), 1_000_000 ether);
        assertEq(token.balanceOf(treasury), 1_000_000 ether);
        assertEq(token.symbol(), "UM");
    }

    function test_balancesCarryNoVotesUntilDelegated() public {
        vm.prank(treasury);
        token.transfer(alice, 100 ether);
        assertEq(token.getVotes(alice), 0);

        vm.prank(alice);
        token.delegate(alice);
        assertEq(token.getVotes(alice), 100 ether);
    }

    function test_pastVotesIgnoreLaterTransfers() public {
        vm.prank(treasury);
        token.delegate(treasury);
        vm.roll(block.number + 1);
        uint256 snapshot = block.number - 1;

        vm.prank(treasury);
        token.transfer(alice, 400 ether);
        vm.prank(alice);
        token.delegate(alice);
        vm.roll(block.number + 1);

        assertEq(token.getPastVotes(alice, snapshot), 0);
        assertEq(token.getPastVotes(treasury, snapshot), 1_000_000 ether);
        assertEq(token.getVotes(alice), 400 ether);
    }

    function testFuzz_delegatedVotesTrackBalance(uint256 amount) public {
        amount = bound(amount, 0, 1_000_000 ether);
        vm.prank(treasury);
        token.transfer(alice, amount);
        vm.prank(alice);
        token.delegate(alice);
        assertEq(token.getVotes(alice), amount);
        assertEq(token.getVotes(treasury), 0);
    }

    function test_permitSetsAllowanceFromSignature() public {
        (address owner, uint256 key) = makeAddrAndKey("owner");
        vm.prank(treasury);
        token.transfer(owner, 10 ether);

        uint256 deadline = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
                ),
                owner,
                alice,
                10 ether,
                token.nonces(owner),
                deadline
            )
        );
        bytes32 digest =
            keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);

        token.permit(owner, alice, 10 ether, deadline, v, r, s);
        assertEq(token.allowance(owner, alice), 10 ether);
        assertEq(token.nonces(owner), 1);
    }
}
