/**
 * Where the relay keeps the ballots it committed until it has revealed them: one JSON file,
 * `<UM_PORTAL_DATA_DIR>/relayed-ballots.json` (default `web/.data/`). A ballot is written BEFORE its
 * commit transaction is sent and rewritten after every change, each time to a temporary file
 * renamed over the old one (atomic on POSIX), so a portal restart or a crash loses no salt and the
 * reveal still happens. Finished entries are dropped after a week so the file stays bounded.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Hex } from 'viem';

export type RelayedBallotState =
  /** Written before the commit was sent; the chain tells whether it landed. */
  | 'committing'
  | 'committed'
  | 'revealed'
  /** The commit never landed, or the reveal deadline passed before the relay could reveal. */
  | 'missed';

export type RelayedBallot = {
  chainId: number;
  court: `0x${string}`;
  disputeId: string;
  voter: `0x${string}`;
  support: 0 | 1 | 2;
  salt: Hex;
  commitment: Hex;
  state: RelayedBallotState;
  commitTx?: Hex;
  revealTx?: Hex;
  /** Why a ballot is 'missed', or the last reveal error (it is retried). */
  problem?: string;
  updatedAt: number;
};

export class RelayStoreError extends Error {
  override name = 'RelayStoreError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const WEEK_MS = 7 * 86_400_000;
/** Unfinished entries the store accepts; beyond this the relay refuses new ballots. */
export const MAX_PENDING_BALLOTS = 10_000;

export const keyOf = (b: Pick<RelayedBallot, 'chainId' | 'court' | 'disputeId' | 'voter'>) =>
  `${b.chainId}:${b.court.toLowerCase()}:${b.disputeId}:${b.voter.toLowerCase()}`;

export function relayStorePath(): string {
  const dir = process.env.UM_PORTAL_DATA_DIR || resolve(process.cwd(), '.data');
  return join(dir, 'relayed-ballots.json');
}

export class RelayStore {
  constructor(readonly path: string = relayStorePath()) {}

  all(): RelayedBallot[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new RelayStoreError(`cannot read the relay store ${this.path}`, { cause: err });
    }
    try {
      const doc = JSON.parse(text) as { version: 1; ballots: RelayedBallot[] };
      return Array.isArray(doc.ballots) ? doc.ballots : [];
    } catch (err) {
      throw new RelayStoreError(`the relay store ${this.path} is not valid JSON`, { cause: err });
    }
  }

  get(key: string): RelayedBallot | undefined {
    return this.all().find((b) => keyOf(b) === key);
  }

  pending(): RelayedBallot[] {
    return this.all().filter((b) => b.state === 'committing' || b.state === 'committed');
  }

  /** Inserts or replaces the ballot with the same chain, court, dispute and voter. */
  put(ballot: RelayedBallot): void {
    const now = Date.now();
    const rest = this.all().filter(
      (b) =>
        keyOf(b) !== keyOf(ballot) &&
        (b.state === 'committing' || b.state === 'committed' || now - b.updatedAt < WEEK_MS),
    );
    const next = [...rest, { ...ballot, updatedAt: now }];
    if (
      next.filter((b) => b.state === 'committing' || b.state === 'committed').length >
      MAX_PENDING_BALLOTS
    )
      throw new RelayStoreError(
        `the relay already holds ${MAX_PENDING_BALLOTS} unrevealed ballots`,
      );
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: 1, ballots: next }, null, 1));
    renameSync(tmp, this.path);
  }
}
