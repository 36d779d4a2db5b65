// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDisputeCourt} from "../interfaces/IDisputeCourt.sol";
import {ITrainingRun} from "../interfaces/ITrainingRun.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

/// @title DisputeCourt
/// @notice UM stakers rule on fraud challenges of every training run. A dispute's weights are the
///         voters' court stakes at its snapshot (opening block − 1); stake leaves only after an
///         unstaking cooldown longer than a dispute's whole vote, so weight rented for a block must
///         stay locked past the ruling. Ballots are commit–reveal: hidden while voting, counted
///         when revealed; a voter signs once and a relayer may submit the commit and, later, the
///         reveal. No quorum or a tie keeps the worker's claim. The court fee (courtFeeBps of the
///         slashed deposit) is shared pro rata to weight by every revealed ballot, on any side.
/// @dev One court serves all runs; only runs registered by the registrar (the RunFactory) may open
///      disputes. Parameters apply to disputes opened after they change. See docs/protocol.md.
contract DisputeCourt is IDisputeCourt, Ownable2Step, EIP712, ReentrancyGuardTransient {
    using Checkpoints for Checkpoints.Trace208;
    using SafeERC20 for IERC20;

    /// @notice Ballot options; the uint8 `support` of a ballot.
    enum Support {
        Fraud,
        Valid,
        Abstain
    }

    enum DisputeState {
        None,
        Open,
        Resolved
    }

    struct Dispute {
        address run;
        uint64 commitDeadline;
        DisputeState state;
        bool fraud;
        bool quorumReached;
        uint16 courtFeeBps;
        uint64 revealDeadline;
        address challenger;
        address worker;
        uint256 round;
        uint256 stepIndex;
        uint256 snapshotBlock;
        uint256 quorumVotes;
        uint256 fraudVotes;
        uint256 validVotes;
        uint256 abstainVotes;
        uint256 commitCount;
        uint256 revealCount;
        /// ETH the revealed voters share (0 until resolved, or if void or nobody revealed).
        uint256 fee;
        uint256 feeClaimed;
        uint256 rewardsClaimed;
    }

    struct Receipt {
        bytes32 commitment;
        bool revealed;
        bool rewardClaimed;
        uint8 support;
        uint208 weight;
    }

    /// @notice The court's tunable parameters.
    struct Parameters {
        /// Seconds from opening during which ballots are committed.
        uint64 commitPeriod;
        /// Seconds after the commit phase during which ballots are revealed.
        uint64 revealPeriod;
        /// Seconds between requestUnstake and withdrawUnstaked; longer than a dispute's vote.
        uint64 unstakeCooldown;
        /// Share of the total stake at the snapshot that must reveal (any side) for a ruling.
        uint16 quorumBps;
        /// Share of the slashed deposit paid to the voters.
        uint16 courtFeeBps;
    }

    /// @notice EIP-712 type of commitVoteBySig; mirrored by packages/protocol/src/eip712/ballot.ts.
    ///         One commit per voter and dispute: a signature is used at most once and a stale one
    ///         (dispute closed, or the voter committed directly) affects nothing else.
    bytes32 public constant BALLOT_COMMIT_TYPEHASH =
        keccak256("BallotCommit(uint256 disputeId,address voter,bytes32 commitment)");
    /// @notice Upper bound of courtFeeBps, so a winner always receives at least half the stake.
    uint16 public constant MAX_COURT_FEE_BPS = 5000;
    /// @notice Upper bound of the commit and of the reveal period.
    uint64 public constant MAX_PHASE = 45 days;
    /// @notice Upper bound of the unstaking cooldown.
    uint64 public constant MAX_UNSTAKE_COOLDOWN = 365 days;

    error InvalidParameters();
    error NotRegistrar();
    error NotRegisteredRun();
    error AlreadyRegistered(address run);
    error UnknownDispute(uint256 disputeId);
    error DisputeNotOpen(uint256 disputeId);
    error CommitPhaseOver(uint64 commitDeadline);
    error NotRevealPhase(uint64 commitDeadline, uint64 revealDeadline);
    error VotingOpen(uint64 revealDeadline);
    error InvalidSupport(uint8 support);
    error ZeroCommitment();
    error AlreadyCommitted(address voter);
    error NotCommitted(address voter);
    error AlreadyRevealed(address voter);
    /// @notice The revealed ballot does not hash to the voter's commitment.
    error CommitmentMismatch(address voter);
    /// @notice The voter had no court stake at the dispute's snapshot block.
    error NoVotingPower(address voter, uint256 snapshotBlock);
    error InvalidSignature();
    error DisputeNotResolved(uint256 disputeId);
    error NotAVoter(address voter);
    error RewardAlreadyClaimed(address voter);
    error NothingToClaim();
    error ZeroAmount();
    error InsufficientStake(uint256 stake, uint256 requested);
    /// @notice Pending unstakes unlock at `unlockAt`.
    error StillLocked(uint64 unlockAt);
    error NothingToUnstake();
    /// @notice The run reported a court fee it did not send.
    error FeeNotReceived(uint256 reported);

    /// @notice The address allowed to register runs changed.
    event RegistrarChanged(address indexed registrar);
    /// @notice `run` may now open disputes.
    event RunRegistered(address indexed run);

    /// @notice The token staked for voting weight (the UMToken).
    IERC20 public immutable token;
    /// @notice Registers runs; the RunFactory.
    address public registrar;
    Parameters internal _parameters;
    /// @notice Number of disputes opened; ids run from 1 to disputeCount.
    uint256 public disputeCount;
    /// @notice Runs allowed to open disputes.
    mapping(address run => bool) public isRun;
    /// @notice UM waiting out the cooldown, and when it unlocks.
    mapping(address account => PendingUnstake) public pendingUnstakes;

    struct PendingUnstake {
        uint192 amount;
        uint64 unlockAt;
    }

    mapping(address account => Checkpoints.Trace208) internal _stakes;
    Checkpoints.Trace208 internal _totalStake;
    mapping(uint256 disputeId => Dispute) internal _disputes;
    mapping(uint256 disputeId => mapping(address voter => Receipt)) internal _receipts;

    /// @param token_ The UMToken (an ERC-20; permit is used by stakeWithPermit).
    /// @param owner_ Governance owner of the parameters and the registrar.
    constructor(IERC20 token_, address owner_, Parameters memory parameters_)
        Ownable(owner_)
        EIP712("UM DisputeCourt", "2")
    {
        token = token_;
        _setParameters(parameters_);
    }

    /// @notice Accepts court fees from registered runs while they apply a ruling.
    receive() external payable {
        if (!isRun[msg.sender]) revert NotRegisteredRun();
    }

    // ------------------------------------------------------------------ governance

    /// @notice Changes the parameters of disputes opened from now on (and the cooldown of unstake
    ///         requests made from now on). Owner only.
    function setParameters(Parameters calldata parameters_) external onlyOwner {
        _setParameters(parameters_);
    }

    /// @notice Sets the address allowed to register runs (the RunFactory). Owner only.
    function setRegistrar(address registrar_) external onlyOwner {
        registrar = registrar_;
        emit RegistrarChanged(registrar_);
    }

    /// @inheritdoc IDisputeCourt
    function registerRun(address run) external {
        if (msg.sender != registrar) revert NotRegistrar();
        if (isRun[run]) revert AlreadyRegistered(run);
        isRun[run] = true;
        emit RunRegistered(run);
    }

    // ------------------------------------------------------------------ staking

    /// @notice Locks `amount` UM in the court as voting stake (after approve).
    function stake(uint256 amount) external {
        _stake(msg.sender, amount);
    }

    /// @notice stake() with an ERC-2612 permit instead of a prior approve. A permit that was
    ///         already used (front-run) is ignored if the allowance suffices.
    function stakeWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
    {
        try IERC20Permit(address(token))
            .permit(msg.sender, address(this), amount, deadline, v, r, s) {}
            catch {}
        _stake(msg.sender, amount);
    }

    /// @notice Stops `amount` of msg.sender's stake from counting in disputes opened from the next
    ///         block on; the tokens unlock after the cooldown (a new request restarts it for all
    ///         pending tokens). Disputes whose snapshot came before still count the stake, and it
    ///         stays locked until after their vote.
    function requestUnstake(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        uint256 current = _stakes[msg.sender].latest();
        if (amount > current) revert InsufficientStake(current, amount);
        uint256 remaining = current - amount;
        // forge-lint: disable-next-line(unsafe-typecast)
        _stakes[msg.sender].push(_clock(), uint208(remaining));
        // forge-lint: disable-next-line(unsafe-typecast)
        _totalStake.push(_clock(), uint208(_totalStake.latest() - amount));
        PendingUnstake storage p = pendingUnstakes[msg.sender];
        uint64 unlockAt = uint64(block.timestamp) + _parameters.unstakeCooldown;
        // forge-lint: disable-next-line(unsafe-typecast)
        uint192 pending = p.amount + uint192(amount);
        p.amount = pending;
        p.unlockAt = unlockAt;
        emit UnstakeRequested(msg.sender, amount, remaining, pending, unlockAt);
    }

    /// @notice Sends msg.sender its pending unstaked UM once the cooldown has passed.
    function withdrawUnstaked() external nonReentrant {
        PendingUnstake memory p = pendingUnstakes[msg.sender];
        if (p.amount == 0) revert NothingToUnstake();
        if (block.timestamp < p.unlockAt) revert StillLocked(p.unlockAt);
        delete pendingUnstakes[msg.sender];
        emit Unstaked(msg.sender, p.amount);
        token.safeTransfer(msg.sender, p.amount);
    }

    // ------------------------------------------------------------------ disputes

    /// @inheritdoc IDisputeCourt
    function openDispute(
        uint256 round,
        uint256 stepIndex,
        address challenger,
        address worker,
        uint256 stakeAtRisk,
        uint64 notBefore
    ) external returns (uint256 disputeId, uint64 revealDeadline) {
        if (!isRun[msg.sender]) revert NotRegisteredRun();
        Parameters memory p = _parameters;
        disputeId = ++disputeCount;
        uint256 snapshot = block.number - 1;
        uint256 quorum = _totalStake.upperLookupRecent(uint48(snapshot)) * p.quorumBps / 10_000;
        uint64 commitDeadline = uint64(block.timestamp) + p.commitPeriod;
        revealDeadline = commitDeadline + p.revealPeriod;
        if (revealDeadline < notBefore) revealDeadline = notBefore;
        Dispute storage d = _disputes[disputeId];
        d.run = msg.sender;
        d.commitDeadline = commitDeadline;
        d.revealDeadline = revealDeadline;
        d.state = DisputeState.Open;
        d.courtFeeBps = p.courtFeeBps;
        d.challenger = challenger;
        d.worker = worker;
        d.round = round;
        d.stepIndex = stepIndex;
        d.snapshotBlock = snapshot;
        d.quorumVotes = quorum;
        _emitOpened(disputeId, d, stakeAtRisk);
    }

    /// @notice The commitment of a ballot: keccak256(abi.encode(disputeId, voter, support, salt)).
    function ballotCommitment(uint256 disputeId, address voter, uint8 support, bytes32 salt)
        public
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(disputeId, voter, support, salt));
    }

    /// @notice Commits msg.sender's hidden ballot on `disputeId` during the commit phase.
    function commitVote(uint256 disputeId, bytes32 commitment) external {
        _commitVote(disputeId, msg.sender, commitment, false);
    }

    /// @notice Commits `voter`'s hidden ballot from its EIP-712 BallotCommit signature (EOA or
    ///         ERC-1271), relayable by anyone.
    function commitVoteBySig(
        uint256 disputeId,
        address voter,
        bytes32 commitment,
        bytes calldata signature
    ) external {
        bytes32 digest = ballotCommitDigest(disputeId, voter, commitment);
        if (!SignatureChecker.isValidSignatureNow(voter, digest, signature)) {
            revert InvalidSignature();
        }
        _commitVote(disputeId, voter, commitment, true);
    }

    /// @notice Reveals `voter`'s committed ballot during the reveal phase and counts it with the
    ///         voter's stake at the snapshot. Anyone holding the salt may reveal (the relayer).
    /// @return weight The votes counted.
    function revealVote(uint256 disputeId, address voter, uint8 support, bytes32 salt)
        external
        returns (uint256 weight)
    {
        Dispute storage d = _disputes[disputeId];
        if (d.state != DisputeState.Open) _revertNotOpen(disputeId, d.state);
        if (block.timestamp <= d.commitDeadline || block.timestamp > d.revealDeadline) {
            revert NotRevealPhase(d.commitDeadline, d.revealDeadline);
        }
        if (support > uint8(Support.Abstain)) revert InvalidSupport(support);
        Receipt storage receipt = _receipts[disputeId][voter];
        bytes32 commitment = receipt.commitment;
        if (commitment == bytes32(0)) revert NotCommitted(voter);
        if (receipt.revealed) revert AlreadyRevealed(voter);
        if (ballotCommitment(disputeId, voter, support, salt) != commitment) {
            revert CommitmentMismatch(voter);
        }
        weight = _stakes[voter].upperLookupRecent(uint48(d.snapshotBlock));

        receipt.revealed = true;
        receipt.support = support;
        // Stakes are checkpointed as uint208, so a past stake always fits.
        // forge-lint: disable-next-line(unsafe-typecast)
        receipt.weight = uint208(weight);
        d.revealCount += 1;
        if (support == uint8(Support.Fraud)) d.fraudVotes += weight;
        else if (support == uint8(Support.Valid)) d.validVotes += weight;
        else d.abstainVotes += weight;
        emit VoteRevealed(disputeId, voter, support, weight);
    }

    /// @notice Rules on `disputeId` after its reveal phase and applies the ruling to the run.
    ///         Anyone may call. Fraud needs quorum and more Fraud than Valid weight; otherwise the
    ///         worker's claim stands.
    function resolve(uint256 disputeId) external nonReentrant {
        Dispute storage d = _disputes[disputeId];
        if (d.state != DisputeState.Open) _revertNotOpen(disputeId, d.state);
        if (block.timestamp <= d.revealDeadline) revert VotingOpen(d.revealDeadline);

        uint256 fraudVotes = d.fraudVotes;
        uint256 validVotes = d.validVotes;
        bool quorumReached = fraudVotes + validVotes + d.abstainVotes >= d.quorumVotes;
        bool fraud = quorumReached && fraudVotes > validVotes;
        d.state = DisputeState.Resolved;
        d.fraud = fraud;
        d.quorumReached = quorumReached;
        // The run credits the parties and sends the voters' fee into receive(). The court trusts
        // only ETH it actually received, so even a faulty run cannot make voters of this dispute
        // claim fees that belong to other disputes.
        uint256 balanceBefore = address(this).balance;
        uint256 fee =
            ITrainingRun(d.run).applyRuling(disputeId, fraud, d.courtFeeBps, d.revealCount > 0);
        if (address(this).balance - balanceBefore != fee) revert FeeNotReceived(fee);
        d.fee = fee;
        emit DisputeResolved(
            disputeId, fraud, fraudVotes, validVotes, d.abstainVotes, quorumReached, fee
        );
    }

    /// @notice Pays `voter` its share of a resolved dispute's fee: fee × weight / revealed weight;
    ///         the last revealed voter to claim receives the remainder, so no dust is left behind.
    ///         Anyone may trigger the payment; the ETH always goes to the voter.
    /// @return amount ETH sent.
    function claimReward(uint256 disputeId, address voter)
        external
        nonReentrant
        returns (uint256 amount)
    {
        Dispute storage d = _disputes[disputeId];
        if (d.state != DisputeState.Resolved) revert DisputeNotResolved(disputeId);
        Receipt storage receipt = _receipts[disputeId][voter];
        if (!receipt.revealed) revert NotAVoter(voter);
        if (receipt.rewardClaimed) revert RewardAlreadyClaimed(voter);
        uint256 fee = d.fee;
        if (fee == 0) revert NothingToClaim();

        receipt.rewardClaimed = true;
        uint256 claims = d.rewardsClaimed + 1;
        d.rewardsClaimed = claims;
        if (claims == d.revealCount) {
            amount = fee - d.feeClaimed;
        } else {
            amount = fee * receipt.weight / (d.fraudVotes + d.validVotes + d.abstainVotes);
        }
        d.feeClaimed += amount;
        emit RewardClaimed(disputeId, voter, amount);
        Address.sendValue(payable(voter), amount);
    }

    // ------------------------------------------------------------------ views

    /// @notice The current parameters.
    function parameters() external view returns (Parameters memory) {
        return _parameters;
    }

    /// @notice `account`'s voting stake now.
    function stakeOf(address account) external view returns (uint256) {
        return _stakes[account].latest();
    }

    /// @notice `account`'s voting stake at the end of block `blockNumber` (a past block).
    function stakeAt(address account, uint256 blockNumber) external view returns (uint256) {
        return _stakes[account].upperLookupRecent(uint48(blockNumber));
    }

    /// @notice All voting stake now.
    function totalStake() external view returns (uint256) {
        return _totalStake.latest();
    }

    /// @notice All voting stake at the end of block `blockNumber`.
    function totalStakeAt(uint256 blockNumber) external view returns (uint256) {
        return _totalStake.upperLookupRecent(uint48(blockNumber));
    }

    /// @notice The EIP-712 digest a voter signs for commitVoteBySig.
    function ballotCommitDigest(uint256 disputeId, address voter, bytes32 commitment)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(
            keccak256(abi.encode(BALLOT_COMMIT_TYPEHASH, disputeId, voter, commitment))
        );
    }

    /// @notice Everything recorded about `disputeId`.
    function getDispute(uint256 disputeId) external view returns (Dispute memory) {
        return _disputes[disputeId];
    }

    /// @notice `voter`'s ballot on `disputeId`.
    function getReceipt(uint256 disputeId, address voter) external view returns (Receipt memory) {
        return _receipts[disputeId][voter];
    }

    /// @notice What claimReward would pay `voter` now (0 if nothing).
    function pendingReward(uint256 disputeId, address voter) external view returns (uint256) {
        Dispute storage d = _disputes[disputeId];
        Receipt storage receipt = _receipts[disputeId][voter];
        if (d.state != DisputeState.Resolved || !receipt.revealed || receipt.rewardClaimed) {
            return 0;
        }
        if (d.rewardsClaimed + 1 == d.revealCount) return d.fee - d.feeClaimed;
        return d.fee * receipt.weight / (d.fraudVotes + d.validVotes + d.abstainVotes);
    }

    // ------------------------------------------------------------------ internals

    function _clock() private view returns (uint48) {
        return uint48(block.number);
    }

    function _stake(address account, uint256 amount) private {
        if (amount == 0) revert ZeroAmount();
        uint256 updated = _stakes[account].latest() + amount;
        // Total UM supply fits in uint208 (ERC20Votes caps it there).
        // forge-lint: disable-next-line(unsafe-typecast)
        _stakes[account].push(_clock(), uint208(updated));
        // forge-lint: disable-next-line(unsafe-typecast)
        _totalStake.push(_clock(), uint208(_totalStake.latest() + amount));
        emit Staked(account, amount, updated);
        token.safeTransferFrom(account, address(this), amount);
    }

    function _commitVote(uint256 disputeId, address voter, bytes32 commitment, bool bySig) private {
        Dispute storage d = _disputes[disputeId];
        if (d.state != DisputeState.Open) _revertNotOpen(disputeId, d.state);
        if (block.timestamp > d.commitDeadline) revert CommitPhaseOver(d.commitDeadline);
        if (commitment == bytes32(0)) revert ZeroCommitment();
        Receipt storage receipt = _receipts[disputeId][voter];
        if (receipt.commitment != bytes32(0)) revert AlreadyCommitted(voter);
        uint256 snapshot = d.snapshotBlock;
        if (_stakes[voter].upperLookupRecent(uint48(snapshot)) == 0) {
            revert NoVotingPower(voter, snapshot);
        }
        receipt.commitment = commitment;
        d.commitCount += 1;
        emit VoteCommitted(disputeId, voter, commitment, bySig);
    }

    function _emitOpened(uint256 disputeId, Dispute storage d, uint256 stakeAtRisk) private {
        emit DisputeOpened(
            disputeId,
            d.run,
            d.round,
            d.challenger,
            d.worker,
            d.stepIndex,
            d.snapshotBlock,
            d.commitDeadline,
            d.revealDeadline,
            d.quorumVotes,
            stakeAtRisk
        );
    }

    function _revertNotOpen(uint256 disputeId, DisputeState state) private pure {
        if (state == DisputeState.None) revert UnknownDispute(disputeId);
        revert DisputeNotOpen(disputeId);
    }

    function _setParameters(Parameters memory p) private {
        if (
            p.commitPeriod == 0 || p.commitPeriod > MAX_PHASE || p.revealPeriod == 0
                || p.revealPeriod > MAX_PHASE || p.unstakeCooldown > MAX_UNSTAKE_COOLDOWN
                || p.unstakeCooldown <= p.commitPeriod + p.revealPeriod || p.quorumBps > 10_000
                || p.courtFeeBps > MAX_COURT_FEE_BPS
        ) revert InvalidParameters();
        _parameters = p;
        emit ParametersChanged(
            p.commitPeriod, p.revealPeriod, p.unstakeCooldown, p.quorumBps, p.courtFeeBps
        );
    }
}
