/**
 * The contract interfaces the portal calls. UMToken's are OpenZeppelin's standard ERC20Votes
 * functions and events. DisputeCourt's mirror contracts/src/training/DisputeCourt.sol; they move to
 * the generated ABIs of '@um/protocol/abis' once that package is built in the portal's pipeline
 * (see docs/portal.md) — decodeRevert works with either.
 */
import { parseAbi } from 'viem';

export const umTokenAbi = parseAbi([
  'function balanceOf(address account) view returns (uint256)',
  'function delegates(address account) view returns (address)',
  'function getVotes(address account) view returns (uint256)',
  'function getPastVotes(address account, uint256 timepoint) view returns (uint256)',
  'function getPastTotalSupply(uint256 timepoint) view returns (uint256)',
  'function delegate(address delegatee)',
  'event Transfer(address indexed from, address indexed to, uint256 value)',
  'event DelegateChanged(address indexed delegator, address indexed fromDelegate, address indexed toDelegate)',
  'error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)',
  'error ERC5805FutureLookup(uint256 timepoint, uint48 clock)',
]);

export const disputeCourtAbi = parseAbi([
  'function castVote(uint256 disputeId, uint8 support, string reason) returns (uint256)',
  'function castVoteBySig(uint256 disputeId, uint8 support, address voter, string reason, bytes signature) returns (uint256)',
  'function claimReward(uint256 disputeId) returns (uint256)',
  'function resolve(uint256 disputeId)',
  'function nonces(address owner) view returns (uint256)',
  'error UnknownDispute(uint256 disputeId)',
  'error DisputeNotOpen(uint256 disputeId)',
  'error VotingClosed(uint64 deadline)',
  'error VotingOpen(uint64 deadline)',
  'error InvalidSupport(uint8 support)',
  'error AlreadyVoted(address voter)',
  'error NoVotingPower(address voter, uint256 snapshotBlock)',
  'error InvalidSignature()',
  'error DisputeNotResolved(uint256 disputeId)',
  'error NotAVoter(address voter)',
  'error RewardAlreadyClaimed(address voter)',
]);

/** Both ABIs together, so a revert from either contract decodes. */
export const portalErrorAbi = [...umTokenAbi, ...disputeCourtAbi];

/** Words for the court's custom errors, shown under the decoded name. */
export const COURT_ERROR_HELP: Record<string, string> = {
  VotingClosed: 'The voting period of this dispute is over.',
  AlreadyVoted: 'This account has already voted on this dispute.',
  NoVotingPower:
    'This account had no votes at the dispute’s snapshot block — see “Your voting power” above.',
  DisputeNotOpen: 'The dispute is already resolved.',
  InvalidSignature: 'The signature does not match the voter.',
  NotAVoter: 'Only accounts that voted can claim a share of the court fee.',
  RewardAlreadyClaimed: 'This reward has already been claimed.',
};
