import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keccak256, recoverTypedDataAddress, toHex, type Address, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import {
  BallotError,
  ballotCommitDigest,
  ballotCommitment,
  ballotCommitTypedData,
  Support,
} from '../src/index.js';
import { buildBallotVector, type BallotVector } from './vectors/ballot-vector.js';

const file = join(dirname(fileURLToPath(import.meta.url)), 'vectors', 'ballot.json');
const committed = JSON.parse(readFileSync(file, 'utf8')) as BallotVector;
const court: Address = '0x00000000000000000000000000000000c0ffee01';
const voter: Address = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const salt: Hex = keccak256(toHex('salt'));

describe('EIP-712 BallotCommit of DisputeCourt v2', () => {
  it('reproduces the committed vector and the signature recovers the voter', async () => {
    expect(committed).toEqual(await buildBallotVector());
    const typed = ballotCommitTypedData({
      chainId: committed.chainId,
      court: committed.court,
      ballot: {
        disputeId: BigInt(committed.disputeId),
        voter: committed.voter,
        commitment: committed.commitment,
      },
    });
    await expect(
      recoverTypedDataAddress({ ...typed, signature: committed.signature }),
    ).resolves.toBe(committed.voter);
  });

  it('has the contract type string and domain', () => {
    const typed = ballotCommitTypedData({
      chainId: 1,
      court,
      ballot: { disputeId: 1n, voter, commitment: salt },
    });
    const fields = typed.types.BallotCommit.map((field) => `${field.type} ${field.name}`);
    expect(`BallotCommit(${fields.join(',')})`).toBe(
      'BallotCommit(uint256 disputeId,address voter,bytes32 commitment)',
    );
    expect(typed.domain).toEqual({
      name: 'UM DisputeCourt',
      version: '2',
      chainId: 1,
      verifyingContract: court,
    });
  });

  it('binds every field: another dispute, voter, commitment, chain or court signs another digest', () => {
    const ballot = { disputeId: 1n, voter, commitment: salt };
    const base = ballotCommitDigest({ chainId: 31337, court, ballot });
    const others = [
      ballotCommitDigest({ chainId: 31337, court, ballot: { ...ballot, disputeId: 2n } }),
      ballotCommitDigest({ chainId: 31337, court, ballot: { ...ballot, voter: court } }),
      ballotCommitDigest({
        chainId: 31337,
        court,
        ballot: { ...ballot, commitment: keccak256(salt) },
      }),
      ballotCommitDigest({ chainId: 1, court, ballot }),
      ballotCommitDigest({ chainId: 31337, court: voter, ballot }),
    ];
    expect(new Set([base, ...others]).size).toBe(6);
  });

  it('commitments hide the choice behind the salt and differ per support, voter and dispute', () => {
    const fraud = ballotCommitment(1n, voter, Support.Fraud, salt);
    expect(fraud).toMatch(/^0x[0-9a-f]{64}$/);
    expect(ballotCommitment(1n, voter, Support.Valid, salt)).not.toBe(fraud);
    expect(ballotCommitment(1n, court, Support.Fraud, salt)).not.toBe(fraud);
    expect(ballotCommitment(2n, voter, Support.Fraud, salt)).not.toBe(fraud);
    expect(ballotCommitment(1n, voter, Support.Fraud, keccak256(salt))).not.toBe(fraud);
  });

  it('rejects malformed ballots with a BallotError', () => {
    expect(() => ballotCommitment(1n, voter, 3 as Support, salt)).toThrow(BallotError);
    expect(() => ballotCommitment(0n, voter, Support.Fraud, salt)).toThrow(/start at 1/);
    expect(() => ballotCommitment(1n, voter, Support.Fraud, '0x1234')).toThrow(/salt/);
    expect(() =>
      ballotCommitTypedData({
        chainId: 1,
        court,
        ballot: { disputeId: 1n, voter, commitment: `0x${'0'.repeat(64)}` },
      }),
    ).toThrow(/zero commitment/);
  });
});
