// Typed errors of the subgraph's build scripts: each names what is wrong and where.

export class SubgraphScriptError extends Error {
  override name = 'SubgraphScriptError';
}

/** A deployments/<chainId>.json document is missing a field or holds a bad value. */
export class InvalidDeploymentError extends SubgraphScriptError {
  override name = 'InvalidDeploymentError';
  constructor(
    readonly source: string,
    readonly field: string,
    problem: string,
  ) {
    super(`Invalid deployment ${source}: ${field} ${problem}`);
  }
}

/** The manifest cannot be generated (ABI missing an event, unknown network, …). */
export class ManifestError extends SubgraphScriptError {
  override name = 'ManifestError';
}

/** Contract ABIs are missing from contracts/out (run `npm run build -w contracts`). */
export class AbiSourceError extends SubgraphScriptError {
  override name = 'AbiSourceError';
}

/** graph codegen / graph build failed or printed a warning (warnings are errors here). */
export class GraphCliError extends SubgraphScriptError {
  override name = 'GraphCliError';
  constructor(
    readonly command: string,
    readonly output: string,
    problem: string,
  ) {
    super(`${command}: ${problem}\n${output}`);
  }
}
