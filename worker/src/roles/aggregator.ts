import {
  hasAttestationQuorum,
  orderAttestationSignatures,
  recoverAttestationSigner,
} from '@um/protocol';
import { attestationCenterAbi, modelMarketAbi, operatorRegistryAbi } from '@um/protocol/abis';
import { getAddress, isAddress, isHex, parseEventLogs, type Address, type Hex } from 'viem';
import type { ChainConnection } from '../chain/client.js';
import { sendRecorded, TxRevertedError } from '../chain/tx.js';
import type { RouteHandler, RunningHttpServer, ServiceStatus } from '../http/server.js';
import { AttestationRejectedError } from '../errors.js';
import type { Logger } from '../log.js';
import type { WorkerMetrics } from '../metrics.js';
import { sleep } from '../util.js';
import type { Role } from './role.js';
import type { AttestationSubmission } from './evaluator.js';

const ZERO32 = `0x${'0'.repeat(64)}`;

export interface AggregatorOptions {
  readonly conn: ChainConnection;
  readonly market: Address;
  readonly center: Address;
  readonly registry: Address;
  readonly log: Logger;
  readonly metrics: WorkerMetrics;
}

interface Tally {
  /** score → operator → signature */
  readonly byScore: Map<string, Map<Address, Hex>>;
  settled: boolean;
  busy: Promise<unknown>;
}

export interface AttestationAnswer {
  readonly accepted: boolean;
  readonly stakeSigned: string;
  readonly totalStake: string;
  readonly settled: boolean;
  readonly tx?: Hex;
}

/**
 * The aggregator: POST /attestations collects operator signatures, checks each (EIP-712 signer =
 * operator, operator staked at the seed block, candidate pending with its seed recorded), and
 * calls attest() with the signatures of one score sorted by signer address as soon as their stake
 * is more than two thirds of the total at the seed block. Anyone may run one; attest() is
 * permissionless and a second call for a settled candidate reverts harmlessly.
 */
export class Aggregator implements Role {
  readonly id = 'aggregator';
  readonly name = 'Aggregator';
  readonly description = 'collects operator attestations and calls attest() at a two-thirds quorum';
  private state: ServiceStatus = 'Initializing';
  private readonly tallies = new Map<string, Tally>();
  private readonly log: Logger;

  constructor(private readonly options: AggregatorOptions) {
    this.log = options.log.child({ role: 'aggregate' });
  }

  status(): ServiceStatus {
    return this.state;
  }

  /** Mounts POST /attestations on the worker's HTTP server. */
  mount(server: RunningHttpServer): void {
    server.route('POST', '/attestations', this.handle);
  }

  async run(signal: AbortSignal): Promise<void> {
    this.state = 'Up';
    this.options.metrics.up.set({ role: 'aggregate' }, 1);
    this.log.info('aggregator started');
    while (!signal.aborted) await sleep(60_000, signal);
    this.options.metrics.up.set({ role: 'aggregate' }, 0);
    this.state = 'Down';
  }

  readonly handle: RouteHandler = async (_request, body) => {
    const input = body as Partial<AttestationSubmission> | undefined;
    if (
      !input ||
      typeof input.candidateId !== 'string' ||
      !/^\d+$/.test(input.candidateId) ||
      typeof input.score !== 'string' ||
      !/^-?\d+$/.test(input.score) ||
      typeof input.operator !== 'string' ||
      !isAddress(input.operator) ||
      typeof input.signature !== 'string' ||
      !isHex(input.signature)
    ) {
      return {
        status: 400,
        body: {
          error:
            'expected {candidateId, score, operator, signature} (decimal strings, address, 0x signature)',
        },
      };
    }
    try {
      const answer = await this.submit({
        candidateId: BigInt(input.candidateId),
        score: BigInt(input.score),
        operator: getAddress(input.operator),
        signature: input.signature,
      });
      return { status: 202, body: answer };
    } catch (error) {
      if (error instanceof AttestationError)
        return { status: error.status, body: { error: error.message } };
      this.options.metrics.chainErrors.inc({ operation: 'aggregate' });
      return { status: 502, body: { error: (error as Error).message } };
    }
  };

