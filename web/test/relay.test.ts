import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ballotCommitment } from '@um/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { RelayStore, RelayStoreError, type RelayedBallot } from '../app/lib/relay-store.server.js';
import { parseSignedCommit, relayedBallotOf, RelayInputError } from '../app/lib/relay.server.js';

const voter = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const court = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const signature = `0x${'ab'.repeat(65)}`;
const salt = `0x${'11'.repeat(32)}` as const;

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

describe('parseSignedCommit', () => {
  it('reads a signed ballot commit and derives its commitment from support and salt', () => {
    const b = parseSignedCommit(form({ support: '0', voter, salt, signature }), '3');
    expect(b).toEqual({
      disputeId: 3n,
      support: 0,
      voter,
      salt,
      signature,
      commitment: ballotCommitment(3n, voter, 0, salt),
    });
  });

  it.each([
    [{ support: '3', voter, salt, signature }, /support must be/],
    [{ support: '1', voter: '0x1234', salt, signature }, /voter must be an address/],
    [{ support: '1', voter, salt, signature: '0xabc' }, /signature must be/],
    [{ support: '1', voter, salt: '0x12', signature }, /salt must be 32 bytes/],
    [{ support: '1', salt, signature }, /voter is missing/],
    [
      { support: '1', voter, salt, signature, commitment: ballotCommitment(1n, voter, 0, salt) },
      /commitment does not match/,
    ],
  ])('refuses bad input with a RelayInputError naming the field (%#)', (fields, message) => {
    expect(() => parseSignedCommit(form(fields), '1')).toThrow(RelayInputError);
    expect(() => parseSignedCommit(form(fields), '1')).toThrow(message);
  });

  it('refuses a dispute id that is not a number', () => {
    expect(() => parseSignedCommit(form({ support: '1', voter, salt, signature }), 'x')).toThrow(
      /disputeId/,
    );
  });
});

describe('the relay store', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });
  const ballot = (over: Partial<RelayedBallot> = {}): RelayedBallot => ({
    chainId: 31337,
    court,
    disputeId: '4',
    voter,
    support: 1,
    salt,
    commitment: ballotCommitment(4n, voter, 1, salt),
    state: 'committing',
    updatedAt: 0,
    ...over,
  });

  it('survives a restart: a new store on the same file sees the pending salt', () => {
    dir = mkdtempSync(join(tmpdir(), 'um-relay-'));
    const path = join(dir, 'sub', 'relayed-ballots.json');
    new RelayStore(path).put(ballot());
    new RelayStore(path).put(ballot({ disputeId: '5', state: 'committed' }));
    const reopened = new RelayStore(path);
    expect(reopened.pending().map((b) => [b.disputeId, b.state, b.salt])).toEqual([
      ['4', 'committing', salt],
      ['5', 'committed', salt],
    ]);
    reopened.put(ballot({ state: 'revealed' }));
    expect(new RelayStore(path).pending().map((b) => b.disputeId)).toEqual(['5']);
  });

  it('never shows the salt or the hidden choice to the page', () => {
    dir = mkdtempSync(join(tmpdir(), 'um-relay-'));
    const store = new RelayStore(join(dir, 'b.json'));
    store.put(ballot({ state: 'committed', commitTx: `0x${'cd'.repeat(32)}` }));
    const seen = relayedBallotOf(
      { chainId: 31337, rpcUrl: '', token: null, court, problem: null },
      '4',
      voter.toLowerCase(),
      store,
    );
    expect(seen).toEqual({
      state: 'committed',
      commitTx: `0x${'cd'.repeat(32)}`,
      revealTx: undefined,
      problem: undefined,
    });
    expect(JSON.stringify(seen)).not.toContain(salt.slice(2));
  });

  it('says so when the file is corrupt instead of losing ballots silently', () => {
    dir = mkdtempSync(join(tmpdir(), 'um-relay-'));
    const path = join(dir, 'b.json');
    new RelayStore(path).put(ballot());
    expect(readFileSync(path, 'utf8')).toContain(salt);
    writeFileSync(path, '{not json');
    expect(() => new RelayStore(path).all()).toThrow(RelayStoreError);
  });
});
