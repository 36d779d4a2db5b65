/** The colour theme: 'system' follows prefers-color-scheme; 'light' and 'dark' are explicit picks. */
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
export const THEME_COOKIE = 'um_theme';

export function parseTheme(cookieHeader: string | null): Theme {
  const m = /(?:^|;\s*)um_theme=(system|light|dark)(?:;|$)/.exec(cookieHeader ?? '');
  return (m?.[1] as Theme | undefined) ?? 'system';
}

export function themeCookie(theme: Theme): string {
  return `${THEME_COOKIE}=${theme}; Path=/; Max-Age=31536000; SameSite=Lax`;
}

/** The toggle cycles through explicit choices; from 'system' it goes to the opposite of what is shown. */
export function nextTheme(current: Theme, systemPrefersDark: boolean): Theme {
  const shownDark = current === 'dark' || (current === 'system' && systemPrefersDark);
  return shownDark ? 'light' : 'dark';
}
