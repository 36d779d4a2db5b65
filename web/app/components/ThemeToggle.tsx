/**
 * Light/dark toggle. Without JavaScript it is a form that sets a cookie (the server then renders the
 * chosen theme); with JavaScript it switches at once and saves the cookie in the background.
 */
import { useFetcher } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { nextTheme, type Theme } from '../lib/theme.js';

export function ThemeToggle({ theme }: { theme: Theme }) {
  const fetcher = useFetcher();
  const [current, setCurrent] = useState<Theme>(theme);
  const [systemDark, setSystemDark] = useState(false);
  useEffect(() => {
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    setSystemDark(mq.matches);
    const onChange = (e: MediaQueryListEvent) => setSystemDark(e.matches);
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, []);
  const next = nextTheme(current, systemDark);
  return (
    <fetcher.Form
      method="post"
      action="/theme"
      onSubmit={(e) => {
        e.preventDefault();
        document.documentElement.dataset.theme = next;
        setCurrent(next);
        fetcher.submit({ theme: next }, { method: 'post', action: '/theme' });
      }}
    >
      <input type="hidden" name="theme" value={next} />
      <button
        type="submit"
        className="theme-toggle"
        aria-label={`Switch to ${next} theme`}
        title={`Switch to ${next} theme`}
      >
        {next === 'dark' ? '☾ Dark' : '☀ Light'}
      </button>
    </fetcher.Form>
  );
}