  /** Checks and records one signature; attests when the quorum is reached. */
  async submit(input: {
    candidateId: bigint;
    score: bigint;
    operator: Address;
    signature: Hex;
  }): Promise<AttestationAnswer> {
    const { conn, market, registry, center } = this.options;
    const candidate = await conn.publicClient
      .readContract({
        address: market,
        abi: modelMarketAbi,
        functionName: 'getCandidate',
        args: [input.candidateId],
      })
      .catch(() => undefined);
    if (!candidate) throw new AttestationError(404, `unknown candidate ${input.candidateId}`);
    if (candidate.seed === ZERO32)
      throw new AttestationError(
        409,
        `candidate ${input.candidateId} has no recorded seed yet (call recordSeed first)`,
      );
    const signer = await recoverAttestationSigner(
      { chainId: conn.chainId, attestationCenter: center },
      {
        candidateId: input.candidateId,
        paramsHash: candidate.paramsHash,
        seed: candidate.seed,
        score: input.score,
      },
      input.signature,
    ).catch(() => undefined);
    if (signer !== input.operator)
      throw new AttestationError(
        400,
        'the signature is not the operator’s attestation of this candidate, seed and score',
      );
    const seedBlock = BigInt(candidate.seedBlock);
    const [stake, total] = await Promise.all([
      conn.publicClient.readContract({
        address: registry,
        abi: operatorRegistryAbi,
        functionName: 'stakeAt',
        args: [input.operator, seedBlock],
      }),
      conn.publicClient.readContract({
        address: registry,
        abi: operatorRegistryAbi,
        functionName: 'totalStakeAt',
        args: [seedBlock],
      }),
    ]);
    if (stake === 0n)
      throw new AttestationError(
        403,
        `${input.operator} had no stake at the seed block ${seedBlock}`,
      );
    const key = input.candidateId.toString();
    let tally = this.tallies.get(key);
    if (!tally) {
      tally = { byScore: new Map(), settled: candidate.status !== 1, busy: Promise.resolve() };
      this.tallies.set(key, tally);
    }
    // One operator, one score: a changed answer replaces the earlier one.
    for (const signatures of tally.byScore.values()) signatures.delete(input.operator);
    const scoreKey = input.score.toString();
    const signatures = tally.byScore.get(scoreKey) ?? new Map<Address, Hex>();
    signatures.set(input.operator, input.signature);
    tally.byScore.set(scoreKey, signatures);
    this.log.info(
      { candidateId: key, operator: input.operator, score: scoreKey },
      'attestation accepted',
    );

    const current = tally;
    const result = current.busy.then(() =>
      this.maybeAttest(input.candidateId, input.score, current, total, seedBlock),
    );
    current.busy = result.catch(() => {});
    return result;
  }

  private async maybeAttest(
    candidateId: bigint,
    score: bigint,
    tally: Tally,
    total: bigint,
    seedBlock: bigint,
  ): Promise<AttestationAnswer> {
    const { conn, registry, center } = this.options;
    const signatures = tally.byScore.get(score.toString()) ?? new Map<Address, Hex>();
    const signers = [...signatures.keys()].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    const stakes = await Promise.all(
      signers.map((s) =>
        conn.publicClient.readContract({
          address: registry,
          abi: operatorRegistryAbi,
          functionName: 'stakeAt',
          args: [s, seedBlock],
        }),
      ),
    );
    const signed = stakes.reduce((a, b) => a + b, 0n);
    const answer = { accepted: true, stakeSigned: signed.toString(), totalStake: total.toString() };
    if (tally.settled || !hasAttestationQuorum(signed, total))
      return { ...answer, settled: tally.settled };
    try {
      const { receipt, tx } = await sendRecorded(conn, `attest(${candidateId})`, {
        address: center,
        abi: attestationCenterAbi,
        functionName: 'attest',
        args: [
          candidateId,
          score,
          orderAttestationSignatures(
            signers.map((s) => ({ signer: s, signature: signatures.get(s)! })),
          ),
        ],
      });
      tally.settled = true;
      const attested = parseEventLogs({
        abi: attestationCenterAbi,
        logs: receipt.logs,
        eventName: 'Attested',
      })[0];
      this.options.metrics.attestationsSubmitted.inc({ outcome: 'settled' });
      this.log.info(
        {
          candidateId: candidateId.toString(),
          score: score.toString(),
          signers,
          stakeSigned: attested?.args.stakeSigned?.toString(),
        },
        'candidate attested and settled',
      );
      return { ...answer, settled: true, tx: tx.hash };
    } catch (error) {
      if (error instanceof TxRevertedError) {
        this.options.metrics.attestationsSubmitted.inc({ outcome: 'reverted' });
        this.log.warn(
          { candidateId: candidateId.toString(), reason: error.errorName },
          'attest reverted',
        );
        if (error.errorName === 'CandidateNotPending') tally.settled = true;
        return { ...answer, settled: tally.settled };
      }
      throw error;
    }
  }
}

/** A rejected attestation with its HTTP status. */
export class AttestationError extends AttestationRejectedError {
  override name = 'AttestationError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
