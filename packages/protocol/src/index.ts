export { ProtocolError } from './errors.js';
export {
  type DeployedContract,
  type Deployment,
  DeploymentNotFoundError,
  InvalidDeploymentError,
  parseDeployment,
  contractAddress,
} from './deployment.js';
