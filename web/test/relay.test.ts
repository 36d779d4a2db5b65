import { describe, expect, it } from 'vitest';
import { parseSignedBallot, RelayInputError } from '../app/lib/relay.server.js';

const voter = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const signature = `0x${'ab'.repeat(65)}`;

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

describe('parseSignedBallot', () => {
  it('reads a signed ballot from the posted form', () => {
    const b = parseSignedBallot(form({ support: '0', voter, signature, reason: 'bad step' }), '3');
    expect(b).toEqual({ disputeId: 3n, support: 0, voter, reason: 'bad step', signature });
  });

  it.each([
    [{ support: '3', voter, signature }, /support must be/],
    [{ support: '1', voter: '0x1234', signature }, /voter must be an address/],
    [{ support: '1', voter, signature: '0xabc' }, /signature must be/],
    [{ support: '1', signature }, /voter is missing/],
    [{ support: '1', voter, signature, reason: 'x'.repeat(501) }, /reason must be at most/],
  ])('refuses bad input with a RelayInputError naming the field (%#)', (fields, message) => {
    expect(() => parseSignedBallot(form(fields), '1')).toThrow(RelayInputError);
    expect(() => parseSignedBallot(form(fields), '1')).toThrow(message);
  });

  it('refuses a dispute id that is not a number', () => {
    expect(() => parseSignedBallot(form({ support: '1', voter, signature }), 'x')).toThrow(
      /disputeId/,
    );
  });
});
