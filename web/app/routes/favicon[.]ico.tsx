/**
 * /favicon.ico: browsers (and curl, crawlers) ask for it on every first visit; without a route it
 * was a 404 with a stack trace in the server log per page view. Served as a small SVG (Chromium
 * and Firefox accept SVG here; the layout also links it as image/svg+xml), cached for a day.
 */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1f3a68"/><path d="M5 24 L11 12 L16 18 L21 8 L27 20" fill="none" stroke="#9fd3ff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

export function loader() {
  return new Response(FAVICON_SVG, {
    headers: {
      'content-type': 'image/svg+xml',
      'cache-control': 'public, max-age=86400',
    },
  });
}
