// AttestationCenter: the accuracy score a quorum of operators signed for a candidate.
import { BigDecimal, Bytes } from '@graphprotocol/graph-ts';
import { Attested } from '../generated/AttestationCenter/AttestationCenter';
import { AccuracyScore, Candidate } from '../generated/schema';
import {
  SCORE_DECIMALS,
  fixedToDecimal,
  getDay,
  getOperator,
  getProtocol,
  saveTotals,
} from './helpers';

export function handleAttested(event: Attested): void {
  const id = event.params.candidateId.toString();
  const score = fixedToDecimal(event.params.score, SCORE_DECIMALS);
  const signers = event.params.signers;

  const signerIds = new Array<string>(0);
  for (let i = 0; i < signers.length; i++) {
    const operator = getOperator(signers[i], event);
    operator.attestationCount += 1;
    operator.lastAttestationBlock = event.block.number;
    operator.lastAttestationTimestamp = event.block.timestamp;
    operator.save();
    signerIds.push(operator.id);
  }

  const attestation = new AccuracyScore(id);
  attestation.candidate = id;
  attestation.task = event.params.taskId.toString();
  attestation.scoreRaw = event.params.score;
  attestation.score = score;
  const signerBytes = changetype<Array<Bytes>>(signers);
  attestation.signers = signerBytes;
  attestation.signerOperators = signerIds;
  attestation.signerCount = signers.length;
  attestation.stakeSigned = event.params.stakeSigned;
  attestation.totalStake = event.params.totalStake;
  attestation.stakeShare = event.params.totalStake.isZero()
    ? BigDecimal.zero()
    : event.params.stakeSigned.toBigDecimal().div(event.params.totalStake.toBigDecimal());
  attestation.blockNumber = event.block.number;
  attestation.timestamp = event.block.timestamp;
  attestation.transaction = event.transaction.hash;

  const candidate = Candidate.load(id);
  if (candidate != null) {
    // SeedRecorded always precedes Attested (attest records the seed first).
    attestation.seed = candidate.seed;
    attestation.seedBlock = candidate.seedRecordedBlock;
    candidate.scoreRaw = event.params.score;
    candidate.score = score;
    candidate.attestation = id;
    candidate.save();
  }
  attestation.save();

  const protocol = getProtocol(event);
  protocol.attestationCount += 1;
  const day = getDay(event);
  day.attestations += 1;
  saveTotals(protocol, day);
}
