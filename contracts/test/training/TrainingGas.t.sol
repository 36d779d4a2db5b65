// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TrainingFixture} from "./TrainingFixture.sol";

/// @dev Gas of every training operation in docs/gas.md, with caps that fail on regression. In this
///      contract the preparation runs in the same test transaction, so slots written during it
///      count as dirty (EIP-2200): numbers within a few thousand gas. The capped operations of
///      issue 13 are measured as their own transactions below (TrainingGas*Test).
///      Method as in MarketGas.t.sol: every contract's account and storage is made cold (vm.cool)
///      so the call costs what it would as the first call of a transaction; execution gas is the
///      gas used in the called frame (vm.lastCallGas), i.e. the transaction's gas less the 21,000
///      base and the calldata.
///      Run: npx forge test --match-contract TrainingGasTest -vv
contract TrainingGasTest is TrainingFixture {
    uint256 internal constant SIGNER_KEY = 0xB0B;
    string internal constant URI =
        "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";

    function _cool() internal {
        vm.cool(address(run));
        vm.cool(address(court));
        vm.cool(address(token));
        vm.cool(address(factory));
    }

    function _start() internal {
        _cool();
    }

    /// @dev Gas used inside the last call's frame: what the transaction's execution costs beyond
    ///      the 21,000 base and the calldata (the caller-side costs of a call from this test — ABI
    ///      encoding, the cold callee account, the value surcharge — are no part of a transaction).
    function _stop(string memory label) internal returns (uint256 execution) {
        execution = vm.lastCallGas().gasTotalUsed;
        emit log_named_uint(label, execution);
    }

    function _disputed() internal returns (uint256 disputeId) {
        _play(alice, 5);
        disputeId = _challenge(0, 4);
    }

    function test_gas_claim() public {
        _start();
        vm.prank(alice);
        run.claim{value: WORKER_DEPOSIT}();
        assertLt(_stop("claim"), 120_000);
    }

    function test_gas_revealChallenge() public {
        _play(alice, 5);
        _commitChallenge(challenger, 0, 4);
        _nextBlock();
        bytes32 salt = _salt(challenger, 0, 4);
        vm.prank(challenger);
        _start();
        run.revealChallenge(0, 4, salt, challenger, URI);
        assertLt(_stop("revealChallenge"), 350_000);
    }

    function test_gas_commitVoteBySig() public {
        address signer = vm.addr(SIGNER_KEY);
        _giveStake(signer, 10_000 ether);
        vm.roll(block.number + 1);
        uint256 disputeId = _disputed();
        bytes32 commitment = court.ballotCommitment(disputeId, signer, FRAUD, "salt");
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(SIGNER_KEY, court.ballotCommitDigest(disputeId, signer, commitment));
        bytes memory signature = abi.encodePacked(r, s, v);
        _start();
        court.commitVoteBySig(disputeId, signer, commitment, signature);
        assertLt(_stop("commitVoteBySig"), 70_000);
    }

    function _ruled(uint8 support) internal returns (uint256 disputeId) {
        _play(alice, support == FRAUD ? 5 : HONEST);
        _play(bob, HONEST);
        disputeId = _challenge(0, 4);
        _commitBallot(disputeId, voter1, support);
        _commitBallot(disputeId, voter2, support);
        _toRevealPhase(disputeId);
        _revealBallot(disputeId, voter1, support);
        _revealBallot(disputeId, voter2, support);
        _toRuling(disputeId);
    }

    function test_gas_resolve_valid() public {
        uint256 disputeId = _ruled(VALID);
        _start();
        court.resolve(disputeId);
        assertLt(_stop("resolve valid"), 150_000);
    }

    function test_gas_resolve_fraud_rollback2() public {
        uint256 disputeId = _ruled(FRAUD);
        _start();
        court.resolve(disputeId);
        assertLt(_stop("resolve fraud, rolls back 2 rounds"), 200_000);
    }

    function test_gas_finalize() public {
        _play(alice, HONEST);
        vm.warp(block.timestamp + WINDOW + 1);
        _start();
        run.finalize(0);
        assertLt(_stop("finalize"), 80_000);
    }

    function test_gas_withdraw() public {
        _play(alice, HONEST);
        vm.warp(block.timestamp + WINDOW + 1);
        run.finalize(0);
        vm.prank(alice);
        _start();
        run.withdraw();
        assertLt(_stop("withdraw"), 50_000);
    }

    function test_gas_claimReward() public {
        uint256 disputeId = _ruled(FRAUD);
        court.resolve(disputeId);
        _start();
        court.claimReward(disputeId, voter1);
        assertLt(_stop("claimReward"), 80_000);
    }

    function test_gas_stake() public {
        vm.prank(governance);
        token.transfer(carol, 1000 ether);
        vm.prank(carol);
        token.approve(address(court), 1000 ether);
        vm.prank(carol);
        _start();
        court.stake(1000 ether);
        assertLt(_stop("stake (first)"), 150_000);
    }

    function test_gas_requestUnstake() public {
        vm.roll(block.number + 1);
        vm.prank(voter1);
        _start();
        court.requestUnstake(1000 ether);
        assertLt(_stop("requestUnstake"), 120_000);
    }
}

