import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recoverTypedDataAddress, type Address } from 'viem';
import { describe, expect, it } from 'vitest';
import { BallotError, ballotDigest, ballotTypedData, Support } from '../src/index.js';
import { buildBallotVector, type BallotVector } from './vectors/ballot-vector.js';

const file = join(dirname(fileURLToPath(import.meta.url)), 'vectors', 'ballot.json');
const committed = JSON.parse(readFileSync(file, 'utf8')) as BallotVector;
const court: Address = '0x00000000000000000000000000000000c0ffee01';

describe('EIP-712 ballot of DisputeCourt.castVoteBySig', () => {
  it('signs the committed vector that the contract accepts (BallotVector.t.sol)', async () => {
    expect(committed).toEqual(await buildBallotVector());
    const ballot = {
      disputeId: BigInt(committed.disputeId),
      support: Support.Fraud,
      voter: committed.voter,
      nonce: BigInt(committed.nonce),
      reason: committed.reason,
    };
    const typed = ballotTypedData({ chainId: committed.chainId, court: committed.court, ballot });
    await expect(
      recoverTypedDataAddress({ ...typed, signature: committed.signature }),
    ).resolves.toBe(committed.voter);
  });

  it('matches the contract type hash and domain layout', () => {
    // the exact string hashed into DisputeCourt.BALLOT_TYPEHASH
    const typeString =
      'Ballot(uint256 disputeId,uint8 support,address voter,uint256 nonce,string reason)';
    const fields = ballotTypedData({
      chainId: 1,
      court,
      ballot: { disputeId: 1n, support: 0, voter: court, nonce: 0n, reason: '' },
    }).types.Ballot.map((field) => `${field.type} ${field.name}`);
    expect(`Ballot(${fields.join(',')})`).toBe(typeString);
  });

  it('binds every field: a different nonce, support, chain or court gives another digest', () => {
    const ballot = { disputeId: 1n, support: Support.Valid, voter: court, nonce: 0n, reason: 'r' };
    const base = ballotDigest({ chainId: 31337, court, ballot });
    expect(ballotDigest({ chainId: 31337, court, ballot: { ...ballot, nonce: 1n } })).not.toBe(
      base,
    );
    expect(ballotDigest({ chainId: 31337, court, ballot: { ...ballot, support: 2 } })).not.toBe(
      base,
    );
    expect(ballotDigest({ chainId: 1, court, ballot })).not.toBe(base);
    expect(
      ballotDigest({ chainId: 31337, court: '0x0000000000000000000000000000000000000001', ballot }),
    ).not.toBe(base);
  });

  it('rejects malformed ballots with a BallotError', () => {
    const ballot = { disputeId: 1n, support: Support.Valid, voter: court, nonce: 0n, reason: '' };
    expect(() =>
      ballotTypedData({ chainId: 1, court, ballot: { ...ballot, support: 3 as Support } }),
    ).toThrow(BallotError);
    expect(() =>
      ballotTypedData({ chainId: 1, court, ballot: { ...ballot, disputeId: 0n } }),
    ).toThrow(BallotError);
  });
});
