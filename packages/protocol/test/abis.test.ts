import { decodeFunctionData, encodeFunctionData } from 'viem';
import { describe, expect, it } from 'vitest';
import * as abis from '../src/abis/index.js';

describe('generated ABIs', () => {
  it('exports one typed ABI per contract in contracts/src', () => {
    expect(Object.keys(abis)).toContain('umTokenAbi');
    const names = abis.umTokenAbi
      .filter((item) => item.type === 'function')
      .map((item) => item.name);
    expect(names).toEqual(
      expect.arrayContaining(['delegate', 'getPastVotes', 'permit', 'transfer']),
    );
  });

  it('round-trips calldata through viem with the generated types', () => {
    const data = encodeFunctionData({
      abi: abis.umTokenAbi,
      functionName: 'getPastVotes',
      args: ['0x5FbDB2315678afecb367f032d93F642f64180aa3', 42n],
    });
    // selector of getPastVotes(address,uint256)
    expect(data.slice(0, 10)).toBe('0x3a46b1a8');
    const decoded = decodeFunctionData({ abi: abis.umTokenAbi, data });
    expect(decoded.functionName).toBe('getPastVotes');
    expect(decoded.args).toEqual(['0x5FbDB2315678afecb367f032d93F642f64180aa3', 42n]);
  });
});
