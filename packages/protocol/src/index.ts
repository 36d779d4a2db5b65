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
export * from './spec/index.js';
