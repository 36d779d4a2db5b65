import { describe, expect, it } from 'vitest';
import { formatCountdown } from '../app/lib/countdown.js';

describe('countdown formatting', () => {
  const now = 1_700_000_000;
  it('shows the two largest units while time is left', () => {
    expect(formatCountdown(now + 2 * 86_400 + 4 * 3_600 + 59, now)).toEqual({
      ended: false,
      text: '2d 4h left',
      secondsLeft: 187_259,
    });
    expect(formatCountdown(now + 3_600 * 5, now).text).toBe('5h left');
    expect(formatCountdown(now + 125, now).text).toBe('2m 5s left');
    expect(formatCountdown(now + 45 * 60, now).text).toBe('45m left');
    expect(formatCountdown(now + 9, now).text).toBe('9s left');
  });
  it('says when the deadline has passed', () => {
    expect(formatCountdown(now, now)).toMatchObject({ ended: true, text: 'ends now' });
    expect(formatCountdown(now - 300, now)).toMatchObject({ ended: true, text: 'ended 5m ago' });
    expect(formatCountdown(now - 90_000, now).text).toBe('ended 1d 1h ago');
  });
});
