/**
 * The contract interfaces the portal calls: the typed ABIs generated from forge's build output
 * (`@um/protocol/abis`, built before the portal by turbo's `^build`). Reverts from either the court
 * or the token decode against `portalErrorAbi`.
 */
import { disputeCourtAbi, umTokenAbi } from '@um/protocol/abis';

export { disputeCourtAbi, umTokenAbi };

/** Both ABIs together, so a revert from either contract decodes. */
export const portalErrorAbi = [...umTokenAbi, ...disputeCourtAbi] as const;

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