/// @dev The capped operations, each measured as its own transaction: the preparation runs in
///      setUp, so storage has its real original values (EIP-2200) when the call is measured.
abstract contract TrainingGasCapBase is TrainingFixture {
    function _cool() internal {
        vm.cool(address(run));
        vm.cool(address(court));
        vm.cool(address(token));
        vm.cool(factory.implementation());
    }

    function _used(string memory label) internal returns (uint256 execution) {
        execution = vm.lastCallGas().gasTotalUsed;
        emit log_named_uint(label, execution);
    }
}

/// @dev submit of round 1 (k = 10): the steady state. The first submit of a run also turns
///      nextRound from 0 to 1 (a zero-to-non-zero write, +17,100).
contract TrainingGasSubmitTest is TrainingGasCapBase {
    function setUp() public override {
        super.setUp();
        _play(alice, HONEST);
        _claim(run, bob);
    }

    function test_gasCap_submit_k10() public {
        bytes32[] memory h = _hashes(1, K, HONEST, 0);
        int64[] memory losses = _losses(K);
        _cool();
        vm.prank(bob);
        run.submit(
            1,
            h,
            h[K - 1],
            "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
            losses
        );
        assertLe(_used("submit k=10"), 60_000);
    }
}

contract TrainingGasCommitChallengeTest is TrainingGasCapBase {
    function setUp() public override {
        super.setUp();
        _play(alice, 5);
    }

    function test_gasCap_commitChallenge() public {
        bytes32 commitment = run.challengeCommitment(challenger, 0, 4, _salt(challenger, 0, 4));
        _cool();
        vm.prank(challenger);
        run.commitChallenge{value: CHALLENGER_DEPOSIT}(0, commitment);
        assertLe(_used("commitChallenge"), 50_000);
    }
}

/// @dev Ballots after the first of a dispute (its counters and tally are already non-zero), and
///      the first one, whose zero-to-non-zero counter writes cost more (recorded, capped looser).
contract TrainingGasBallotTest is TrainingGasCapBase {
    uint256 internal disputeId;

    function setUp() public override {
        super.setUp();
        _play(alice, 5);
        disputeId = _challenge(0, 4);
        _commitBallot(disputeId, voter2, FRAUD);
    }

    function test_gasCap_commitVote() public {
        bytes32 commitment = court.ballotCommitment(disputeId, voter1, FRAUD, "salt");
        _cool();
        vm.prank(voter1);
        court.commitVote(disputeId, commitment);
        assertLe(_used("commitVote"), 50_000);
    }
}

contract TrainingGasFirstBallotTest is TrainingGasCapBase {
    uint256 internal disputeId;

    function setUp() public override {
        super.setUp();
        _play(alice, 5);
        disputeId = _challenge(0, 4);
    }

    function test_gas_commitVote_first() public {
        bytes32 commitment = court.ballotCommitment(disputeId, voter1, FRAUD, "salt");
        _cool();
        vm.prank(voter1);
        court.commitVote(disputeId, commitment);
        assertLe(_used("commitVote, first of the dispute"), 60_000);
    }
}

contract TrainingGasRevealTest is TrainingGasCapBase {
    uint256 internal disputeId;

    function setUp() public override {
        super.setUp();
        _play(alice, 5);
        disputeId = _challenge(0, 4);
        _commitBallot(disputeId, voter1, FRAUD);
        _commitBallot(disputeId, voter2, FRAUD);
        _toRevealPhase(disputeId);
        _revealBallot(disputeId, voter2, FRAUD);
    }

    function test_gasCap_revealVote() public {
        bytes32 salt = _ballotSalt(disputeId, voter1);
        _cool();
        court.revealVote(disputeId, voter1, FRAUD, salt);
        assertLe(_used("revealVote"), 60_000);
    }
}

contract TrainingGasFirstRevealTest is TrainingGasCapBase {
    uint256 internal disputeId;

    function setUp() public override {
        super.setUp();
        _play(alice, 5);
        disputeId = _challenge(0, 4);
        _commitBallot(disputeId, voter1, FRAUD);
        _toRevealPhase(disputeId);
    }

    function test_gas_revealVote_first() public {
        bytes32 salt = _ballotSalt(disputeId, voter1);
        _cool();
        court.revealVote(disputeId, voter1, FRAUD, salt);
        assertLe(_used("revealVote, first of the dispute"), 90_000);
    }
}
