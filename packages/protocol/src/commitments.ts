import { encodeAbiParameters, keccak256, type Address, type Hex } from 'viem';
import { ProtocolError } from './errors.js';

/** A challenge commitment's inputs are malformed. */
export class CommitmentError extends ProtocolError {
  override name = 'CommitmentError';
}

/**
 * What a challenger commits before naming the step it disputes:
 * keccak256(abi.encode(run, challenger, round, stepIndex, salt)), equal to
 * TrainingRun.challengeCommitment (a view of the run at `run`). Binding the run and the challenger
 * means a copier of the commit transaction can neither reveal it as its own nor reuse it on
 * another run. Journal `salt` before sending the commit: without it the deposit is forfeited.
 */
export function challengeCommitment(
  run: Address,
  challenger: Address,
  round: bigint | number,
  stepIndex: bigint | number,
  salt: Hex,
): Hex {
  const roundValue = BigInt(round);
  const stepValue = BigInt(stepIndex);
  if (roundValue < 0n) throw new CommitmentError(`round must not be negative, got ${roundValue}`);
  if (stepValue < 0n)
    throw new CommitmentError(`stepIndex must not be negative, got ${stepValue}`);
  if (!/^0x[0-9a-fA-F]{64}$/.test(salt))
    throw new CommitmentError(`salt must be 32 bytes of hex, got ${salt}`);
  return keccak256(
    encodeAbiParameters(
      [
        { type: 'address' },
        { type: 'address' },
        { type: 'uint256' },
        { type: 'uint256' },
        { type: 'bytes32' },
      ],
      [run, challenger, roundValue, stepValue, salt],
    ),
  );
}
