import { describe, expect, it } from 'vitest';
import { devAccountsFor, DevAccountsError } from '../app/lib/dev-accounts.js';

describe('dev-account picker', () => {
  it("offers anvil's well-known accounts on chain 31337", () => {
    const accounts = devAccountsFor(31337, 3);
    expect(accounts.map((a) => a.address)).toEqual([
      '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
      '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
      '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
    ]);
  });

  it('offers nothing on any other chain', () => {
    expect(devAccountsFor(1)).toEqual([]);
    expect(devAccountsFor(11155111)).toEqual([]);
  });

  it('can sign with the picked account', async () => {
    const [first] = devAccountsFor(31337, 1);
    const sig = await first!.account.signMessage({ message: 'vote' });
    expect(sig).toMatch(/^0x[0-9a-f]{130}$/);
  });

  it('rejects absurd counts', () => {
    expect(() => devAccountsFor(31337, 0)).toThrowError(DevAccountsError);
  });
});
