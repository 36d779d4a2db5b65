// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {UMToken} from "../../src/UMToken.sol";
import {DisputeCourt} from "../../src/training/DisputeCourt.sol";
import {TrainingRun} from "../../src/training/TrainingRun.sol";
import {TrainingFixture} from "./TrainingFixture.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

/// @notice Plays one run and the court adversarially: workers cheat (one round in three) and
///         withhold their states, sock addresses squat correct steps and self-challenge, a copier
///         front-runs honest reveals, a renter stakes weight for a block and unstakes at once,
///         commitments are left to expire. An honest challenger and an honest 300k staker act
///         inside every window (the `honest` modifier), as the protocol assumes someone does.
contract TrainingHandler is CommonBase, StdCheats, StdUtils {
    uint64 public constant K = 4;
    uint256 internal constant HONEST = type(uint256).max;

    struct Commit {
        address who;
        uint256 round;
        uint256 stepIndex;
        bytes32 salt;
        bytes32 commitment;
    }

    TrainingRun public immutable run;
    DisputeCourt public immutable court;
    UMToken public immutable token;
    address public immutable honestVoter;
    address public immutable honestChallenger;
    address[] public actors; // workers, socks, copier, honest challenger
    address[] public stakers; // every address that ever staked
    Commit[] public commits;
    uint256[] internal _honestPending; // indexes into commits

    uint256 public ethIn;
    uint256 public ethOut;
    bool public badVote;
    bool public fraudFinalized;
    mapping(uint64 claimId => uint256) public fraudFrom; // first bad global step, 0 = honest
    mapping(uint256 disputeId => uint256) public ghostVotes;
    mapping(uint256 disputeId => mapping(address => bool)) internal _revealed;
    mapping(uint256 disputeId => bool) internal _honestVoted;
    uint256 public frauds;
    uint256 public finalized;
    uint256 public disputes;
    uint256 public fraudSubmits;
    uint256 public honestCommits;

    constructor(TrainingRun run_, DisputeCourt court_, UMToken token_, address honestVoter_) {
        run = run_;
        court = court_;
        token = token_;
        honestVoter = honestVoter_;
        honestChallenger = makeAddr("honest-challenger");
        string[5] memory names = ["worker-a", "worker-b", "sock", "copier", "renter"];
        for (uint256 i = 0; i < names.length; ++i) {
            address actor = makeAddr(names[i]);
            actors.push(actor);
            vm.deal(actor, 1000 ether);
        }
        actors.push(honestChallenger);
        vm.deal(honestChallenger, 1000 ether);
    }

    function addStaker(address staker) external {
        stakers.push(staker);
    }

    function stakerCount() external view returns (uint256) {
        return stakers.length;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function commitCount() external view returns (uint256) {
        return commits.length;
    }

    modifier honest(uint256 seconds_) {
        vm.warp(block.timestamp + bound(seconds_, 0, 20 minutes));
        vm.roll(block.number + 1);
        _actHonestly();
        _;
    }

    // ------------------------------------------------------------------ the honest parties

    /// The honest challenger reveals its commitments; the honest staker votes the facts on every
    /// dispute, committing and revealing in time.
    function _actHonestly() internal {
        for (uint256 i = 0; i < _honestPending.length;) {
            Commit memory c = commits[_honestPending[i]];
            try run.revealChallenge(c.round, c.stepIndex, c.salt, c.who, "") returns (uint256 id) {
                _onDispute(id);
            } catch {}
            TrainingRun.CommitState state = run.getChallengeCommit(c.commitment).state;
            if (state != TrainingRun.CommitState.Committed) {
                _honestPending[i] = _honestPending[_honestPending.length - 1];
                _honestPending.pop();
            } else {
                ++i;
            }
        }
        uint256 count = court.disputeCount();
        for (uint256 id = 1; id <= count; ++id) {
            DisputeCourt.Dispute memory d = court.getDispute(id);
            if (d.state != DisputeCourt.DisputeState.Open) continue;
            uint8 support = _isFraud(id) ? 0 : 1;
            bytes32 salt = keccak256(abi.encode(id, honestVoter));
            if (!_honestVoted[id] && block.timestamp <= d.commitDeadline) {
                bytes32 ballot = court.ballotCommitment(id, honestVoter, support, salt);
                vm.prank(honestVoter);
                try court.commitVote(id, ballot) {
                    _honestVoted[id] = true;
                } catch {}
            }
            if (_honestVoted[id] && block.timestamp > d.commitDeadline) {
                _reveal(id, honestVoter, support, salt);
            }
        }
        // a fraudulent submitted round gets an honest challenge of its first bad step
        uint256 next = run.nextRound();
        for (uint256 round = run.finalizedRounds(); round < next; ++round) {
            TrainingRun.Round memory r = run.getRound(round);
            uint256 bad = fraudFrom[r.claimId];
            if (bad == 0 || r.status != TrainingRun.RoundStatus.Submitted) continue;
            if (_honestCommitted[round][r.claimId]) continue;
            _commit(honestChallenger, round, bad - round * K - 1, true);
        }
    }

    mapping(uint256 round => mapping(uint64 claimId => bool)) internal _honestCommitted;

    function _isFraud(uint256 disputeId) internal view returns (bool) {
        TrainingRun.Challenge memory c = run.getChallenge(disputeId);
        uint256 bad = fraudFrom[c.claimId];
        return bad != 0 && c.round * K + c.stepIndex + 1 >= bad;
    }

    function _onDispute(uint256) internal {
        ++disputes;
    }

    function _commit(address who, uint256 round, uint256 stepIndex, bool isHonest) internal {
        bytes32 salt = keccak256(abi.encode(who, round, stepIndex, commits.length));
        bytes32 commitment = run.challengeCommitment(who, round, stepIndex, salt);
        uint256 deposit = run.config().challengerDeposit;
        vm.prank(who);
        try run.commitChallenge{value: deposit}(round, commitment) {
            ethIn += deposit;
            commits.push(Commit(who, round, stepIndex, salt, commitment));
            if (isHonest) {
                _honestPending.push(commits.length - 1);
                ++honestCommits;
                _honestCommitted[round][run.getRound(round).claimId] = true;
            }
        } catch {}
    }

    function _reveal(uint256 id, address voter, uint8 support, bytes32 salt) internal {
        bool before = _revealed[id][voter];
        try court.revealVote(id, voter, support, salt) returns (uint256 weight) {
            if (before) badVote = true;
            if (weight != court.stakeAt(voter, court.getDispute(id).snapshotBlock)) badVote = true;
            _revealed[id][voter] = true;
            ghostVotes[id] += weight;
        } catch {}
    }

    // ------------------------------------------------------------------ the adversary

    function passTime(uint256 seconds_) external honest(0) {
        // at most 35 min + 20 min between two honest turns: inside the 1 h reveal period
        vm.warp(block.timestamp + bound(seconds_, 10 minutes, 35 minutes));
    }

    function fund(uint256 amount, uint256 time) external honest(time) {
        amount = bound(amount, 1, 3 ether);
        vm.deal(address(this), amount);
        try run.fund{value: amount}() {
            ethIn += amount;
        } catch {}
    }

    function claim(uint256 seed, uint256 time) external honest(time) {
        address worker = actors[seed % 2];
        uint256 deposit = run.config().workerDeposit;
        vm.prank(worker);
        try run.claim{value: deposit}() {
            ethIn += deposit;
        } catch {}
    }

    /// Submits the leased round; one in three cheats from a random step, and states are withheld
    /// (no stateURI) half the time.
    function submit(uint256 seed, uint256 time) external honest(time) {
        uint256 round = run.nextRound();
        TrainingRun.Round memory r = run.getRound(round);
        if (r.status != TrainingRun.RoundStatus.Claimed) return;
        uint256 bad = seed % 3 == 0 ? round * K + 1 + (seed / 3) % K : 0;
        bytes32[] memory hashes = new bytes32[](K);
        for (uint256 i = 0; i < K; ++i) {
            uint256 t = round * K + i + 1;
            hashes[i] = keccak256(abi.encode(t, bad != 0 && t >= bad));
        }
        vm.prank(r.worker);
        try run.submit(
            round, hashes, hashes[K - 1], seed % 2 == 0 ? "" : "ipfs://s", new int64[](K)
        ) {
            fraudFrom[r.claimId] = bad;
            if (bad != 0) ++fraudSubmits;
        } catch {}
    }

    /// A sock (or the worker's other address) challenges a random step: squatting or self-challenge.
    function squat(uint256 roundSeed, uint256 stepSeed, uint256 who, uint256 time)
        external
        honest(time)
    {
        uint256 next = run.nextRound();
        uint256 done = run.finalizedRounds();
        if (next == done) return;
        _commit(actors[who % 3], bound(roundSeed, done, next - 1), stepSeed % K, false);
    }

    /// The copier commits the step of a pending honest commitment (as if read from a reveal in the
    /// mempool), ahead of that reveal in the same block.
    function copyReveal(uint256 seed, uint256 time) external honest(time) {
        if (_honestPending.length == 0) return;
        Commit memory c = commits[_honestPending[seed % _honestPending.length]];
        _commit(actors[3], c.round, c.stepIndex, false);
    }

    /// Reveals an adversarial commitment (or leaves it to expire if never called).
    function reveal(uint256 seed, uint256 time) external honest(time) {
        if (commits.length == 0) return;
        Commit memory c = commits[seed % commits.length];
        try run.revealChallenge(c.round, c.stepIndex, c.salt, c.who, "") returns (uint256 id) {
            _onDispute(id);
        } catch {}
    }

    /// A keeper expires every overdue commitment and reclaims those on voided leases.
    function expireOrReclaim(uint256, uint256 time) external honest(time) {
        for (uint256 i = 0; i < commits.length; ++i) {
            Commit memory c = commits[i];
            if (run.getChallengeCommit(c.commitment).state != TrainingRun.CommitState.Committed) {
                continue;
            }
            try run.expireChallenge(c.commitment) {} catch {}
            try run.reclaimChallenge(c.round, c.stepIndex, c.salt, c.who) {} catch {}
        }
    }

    /// An adversarial staker votes (fraud on honest rounds, valid on fraud) and may not reveal.
    function adversaryVote(uint256 disputeSeed, uint256 stakerSeed, bool doReveal, uint256 time)
        external
        honest(time)
    {
        uint256 count = court.disputeCount();
        if (count == 0) return;
        uint256 id = bound(disputeSeed, 1, count);
        // voter3 (100k) and the renter (at most 150k): the honest 300k staker keeps a majority
        address voter = stakers[2 + stakerSeed % 2];
        uint8 support = _isFraud(id) ? 1 : 0;
        bytes32 salt = keccak256(abi.encode(id, voter));
        bytes32 ballot = court.ballotCommitment(id, voter, support, salt);
        vm.prank(voter);
        try court.commitVote(id, ballot) {} catch {}
        if (doReveal) _reveal(id, voter, support, salt);
    }

    /// The renter stakes borrowed UM for a block and asks to unstake at once (or the next block).
    function rentWeight(uint256 amount, bool sameBlock, uint256 time) external honest(time) {
        address renter = actors[4];
        amount = bound(amount, 1 ether, 150_000 ether);
        vm.prank(address(0xBEEF)); // the lender: the treasury in this test
        try token.transfer(renter, amount) {}
        catch {
            return;
        }
        vm.startPrank(renter);
        token.approve(address(court), amount);
        court.stake(amount);
        if (sameBlock) court.requestUnstake(amount);
        vm.stopPrank();
    }

    function unstake(uint256 stakerSeed, uint256 amount, uint256 time) external honest(time) {
        address staker = stakers[bound(stakerSeed, 1, stakers.length - 1)];
        amount = bound(amount, 1, 300_000 ether);
        vm.startPrank(staker);
        try court.requestUnstake(amount) {} catch {}
        try court.withdrawUnstaked() {} catch {}
        vm.stopPrank();
    }

    function resolve(uint256 disputeSeed, uint256 time) external honest(time) {
        uint256 count = court.disputeCount();
        if (count == 0) return;
        uint256 id = bound(disputeSeed, 1, count);
        try court.resolve(id) {
            if (court.getDispute(id).fraud) ++frauds;
        } catch {}
    }

    function finalize(uint256 time) external honest(time) {
        uint256 round = run.finalizedRounds();
        uint64 claimId = run.getRound(round).claimId;
        try run.finalize(round) {
            ++finalized;
            if (fraudFrom[claimId] != 0) fraudFinalized = true;
        } catch {}
    }

    function expireLease(uint256 time) external honest(time) {
        try run.expireLease() {} catch {}
    }

    function withdraw(uint256 seed, uint256 time) external honest(time) {
        address actor = actors[seed % actors.length];
        uint256 amount = run.credits(actor);
        vm.prank(actor);
        try run.withdraw() {
            ethOut += amount;
        } catch {}
    }

    function claimReward(uint256 disputeSeed, uint256 stakerSeed, uint256 time)
        external
        honest(time)
    {
        uint256 count = court.disputeCount();
        if (count == 0) return;
        address voter = stakers[stakerSeed % stakers.length];
        try court.claimReward(bound(disputeSeed, 1, count), voter) returns (uint256 amount) {
            ethOut += amount;
        } catch {}
    }
}

contract TrainingInvariantTest is TrainingFixture {
    TrainingHandler internal handler;

    function setUp() public override {
        super.setUp();
        run = _createRun(_config(4, 0), 0);
        handler = new TrainingHandler(run, court, token, voter1);
        handler.addStaker(voter1);
        handler.addStaker(voter2);
        handler.addStaker(voter3);
        handler.addStaker(handler.actors(4)); // the renter
        vm.prank(governance);
        token.transfer(address(0xBEEF), 150_000 ether); // what the renter may borrow
        bytes4[] memory selectors = new bytes4[](17);
        selectors[0] = TrainingHandler.passTime.selector;
        selectors[1] = TrainingHandler.fund.selector;
        selectors[2] = TrainingHandler.claim.selector;
        selectors[3] = TrainingHandler.submit.selector;
        selectors[4] = TrainingHandler.squat.selector;
        selectors[5] = TrainingHandler.copyReveal.selector;
        selectors[6] = TrainingHandler.reveal.selector;
        selectors[7] = TrainingHandler.expireOrReclaim.selector;
        selectors[8] = TrainingHandler.adversaryVote.selector;
        selectors[9] = TrainingHandler.rentWeight.selector;
        selectors[10] = TrainingHandler.unstake.selector;
        selectors[11] = TrainingHandler.resolve.selector;
        selectors[12] = TrainingHandler.finalize.selector;
        selectors[13] = TrainingHandler.expireLease.selector;
        selectors[14] = TrainingHandler.withdraw.selector;
        selectors[15] = TrainingHandler.claimReward.selector;
        selectors[16] = TrainingHandler.claim.selector; // claims and submissions keep the run going
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    /// All properties in one invariant, so the campaign runs once (256 runs × depth 100).
    function invariant_trainingGame() public view {
        _fraudNeverFinalizes();
        _ethIsConserved();
        _umIsConserved();
        _votesCountedOnceAtSnapshotWeight();
    }

    function _fraudNeverFinalizes() internal view {
        assertFalse(handler.fraudFinalized(), "a fraudulent round finalised");
    }

    /// run balance == pool + live deposits + challenge deposits held + credits; court ETH ==
    /// unclaimed fees; and both together == everything paid in − everything paid out.
    function _ethIsConserved() internal view {
        uint256 live = 0;
        for (uint256 i = 0; i <= run.nextRound(); ++i) {
            TrainingRun.Round memory r = run.getRound(i);
            if (
                r.status == TrainingRun.RoundStatus.Claimed
                    || r.status == TrainingRun.RoundStatus.Submitted
            ) live += r.deposit;
            else assertEq(r.deposit, 0, "no deposit left on a closed round");
        }
        uint256 held = 0;
        uint256 deposit = run.config().challengerDeposit;
        for (uint256 i = 0; i < handler.commitCount(); ++i) {
            (,,,, bytes32 commitment) = handler.commits(i);
            if (run.getChallengeCommit(commitment).state == TrainingRun.CommitState.Committed) {
                held += deposit;
            }
        }
        uint256 unclaimed = 0;
        for (uint256 id = 1; id <= court.disputeCount(); ++id) {
            held += run.getChallenge(id).deposit;
            DisputeCourt.Dispute memory d = court.getDispute(id);
            unclaimed += d.fee - d.feeClaimed;
        }
        uint256 credits = run.credits(address(handler)) + run.credits(creator);
        for (uint256 i = 0; i < handler.actorCount(); ++i) {
            credits += run.credits(handler.actors(i));
        }
        assertEq(address(run).balance, run.pool() + live + held + credits, "run balance");
        assertEq(address(court).balance, unclaimed, "court balance");
        assertEq(
            address(run).balance + address(court).balance,
            handler.ethIn() - handler.ethOut(),
            "nothing lost, nothing created"
        );
    }

    /// court UM == stakes + pending unstakes.
    function _umIsConserved() internal view {
        uint256 owed = court.totalStake();
        uint256 stakes = 0;
        for (uint256 i = 0; i < handler.stakerCount(); ++i) {
            address staker = handler.stakers(i);
            (uint192 pending,) = court.pendingUnstakes(staker);
            owed += pending;
            stakes += court.stakeOf(staker);
        }
        assertEq(stakes, court.totalStake(), "total stake is the sum of stakes");
        assertEq(token.balanceOf(address(court)), owed, "court UM");
    }

    function _votesCountedOnceAtSnapshotWeight() internal view {
        assertFalse(handler.badVote(), "a vote counted twice or with the wrong weight");
        for (uint256 id = 1; id <= court.disputeCount(); ++id) {
            DisputeCourt.Dispute memory d = court.getDispute(id);
            assertEq(d.fraudVotes + d.validVotes + d.abstainVotes, handler.ghostVotes(id));
            uint256 revealed = 0;
            for (uint256 v = 0; v < handler.stakerCount(); ++v) {
                address voter = handler.stakers(v);
                DisputeCourt.Receipt memory receipt = court.getReceipt(id, voter);
                if (!receipt.revealed) continue;
                ++revealed;
                assertEq(receipt.weight, court.stakeAt(voter, d.snapshotBlock));
            }
            assertEq(revealed, d.revealCount);
        }
    }

    /// A long deterministic walk: the campaign reaches disputes, fraud rulings and finality.
    function test_handlerWalk_reachesFraudRulingsAndFinality() public {
        for (uint256 i = 0; i < 1200; ++i) {
            uint256 r = uint256(keccak256(abi.encode(i)));
            uint256 action = r % 16;
            uint256 t = r >> 8;
            if (action == 0) handler.passTime(t);
            else if (action == 1) handler.fund(r >> 3, t);
            else if (action == 2 || action == 15) handler.claim(r >> 3, t);
            else if (action == 3) handler.submit(r >> 3, t);
            else if (action == 4) handler.squat(r >> 3, r >> 16, r >> 24, t);
            else if (action == 5) handler.copyReveal(r >> 3, t);
            else if (action == 6) handler.reveal(r >> 3, t);
            else if (action == 7) handler.expireOrReclaim(r >> 3, t);
            else if (action == 8) handler.adversaryVote(r >> 3, r >> 16, (r >> 24) % 2 == 0, t);
            else if (action == 9) handler.rentWeight(r >> 3, (r >> 16) % 2 == 0, t);
            else if (action == 10) handler.unstake(r >> 3, r >> 16, t);
            else if (action == 11) handler.resolve(r >> 3, t);
            else if (action == 12) handler.finalize(t);
            else if (action == 13) handler.expireLease(t);
            else handler.withdraw(r >> 3, t);
            if (i % 7 == 0) handler.claimReward(r >> 5, r >> 13, t);
        }
        emit log_named_uint("disputes", handler.disputes());
        emit log_named_uint("frauds", handler.frauds());
        emit log_named_uint("fraudSubmits", handler.fraudSubmits());
        emit log_named_uint("honestCommits", handler.honestCommits());
        emit log_named_uint("finalized", handler.finalized());
        assertGt(handler.disputes(), 3, "disputes opened");
        assertGt(handler.frauds(), 0, "fraud ruled");
        assertGt(handler.finalized(), 3, "rounds finalised");
        invariant_trainingGame();
    }
}
