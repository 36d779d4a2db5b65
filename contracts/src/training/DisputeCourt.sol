// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDisputeCourt} from "../interfaces/IDisputeCourt.sol";
import {ITrainingRun} from "../interfaces/ITrainingRun.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/// @title DisputeCourt
/// @notice Token holders rule on fraud challenges of every training run. A dispute's weights are the
///         UMToken votes delegated at its snapshot (opening block − 1), so tokens moved afterwards
///         carry no weight and nobody votes twice. No quorum or a tie keeps the worker's claim. The
///         court fee (courtFeeBps of the slashed deposit) is shared pro rata to weight by everyone
///         who voted, on any side, and pulled with claimReward.
/// @dev One court serves all runs; only runs registered by the registrar (the RunFactory) may open
///      disputes. Parameters apply to disputes opened after they change. See docs/protocol.md.
contract DisputeCourt is IDisputeCourt, Ownable2Step, EIP712, Nonces, ReentrancyGuardTransient {
    /// @notice Ballot options; the uint8 `support` of VoteCast and castVote.
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
        uint64 deadline;
        DisputeState state;
        bool fraud;
        bool quorumReached;
        uint16 courtFeeBps;
        address challenger;
        address worker;
        uint256 round;
        uint256 stepIndex;
        uint256 snapshotBlock;
        uint256 quorumVotes;
        uint256 fraudVotes;
        uint256 validVotes;
        uint256 abstainVotes;
        uint256 voterCount;
        /// ETH the voters share (0 until resolved, or if the challenge was void or nobody voted).
        uint256 fee;
        uint256 feeClaimed;
        uint256 rewardsClaimed;
    }

    struct Receipt {
        bool hasVoted;
        bool rewardClaimed;
        uint8 support;
        uint208 weight;
    }

    /// @notice EIP-712 type of castVoteBySig; mirrored by packages/protocol/src/eip712/ballot.ts.
    bytes32 public constant BALLOT_TYPEHASH = keccak256(
        "Ballot(uint256 disputeId,uint8 support,address voter,uint256 nonce,string reason)"
    );
    /// @notice Upper bound of courtFeeBps, so a winner always receives at least half the stake.
    uint16 public constant MAX_COURT_FEE_BPS = 5000;
    /// @notice Upper bound of votingPeriod.
    uint64 public constant MAX_VOTING_PERIOD = 90 days;

    error InvalidParameters();
    error NotRegistrar();
    error NotRegisteredRun();
    error AlreadyRegistered(address run);
    error UnknownDispute(uint256 disputeId);
    error DisputeNotOpen(uint256 disputeId);
    error VotingClosed(uint64 deadline);
    error VotingOpen(uint64 deadline);
    error InvalidSupport(uint8 support);
    error AlreadyVoted(address voter);
    /// @notice The voter had no delegated votes at the dispute's snapshot block.
    error NoVotingPower(address voter, uint256 snapshotBlock);
    error InvalidSignature();
    error DisputeNotResolved(uint256 disputeId);
    error NotAVoter(address voter);
    error RewardAlreadyClaimed(address voter);
    error NothingToClaim();
    /// @notice The run reported a court fee it did not send.
    error FeeNotReceived(uint256 reported);

    /// @notice The address allowed to register runs changed.
    event RegistrarChanged(address indexed registrar);
    /// @notice `run` may now open disputes.
    event RunRegistered(address indexed run);

    /// @notice The governance token whose past votes weigh ballots.
    IVotes public immutable token;
    /// @notice Registers runs; the RunFactory.
    address public registrar;
    /// @notice Seconds from opening during which votes are accepted.
    uint64 public votingPeriod;
    /// @notice Share of getPastTotalSupply(snapshot) that must vote (any side) for a ruling.
    uint16 public quorumBps;
    /// @notice Share of the slashed deposit paid to the voters.
    uint16 public courtFeeBps;
    /// @notice Number of disputes opened; ids run from 1 to disputeCount.
    uint256 public disputeCount;
    /// @notice Runs allowed to open disputes.
    mapping(address run => bool) public isRun;

    mapping(uint256 disputeId => Dispute) internal _disputes;
    mapping(uint256 disputeId => mapping(address voter => Receipt)) internal _receipts;

    /// @param token_ The UMToken (any IVotes with block-number clock).
    /// @param owner_ Governance owner of the parameters and the registrar.
    constructor(
        IVotes token_,
        address owner_,
        uint64 votingPeriod_,
        uint16 quorumBps_,
        uint16 courtFeeBps_
    ) Ownable(owner_) EIP712("UM DisputeCourt", "1") {
        token = token_;
        _setParameters(votingPeriod_, quorumBps_, courtFeeBps_);
    }

    /// @notice Accepts court fees from registered runs while they apply a ruling.
    receive() external payable {
        if (!isRun[msg.sender]) revert NotRegisteredRun();
    }

    // ------------------------------------------------------------------ governance

    /// @notice Changes the parameters of disputes opened from now on. Owner only.
    function setParameters(uint64 votingPeriod_, uint16 quorumBps_, uint16 courtFeeBps_)
        external
        onlyOwner
    {
        _setParameters(votingPeriod_, quorumBps_, courtFeeBps_);
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

    // ------------------------------------------------------------------ disputes

    /// @inheritdoc IDisputeCourt
    function openDispute(
        uint256 round,
        uint256 stepIndex,
        address challenger,
        address worker,
        uint256 stakeAtRisk
    ) external returns (uint256 disputeId) {
        if (!isRun[msg.sender]) revert NotRegisteredRun();
        disputeId = ++disputeCount;
        uint256 snapshot = block.number - 1;
        uint256 quorum = token.getPastTotalSupply(snapshot) * quorumBps / 10_000;
        uint64 deadline = uint64(block.timestamp) + votingPeriod;
        Dispute storage d = _disputes[disputeId];
        d.run = msg.sender;
        d.deadline = deadline;
        d.state = DisputeState.Open;
        d.courtFeeBps = courtFeeBps;
        d.challenger = challenger;
        d.worker = worker;
        d.round = round;
        d.stepIndex = stepIndex;
        d.snapshotBlock = snapshot;
        d.quorumVotes = quorum;
        emit DisputeOpened(
            disputeId,
            msg.sender,
            round,
            challenger,
            worker,
            stepIndex,
            snapshot,
            deadline,
            quorum,
            stakeAtRisk
        );
    }

    /// @notice Votes on `disputeId` with msg.sender's votes at the snapshot block.
    /// @param support 0 = Fraud, 1 = Valid, 2 = Abstain.
    /// @return weight The votes counted.
    function castVote(uint256 disputeId, uint8 support, string calldata reason)
        external
        returns (uint256 weight)
    {
        return _castVote(disputeId, support, msg.sender, reason, false);
    }

    /// @notice Casts `voter`'s vote from an EIP-712 Ballot signature (EOA or ERC-1271), relayable
    ///         by anyone. The ballot includes the voter's current nonce, so it cannot be replayed.
    /// @return weight The votes counted.
    function castVoteBySig(
        uint256 disputeId,
        uint8 support,
        address voter,
        string calldata reason,
        bytes calldata signature
    ) external returns (uint256 weight) {
        bytes32 digest = ballotDigest(disputeId, support, voter, _useNonce(voter), reason);
        if (!SignatureChecker.isValidSignatureNow(voter, digest, signature)) {
            revert InvalidSignature();
        }
        return _castVote(disputeId, support, voter, reason, true);
    }

    /// @notice Rules on `disputeId` after its deadline and applies the ruling to the run. Anyone
    ///         may call. Fraud needs quorum and more Fraud than Valid votes; otherwise the worker's
    ///         claim stands.
    function resolve(uint256 disputeId) external nonReentrant {
        Dispute storage d = _disputes[disputeId];
        if (d.state == DisputeState.None) revert UnknownDispute(disputeId);
        if (d.state != DisputeState.Open) revert DisputeNotOpen(disputeId);
        if (block.timestamp <= d.deadline) revert VotingOpen(d.deadline);

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
            ITrainingRun(d.run).applyRuling(disputeId, fraud, d.courtFeeBps, d.voterCount > 0);
        if (address(this).balance - balanceBefore != fee) revert FeeNotReceived(fee);
        d.fee = fee;
        emit DisputeResolved(
            disputeId, fraud, fraudVotes, validVotes, d.abstainVotes, quorumReached, fee
        );
    }

    /// @notice Pays msg.sender its share of a resolved dispute's fee: fee × weight / total votes;
    ///         the last voter to claim receives the remainder, so no dust is left behind.
    /// @return amount ETH sent.
    function claimReward(uint256 disputeId) external nonReentrant returns (uint256 amount) {
        Dispute storage d = _disputes[disputeId];
        if (d.state != DisputeState.Resolved) revert DisputeNotResolved(disputeId);
        Receipt storage receipt = _receipts[disputeId][msg.sender];
        if (!receipt.hasVoted) revert NotAVoter(msg.sender);
        if (receipt.rewardClaimed) revert RewardAlreadyClaimed(msg.sender);
        uint256 fee = d.fee;
        if (fee == 0) revert NothingToClaim();

        receipt.rewardClaimed = true;
        uint256 claims = d.rewardsClaimed + 1;
        d.rewardsClaimed = claims;
        if (claims == d.voterCount) {
            amount = fee - d.feeClaimed;
        } else {
            amount = fee * receipt.weight / (d.fraudVotes + d.validVotes + d.abstainVotes);
        }
        d.feeClaimed += amount;
        emit RewardClaimed(disputeId, msg.sender, amount);
        Address.sendValue(payable(msg.sender), amount);
    }

    // ------------------------------------------------------------------ views

    /// @notice The EIP-712 digest a voter signs for castVoteBySig.
    function ballotDigest(
        uint256 disputeId,
        uint8 support,
        address voter,
        uint256 nonce,
        string calldata reason
    ) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    BALLOT_TYPEHASH, disputeId, support, voter, nonce, keccak256(bytes(reason))
                )
            )
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
        if (d.state != DisputeState.Resolved || !receipt.hasVoted || receipt.rewardClaimed) {
            return 0;
        }
        if (d.rewardsClaimed + 1 == d.voterCount) return d.fee - d.feeClaimed;
        return d.fee * receipt.weight / (d.fraudVotes + d.validVotes + d.abstainVotes);
    }

    // ------------------------------------------------------------------ internals

    function _castVote(
        uint256 disputeId,
        uint8 support,
        address voter,
        string calldata reason,
        bool bySig
    ) private returns (uint256 weight) {
        Dispute storage d = _disputes[disputeId];
        if (d.state == DisputeState.None) revert UnknownDispute(disputeId);
        if (d.state != DisputeState.Open) revert DisputeNotOpen(disputeId);
        if (block.timestamp > d.deadline) revert VotingClosed(d.deadline);
        if (support > uint8(Support.Abstain)) revert InvalidSupport(support);
        Receipt storage receipt = _receipts[disputeId][voter];
        if (receipt.hasVoted) revert AlreadyVoted(voter);
        weight = token.getPastVotes(voter, d.snapshotBlock);
        if (weight == 0) revert NoVotingPower(voter, d.snapshotBlock);

        receipt.hasVoted = true;
        receipt.support = support;
        // ERC20Votes checkpoints are uint208, so a past vote count always fits.
        // forge-lint: disable-next-line(unsafe-typecast)
        receipt.weight = uint208(weight);
        d.voterCount += 1;
        if (support == uint8(Support.Fraud)) d.fraudVotes += weight;
        else if (support == uint8(Support.Valid)) d.validVotes += weight;
        else d.abstainVotes += weight;
        emit VoteCast(disputeId, voter, support, weight, reason, bySig);
    }

    function _setParameters(uint64 votingPeriod_, uint16 quorumBps_, uint16 courtFeeBps_) private {
        if (
            votingPeriod_ == 0 || votingPeriod_ > MAX_VOTING_PERIOD || quorumBps_ > 10_000
                || courtFeeBps_ > MAX_COURT_FEE_BPS
        ) revert InvalidParameters();
        votingPeriod = votingPeriod_;
        quorumBps = quorumBps_;
        courtFeeBps = courtFeeBps_;
        emit ParametersChanged(votingPeriod_, quorumBps_, courtFeeBps_);
    }
}
