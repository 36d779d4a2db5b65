import type { ActionFunctionArgs } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { THEMES, themeCookie, type Theme } from '../lib/theme.js';

/** Saves the theme choice in a cookie; a no-JS form post is redirected back to where it came from. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const theme = String(form.get('theme'));
  if (!(THEMES as readonly string[]).includes(theme)) {
    return json({ error: `theme must be one of ${THEMES.join(', ')}` }, { status: 400 });
  }
  const headers = { 'set-cookie': themeCookie(theme as Theme) };
  const back = request.headers.get('referer');
  const sameOrigin = back && new URL(back).origin === new URL(request.url).origin;
  if (request.headers.get('accept')?.includes('text/html') && sameOrigin)
    return redirect(back, { headers });
  return json({ theme }, { headers });
}
