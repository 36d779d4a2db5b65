/**
 * The contract interfaces the portal calls: the typed ABIs generated from forge's build output
 * (`@um/protocol/abis`, built before the portal by turbo's `^build`). Reverts from the court, the
 * token or a run decode against `portalErrorAbi`.
 */
import { disputeCourtAbi, trainingRunAbi, umTokenAbi } from '@um/protocol/abis';

export { disputeCourtAbi, trainingRunAbi, umTokenAbi };

/** The ABIs together, so a revert from any of them decodes. */
export const portalErrorAbi = [...umTokenAbi, ...disputeCourtAbi, ...trainingRunAbi] as const;

/** Words for the court's (and a run's withdraw's) custom errors, shown under the decoded name. */
export const COURT_ERROR_HELP: Record<string, string> = {
  CommitPhaseOver: 'The commit phase of this dispute is over; ballots can no longer be committed.',
  NotRevealPhase:
    'Ballots can be revealed only after the commit deadline and until the reveal deadline.',
  AlreadyCommitted: 'This account has already committed a ballot on this dispute.',
  NotCommitted: 'This account committed no ballot on this dispute, so there is nothing to reveal.',
  AlreadyRevealed: 'This ballot is already revealed.',
  CommitmentMismatch:
    'The choice and salt do not match the committed ballot (was the salt from another browser?).',
  NoVotingPower:
    'This account had no court stake at the dispute’s snapshot block — see “Your voting power” above.',
  DisputeNotOpen: 'The dispute is already resolved.',
  VotingOpen: 'The dispute can be resolved only after its reveal deadline.',
  InvalidSignature: 'The signature does not match the voter.',
  DisputeNotResolved: 'Rewards can be claimed once the dispute is resolved.',
  NotAVoter: 'Only accounts that revealed a ballot share the court fee.',
  RewardAlreadyClaimed: 'This reward has already been claimed.',
  NothingToClaim: 'There is nothing to claim here.',
  ZeroAmount: 'Enter an amount above zero.',
  InsufficientStake: 'You cannot unstake more than your current court stake.',
  StillLocked: 'These tokens are still in their unstaking cooldown.',
  NothingToUnstake: 'There are no unstaked tokens waiting to be withdrawn.',
  ERC20InsufficientAllowance: 'Approve the court to move these tokens first (or use the permit).',
  ERC20InsufficientBalance: 'This account does not hold that many UM.',
};
