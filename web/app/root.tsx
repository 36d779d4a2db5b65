import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import {
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react';
import { useState, type ReactNode } from 'react';
import { cacheExchange, Client, fetchExchange, Provider as UrqlProvider } from 'urql';
import { ErrorView } from './components/ErrorView.js';
import { LiveStatus } from './components/LiveStatus.js';
import { ThemeToggle } from './components/ThemeToggle.js';
import { parseTheme, type Theme } from './lib/theme.js';
import stylesHref from './styles/app.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesHref },
  { rel: 'icon', href: '/favicon.ico', type: 'image/svg+xml' },
];

export async function loader({ request }: LoaderFunctionArgs) {
  return json({ theme: parseTheme(request.headers.get('cookie')) });
}

const NAV: Array<[string, string]> = [
  ['/', 'Overview'],
  ['/runs', 'Runs'],
  ['/disputes', 'Disputes'],
  ['/tasks', 'Market'],
  ['/operators', 'Operators'],
  ['/voters', 'Voters'],
  ['/graphql', 'GraphQL'],
];

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>('root');
  const theme: Theme = data?.theme ?? 'system';
  // The browser's live queries go through the portal's own /api/graphql proxy (same origin).
  const [client] = useState(
    () =>
      new Client({
        url: '/api/graphql',
        exchanges: [cacheExchange, fetchExchange],
        preferGetMethod: false,
      }),
  );
  return (
    <html lang="en" data-theme={theme === 'system' ? undefined : theme}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <Meta />
        <Links />
      </head>
      <body>
        <UrqlProvider value={client}>
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <header className="site-header">
            <NavLink to="/" className="brand" end>
              Unstoppable Models
            </NavLink>
            <nav aria-label="Main">
              <ul>
                {NAV.map(([to, label]) => (
                  <li key={to}>
                    <NavLink to={to} end={to === '/'}>
                      {label}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </nav>
            <div className="header-tools">
              <LiveStatus />
              <ThemeToggle theme={theme} />
            </div>
          </header>
          <main id="main">{children}</main>
        </UrqlProvider>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <ErrorView error={useRouteError()} />;
}
