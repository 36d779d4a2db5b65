import { bytesToString, keccak256, type Hex } from 'viem';
import type { z } from 'zod';
import { ProtocolError } from '../errors.js';
import { canonicalJson, canonicalJsonBytes } from './canonical.js';
import { runSpecSchema, type RunSpec, type RunSpecInput } from './schema.js';

export interface SpecIssue {
  /** Dotted path of the offending field, e.g. "optimizer.learningRate" or "model.topology.config.layers.2.class_name". */
  readonly field: string;
  readonly message: string;
}

/** A run spec that does not validate; `issues` names every offending field. */
export class InvalidSpecError extends ProtocolError {
  override name = 'InvalidSpecError';
  constructor(readonly issues: readonly SpecIssue[]) {
    super(
      `invalid run spec: ${issues.map((issue) => `${issue.field || '(root)'}: ${issue.message}`).join('; ')}`,
    );
  }
  /** The first offending field. */
  get field(): string {
    return this.issues[0]?.field ?? '';
  }
}

/** Spec bytes that are valid JSON and a valid spec, but not in canonical form, or not matching the expected hash. */
export class SpecHashMismatchError extends ProtocolError {
  override name = 'SpecHashMismatchError';
  constructor(
    readonly expected: Hex,
    readonly actual: Hex,
  ) {
    super(`run spec hash mismatch: expected ${expected}, the document hashes to ${actual}`);
  }
}

export class NonCanonicalSpecError extends ProtocolError {
  override name = 'NonCanonicalSpecError';
  constructor() {
    super(
      'run spec document is not canonical JSON with defaults filled in (sorted keys, no whitespace); store encodeSpec(spec)',
    );
  }
}

const toIssues = (error: z.ZodError): SpecIssue[] =>
  error.issues.map((issue) => ({
    field: issue.path.map(String).join('.'),
    message: issue.message,
  }));

/** Validates a run spec object and fills in defaults; throws InvalidSpecError naming each bad field. */
export function parseSpec(input: unknown): RunSpec {
  const result = runSpecSchema.safeParse(input);
  if (!result.success) throw new InvalidSpecError(toIssues(result.error));
  return result.data;
}

/** The canonical document bytes of a spec (validated, defaults filled): what is stored on IPFS. */
export function encodeSpec(spec: RunSpecInput | RunSpec): Uint8Array {
  return canonicalJsonBytes(parseSpec(spec));
}

/** The on-chain specHash: keccak256 of the canonical document bytes. */
export function specHash(spec: RunSpecInput | RunSpec): Hex {
  return keccak256(encodeSpec(spec));
}

/**
 * Parses stored spec bytes. Demands canonical form (so hashing the bytes and hashing the parsed
 * spec agree) and, if given, that keccak256(bytes) equals `expectedHash`.
 */
export function decodeSpec(bytes: Uint8Array, options: { expectedHash?: Hex } = {}): RunSpec {
  const actual = keccak256(bytes);
  if (options.expectedHash && actual.toLowerCase() !== options.expectedHash.toLowerCase()) {
    throw new SpecHashMismatchError(options.expectedHash, actual);
  }
  let json: unknown;
  try {
    json = JSON.parse(bytesToString(bytes));
  } catch (error) {
    throw new InvalidSpecError([{ field: '', message: `not JSON: ${(error as Error).message}` }]);
  }
  const spec = parseSpec(json);
  if (canonicalJson(spec) !== bytesToString(bytes)) throw new NonCanonicalSpecError();
  return spec;
}
