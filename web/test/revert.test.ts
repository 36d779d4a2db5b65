import { describe, expect, it } from 'vitest';
import {
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  encodeErrorResult,
  parseAbi,
  UserRejectedRequestError,
  type Abi,
} from 'viem';
import { decodeRevert } from '../app/lib/revert.js';

// The DisputeCourt's errors as the contracts branch declares them; replaced by the generated ABI
// from '@um/protocol' once the contracts land (see docs/portal.md).
const abi = parseAbi([
  'error VotingClosed(uint256 disputeId, uint64 deadline)',
  'error AlreadyVoted(uint256 disputeId, address voter)',
  'error NoVotingPower(address voter, uint256 snapshotBlock)',
  'function castVote(uint256 disputeId, uint8 support)',
]) as Abi;

function revertedCall(data: `0x${string}`) {
  const cause = new ContractFunctionRevertedError({ abi, data, functionName: 'castVote' });
  return new ContractFunctionExecutionError(cause, {
    abi,
    functionName: 'castVote',
    args: [1n, 0],
  });
}

describe('decoding contract reverts', () => {
  it('names a custom error and its arguments', () => {
    const data = encodeErrorResult({
      abi,
      errorName: 'NoVotingPower',
      args: ['0x70997970C51812dc3A010C7d01b50e0d17dc79C8', 42n],
    });
    expect(decodeRevert(revertedCall(data), abi)).toEqual({
      kind: 'custom',
      errorName: 'NoVotingPower',
      args: ['0x70997970C51812dc3A010C7d01b50e0d17dc79C8', 42n],
      message: 'NoVotingPower(0x70997970C51812dc3A010C7d01b50e0d17dc79C8, 42)',
    });
  });

  it('decodes raw JSON-RPC error data too (an EIP-1193 provider error)', () => {
    const data = encodeErrorResult({ abi, errorName: 'VotingClosed', args: [7n, 1_700_000_000n] });
    const rpcError = { code: 3, message: 'execution reverted', data };
    expect(decodeRevert(rpcError, abi)).toMatchObject({
      kind: 'custom',
      errorName: 'VotingClosed',
      args: [7n, 1_700_000_000n],
    });
  });

  it('reads require() strings and panics', () => {
    const reason = encodeErrorResult({
      abi: parseAbi(['error Error(string)']),
      errorName: 'Error',
      args: ['not open'],
    });
    expect(decodeRevert({ data: reason }, abi)).toEqual({ kind: 'reason', message: 'not open' });
    const panic = encodeErrorResult({
      abi: parseAbi(['error Panic(uint256)']),
      errorName: 'Panic',
      args: [0x11n],
    });
    expect(decodeRevert({ data: panic }, abi)).toMatchObject({
      kind: 'panic',
      code: 0x11,
      message: expect.stringContaining('overflow'),
    });
  });

  it('recognises a wallet rejection', () => {
    const err = new UserRejectedRequestError(new Error('User denied transaction signature'));
    expect(decodeRevert(err, abi).kind).toBe('rejected');
    expect(decodeRevert({ code: 4001, message: 'denied' }, abi).kind).toBe('rejected');
  });

  it('says so when an error selector is not in the ABI', () => {
    expect(decodeRevert({ data: '0xdeadbeef' }, abi)).toMatchObject({
      kind: 'unknown',
      message: expect.stringContaining('0xdeadbeef'),
    });
  });
});
