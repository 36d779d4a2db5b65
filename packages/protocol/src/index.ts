export { ProtocolError } from './errors.js';
export {
  type DeployedContract,
  type Deployment,
  DeploymentNotFoundError,
  InvalidDeploymentError,
  parseDeployment,
  contractAddress,
} from './deployment.js';
export {
  MerkleError,
  merkleLevels,
  merkleRoot,
  merkleProof,
  verifyMerkleProof,
  stepLeaf,
} from './merkle.js';
export {
  type BallotCommit,
  BallotError,
  Support,
  DISPUTE_COURT_DOMAIN_NAME,
  DISPUTE_COURT_DOMAIN_VERSION,
  ballotCommitment,
  ballotCommitDigest,
  ballotCommitTypedData,
  ballotCommitTypes,
  ballotDomain,
} from './eip712/ballot.js';
export {
  ATTESTATION_DOMAIN_NAME,
  ATTESTATION_DOMAIN_VERSION,
  SCORE_ONE,
  AttestationError,
  attestationDigest,
  attestationDomain,
  attestationTypedData,
  attestationTypes,
  hasAttestationQuorum,
  orderAttestationSignatures,
  recoverAttestationSigner,
  type Attestation,
  type AttestationTarget,
  type SignedAttestation,
} from './eip712/attestation.js';
export { CommitmentError, challengeCommitment } from './commitments.js';
export * from './spec/index.js';
