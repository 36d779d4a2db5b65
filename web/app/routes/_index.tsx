import type { MetaFunction } from '@remix-run/node';

export const meta: MetaFunction = () => [{ title: 'Unstoppable Models' }];

export default function Index() {
  return (
    <main>
      <h1>Unstoppable Models</h1>
      <p>Public models, trained in the open, verified by anyone.</p>
    </main>
  );
}
