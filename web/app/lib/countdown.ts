/** Human countdowns for challenge windows and voting deadlines ("2d 4h left", "ended 5m ago"). */
export type Countdown = { ended: boolean; text: string; secondsLeft: number };

function span(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  const sec = s % 60;
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return sec > 0 && m < 10 ? `${m}m ${sec}s` : `${m}m`;
  return `${sec}s`;
}

/** `deadline` and `now` in unix seconds (chain time). */
export function formatCountdown(deadline: number, now: number): Countdown {
  const secondsLeft = deadline - now;
  if (secondsLeft > 0) return { ended: false, text: `${span(secondsLeft)} left`, secondsLeft };
  if (secondsLeft === 0) return { ended: true, text: 'ends now', secondsLeft };
  return { ended: true, text: `ended ${span(-secondsLeft)} ago`, secondsLeft };
}

/**
 * What a round's challenge window is, from its status: it opens with the submission, so a round
 * that is only claimed (or whose lease expired) has none yet, rather than a "closed" one.
 */
export type ChallengeWindowState = 'open' | 'not-open' | 'challenged' | 'closed' | 'none';

export function challengeWindowState(status: string): ChallengeWindowState {
  switch (status) {
    case 'Submitted':
      return 'open';
    case 'Claimed':
      return 'not-open';
    case 'Challenged':
      return 'challenged';
    case 'Expired':
      return 'none';
    default:
      return 'closed';
  }
}

export const CHALLENGE_WINDOW_TEXT: Record<Exclude<ChallengeWindowState, 'open'>, string> = {
  'not-open': 'opens on submission',
  challenged: 'challenged',
  closed: 'closed',
  none: 'never opened (lease expired)',
};
