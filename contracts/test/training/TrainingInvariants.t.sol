// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {UMToken} from "../../src/UMToken.sol";
import {PositionalMerkle} from "../../src/libraries/PositionalMerkle.sol";
import {DisputeCourt} from "../../src/training/DisputeCourt.sol";
import {TrainingRun} from "../../src/training/TrainingRun.sol";
import {MerkleProofs, TrainingFixture} from "./TrainingFixture.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

/// @notice Drives one run and the court with random but well-formed actions, and keeps ghost
///         accounting the invariants compare against.
contract TrainingHandler is CommonBase, StdCheats, StdUtils {
    uint64 public constant K = 4;
    uint256 internal constant HONEST = type(uint256).max;

    TrainingRun public immutable run;
    DisputeCourt public immutable court;
    UMToken public immutable token;
    address[] public actors;
    address[] public voters;

    uint256 public ethIn;
    uint256 public ethOut;
    /// Set if a vote was ever counted twice or with a weight other than the snapshot's.
    bool public badVote;
    /// Set if a round finalised while it or an earlier round had an open dispute.
    bool public finalizedBehindDispute;
    mapping(uint256 disputeId => uint256) public ghostVotes;
    mapping(uint256 disputeId => mapping(address => bool)) internal _voted;
    /// First fraudulent global step of the current attempt at each round (HONEST if none).
    mapping(uint256 round => uint256) internal _fraudFrom;
    uint256 public calls;
    mapping(uint256 disputeId => bool) internal _isFraud;
    /// Successful actions, to show the campaign reaches the interesting states.
    uint256 public frauds;
    uint256 public finalized;
    uint256 public challenges;

    constructor(TrainingRun run_, DisputeCourt court_, UMToken token_, address[] memory voters_) {
        run = run_;
        court = court_;
        token = token_;
        voters = voters_;
        for (uint256 i = 0; i < 4; ++i) {
            address actor = makeAddr(string.concat("actor", vm.toString(i)));
            actors.push(actor);
            vm.deal(actor, 1000 ether);
        }
    }

    modifier step(uint256 seconds_) {
        ++calls;
        vm.warp(block.timestamp + bound(seconds_, 0, 20 minutes));
        vm.roll(block.number + 1);
        _;
    }

    function actorCount() external view returns (int256) {
        return int256(actors.length);
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    function _leaves(uint256 round) internal view returns (bytes32[] memory leaves) {
        leaves = new bytes32[](K);
        uint256 fraudFrom = _fraudFrom[round];
        for (uint256 i = 0; i < K; ++i) {
            uint256 t = round * K + i + 1;
            leaves[i] = PositionalMerkle.stepLeaf(t, keccak256(abi.encode(t, t >= fraudFrom)));
        }
    }

    /// Lets leases, challenge windows and voting periods run out.
    function passTime(uint256 seconds_) external step(0) {
        vm.warp(block.timestamp + bound(seconds_, 10 minutes, 36 hours));
    }

    function fund(uint256 amount, uint256 time) external step(time) {
        amount = bound(amount, 1, 5 ether);
        vm.deal(address(this), amount);
        run.fund{value: amount}();
        ethIn += amount;
    }

    function claim(uint256 actorSeed, uint256 time) external step(time) {
        address actor = _actor(actorSeed);
        uint256 deposit = run.config().workerDeposit;
        vm.prank(actor);
        try run.claim{value: deposit}() {
            ethIn += deposit;
        } catch {}
    }

    function submit(uint256 fraudSeed, uint256 time) external step(time) {
        uint256 round = run.nextRound();
        TrainingRun.Round memory r = run.getRound(round);
        if (r.status != TrainingRun.RoundStatus.Claimed) return;
        // one round in three cheats from a random step
        _fraudFrom[round] = fraudSeed % 3 == 0 ? round * K + 1 + (fraudSeed / 3) % K : HONEST;
        bytes32[] memory leaves = _leaves(round);
        vm.prank(r.worker);
        try run.submit(
            round, MerkleProofs.root(leaves), leaves[K - 1], "ipfs://s", new int64[](K)
        ) {}
            catch {}
    }

    function challenge(uint256 roundSeed, uint256 index, uint256 actorSeed, uint256 time)
        external
        step(time)
    {
        uint256 next = run.nextRound();
        uint256 finalizedSoFar = run.finalizedRounds();
        if (next == finalizedSoFar) return;
        uint256 round = bound(roundSeed, finalizedSoFar, next - 1);
        // a real challenger points at the first bad step; sometimes someone challenges at random
        uint256 fraudFrom = _fraudFrom[round];
        if (fraudFrom != HONEST && fraudFrom > round * K && index % 4 != 0) {
            index = fraudFrom - round * K - 1;
        } else {
            index = bound(index, 0, K - 1);
        }
        _challenge(round, index, _actor(actorSeed), round * K + index + 1 >= fraudFrom);
    }

    function _challenge(uint256 round, uint256 index, address actor, bool fraud) internal {
        bytes32[] memory leaves = _leaves(round);
        uint256 deposit = run.config().challengerDeposit;
        vm.prank(actor);
        try run.challenge{value: deposit}(
            round, index, leaves[index], MerkleProofs.proof(leaves, index), ""
        ) returns (
            uint256 disputeId
        ) {
            ethIn += deposit;
            ++challenges;
            _isFraud[disputeId] = fraud;
        } catch {}
    }

    function vote(uint256 disputeSeed, uint256 voterSeed, uint8 support, uint256 time)
        external
        step(time)
    {
        uint256 count = court.disputeCount();
        if (count == 0) return;
        uint256 id = bound(disputeSeed, 1, count);
        address voter = voters[voterSeed % voters.length];
        bool votedBefore = _voted[id][voter];
        vm.prank(voter);
        // two voters in three vote by the facts, the rest at random
        if (support % 3 != 2) support = _isFraud[id] ? 0 : 1;
        else support = uint8(support / 3) % 3;
        try court.castVote(id, support, "") returns (uint256 weight) {
            if (votedBefore) badVote = true;
            if (weight != token.getPastVotes(voter, court.getDispute(id).snapshotBlock)) {
                badVote = true;
            }
            _voted[id][voter] = true;
            ghostVotes[id] += weight;
        } catch {}
    }

    /// Moves voting power after disputes opened: it must not change any open dispute's weights.
    function moveTokens(uint256 fromSeed, uint256 toSeed, uint256 amount, uint256 time)
        external
        step(time)
    {
        address from = voters[fromSeed % voters.length];
        address to = voters[toSeed % voters.length];
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        token.transfer(to, amount);
    }

    function resolve(uint256 disputeSeed, uint256 time) external step(time) {
        uint256 count = court.disputeCount();
        if (count == 0) return;
        uint256 id = bound(disputeSeed, 1, count);
        try court.resolve(id) {
            if (court.getDispute(id).fraud) ++frauds;
        } catch {}
    }

    function finalize(uint256 time) external step(time) {
        uint256 round = run.finalizedRounds();
        bool disputed = false;
        for (uint256 i = 0; i <= round; ++i) {
            if (run.getRound(i).status == TrainingRun.RoundStatus.Challenged) disputed = true;
        }
        try run.finalize(round) {
            if (disputed) finalizedBehindDispute = true;
            ++finalized;
        } catch {}
    }

    function expireLease(uint256 time) external step(time) {
        try run.expireLease() {} catch {}
    }

    function withdraw(uint256 actorSeed, uint256 time) external step(time) {
        address actor = _actor(actorSeed);
        uint256 amount = run.credits(actor);
        vm.prank(actor);
        try run.withdraw() {
            ethOut += amount;
        } catch {}
    }

    function claimReward(uint256 disputeSeed, uint256 voterSeed, uint256 time) external step(time) {
        uint256 count = court.disputeCount();
        if (count == 0) return;
        vm.prank(voters[voterSeed % voters.length]);
        try court.claimReward(bound(disputeSeed, 1, count)) returns (uint256 amount) {
            ethOut += amount;
        } catch {}
    }
}

contract TrainingInvariantTest is TrainingFixture {
    TrainingHandler internal handler;

    function setUp() public override {
        super.setUp();
        run = _createRun(_config(4, 0), 0);
        address[] memory voters = new address[](3);
        voters[0] = voter1;
        voters[1] = voter2;
        voters[2] = voter3;
        handler = new TrainingHandler(run, court, token, voters);
        bytes4[] memory selectors = new bytes4[](12);
        selectors[11] = TrainingHandler.passTime.selector;
        selectors[0] = TrainingHandler.fund.selector;
        selectors[1] = TrainingHandler.claim.selector;
        selectors[2] = TrainingHandler.submit.selector;
        selectors[3] = TrainingHandler.challenge.selector;
        selectors[4] = TrainingHandler.vote.selector;
        selectors[5] = TrainingHandler.moveTokens.selector;
        selectors[6] = TrainingHandler.resolve.selector;
        selectors[7] = TrainingHandler.finalize.selector;
        selectors[8] = TrainingHandler.expireLease.selector;
        selectors[9] = TrainingHandler.withdraw.selector;
        selectors[10] = TrainingHandler.claimReward.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    /// forge-config: default.invariant.runs = 24
    /// forge-config: default.invariant.depth = 160
    /// ETH held by run + court == live deposits + pool + unwithdrawn credits + unclaimed voter fees,
    /// and == everything paid in minus everything paid out.
    function invariant_ethIsConserved() public view {
        uint256 live = 0;
        uint256 last = run.nextRound() + 1;
        for (uint256 i = 0; i <= last; ++i) {
            TrainingRun.Round memory r = run.getRound(i);
            if (
                r.status == TrainingRun.RoundStatus.Claimed
                    || r.status == TrainingRun.RoundStatus.Submitted
            ) {
                live += r.deposit;
            } else if (r.status == TrainingRun.RoundStatus.Challenged) {
                live += r.deposit + r.challengerDeposit;
            } else {
                assertEq(r.deposit, 0, "no deposit left on a closed round");
            }
        }
        uint256 credits = 0;
        for (uint256 i = 0; i < 4; ++i) {
            credits += run.credits(handler.actors(i));
        }
        uint256 unclaimed = 0;
        for (uint256 id = 1; id <= court.disputeCount(); ++id) {
            DisputeCourt.Dispute memory d = court.getDispute(id);
            unclaimed += d.fee - d.feeClaimed;
        }
        assertEq(address(run).balance, run.pool() + live + credits, "run balance");
        assertEq(address(court).balance, unclaimed, "court balance");
        assertEq(
            address(run).balance + address(court).balance,
            handler.ethIn() - handler.ethOut(),
            "nothing lost, nothing created"
        );
    }

    /// forge-config: default.invariant.runs = 24
    /// forge-config: default.invariant.depth = 160
    /// Every dispute's tally is the sum of snapshot weights of distinct voters.
    function invariant_votesCountedOnceAtSnapshotWeight() public view {
        assertFalse(handler.badVote());
        for (uint256 id = 1; id <= court.disputeCount(); ++id) {
            DisputeCourt.Dispute memory d = court.getDispute(id);
            assertEq(d.fraudVotes + d.validVotes + d.abstainVotes, handler.ghostVotes(id));
            uint256 voted = 0;
            for (uint256 v = 0; v < 3; ++v) {
                address voter = handler.voters(v);
                DisputeCourt.Receipt memory receipt = court.getReceipt(id, voter);
                if (!receipt.hasVoted) continue;
                ++voted;
                assertEq(receipt.weight, token.getPastVotes(voter, d.snapshotBlock));
            }
            assertEq(voted, d.voterCount);
        }
    }

    /// @dev A long deterministic walk through the handler: it must reach challenges, fraud
    ///      rulings and finality (so the random campaigns explore them too), with every invariant
    ///      holding at the end.
    function test_handlerWalk_reachesFraudRulingsAndFinality() public {
        for (uint256 i = 0; i < 1500; ++i) {
            uint256 r = uint256(keccak256(abi.encode(i)));
            uint256 action = r % 12;
            if (action == 0) handler.fund(r, r >> 8);
            else if (action == 1) handler.claim(r >> 3, r >> 8);
            else if (action == 2) handler.submit(r >> 3, r >> 8);
            else if (action == 3) handler.challenge(r >> 3, r >> 16, r >> 24, r >> 8);
            else if (action == 4) handler.vote(r >> 3, r >> 16, uint8(r >> 24), r >> 8);
            else if (action == 5) handler.moveTokens(r >> 3, r >> 16, r >> 24, r >> 8);
            else if (action == 6) handler.resolve(r >> 3, r >> 8);
            else if (action == 7) handler.finalize(r >> 8);
            else if (action == 8) handler.expireLease(r >> 8);
            else if (action == 9) handler.withdraw(r >> 3, r >> 8);
            else if (action == 10) handler.claimReward(r >> 3, r >> 16, r >> 8);
            else handler.passTime(r >> 8);
        }
        assertGt(handler.challenges(), 5);
        assertGt(handler.frauds(), 0);
        assertGt(handler.finalized(), 10);
        invariant_ethIsConserved();
        invariant_votesCountedOnceAtSnapshotWeight();
        invariant_disputedRoundsNeverFinalize();
        invariant_validChainHasNoGap();
    }

    /// forge-config: default.invariant.runs = 24
    /// forge-config: default.invariant.depth = 160
    function invariant_disputedRoundsNeverFinalize() public view {
        assertFalse(handler.finalizedBehindDispute());
        for (uint256 i = 0; i < run.finalizedRounds(); ++i) {
            assertEq(uint8(run.getRound(i).status), uint8(TrainingRun.RoundStatus.Finalized));
        }
    }

    /// forge-config: default.invariant.runs = 24
    /// forge-config: default.invariant.depth = 160
    /// Rounds 0..nextRound-1 form an unbroken chain of state hashes from the initial state.
    function invariant_validChainHasNoGap() public view {
        bytes32 previous = run.config().initialStateHash;
        for (uint256 i = 0; i < run.nextRound(); ++i) {
            TrainingRun.Round memory r = run.getRound(i);
            assertTrue(
                r.status == TrainingRun.RoundStatus.Submitted
                    || r.status == TrainingRun.RoundStatus.Challenged
                    || r.status == TrainingRun.RoundStatus.Finalized,
                "every round of the chain is submitted or final"
            );
            assertEq(r.baseStateHash, previous, "each round builds on the previous final state");
            previous = r.finalStateHash;
        }
        assertEq(run.headStateHash(), previous);
    }
}
