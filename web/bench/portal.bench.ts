/**
 * Portal benchmark (`npm run bench -w web`): server render time of /runs/:id with a 100k-step loss
 * curve, and the client chart render time in Chromium. The data comes from the test fixture GraphQL
 * server (an in-memory graph-node-shaped API), so the numbers isolate the portal; the indexer's own
 * query latency is benchmarked in indexer/. Prints a Markdown table for docs/performance.md.
 */
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startFixtureGraphqlServer } from '../test/fixtures/fixture-server.js';
import { BIG_RUN, portalFixture } from '../test/fixtures/portal-fixture.js';
import { CHROMIUM_ARGS, findChromium } from '../test/browser/chromium.js';
import { startPortal } from '../test/browser/portal-server.js';
import { fetchLossCurve } from '../app/graphql/curve.server.js';

const STEPS = Number(process.env.BENCH_STEPS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(0)} ms`;
const log = (s: string) => process.stderr.write(`${s}\n`);

async function main() {
  log(`portal bench: fixture with a ${STEPS}-step run…`);
  const gql = await startFixtureGraphqlServer(portalFixture({ bigRunSteps: STEPS }));
  const portal = await startPortal({ UM_GRAPHQL_URL: gql.url });
  const profile = mkdtempSync(join(tmpdir(), 'um-bench-chromium-'));
  try {
    const url = `${portal.url}/runs/${BIG_RUN}`;
    // 1. GraphQL reads alone (the loader's curve fetch: 101 windows, 6 in parallel).
    const reads: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const t = performance.now();
      const rows = await fetchLossCurve(BIG_RUN, BigInt(STEPS), { url: gql.url });
      if (rows.length !== STEPS) throw new Error(`expected ${STEPS} steps, read ${rows.length}`);
      if (i > 0) reads.push(performance.now() - t);
      log(`  curve read ${i}/${RUNS}: ${ms(performance.now() - t)}`);
    }
    // 2. Full server render (loader + React SSR + HTML), first run is warm-up.
    const renders: number[] = [];
    let htmlBytes = 0;
    for (let i = 0; i <= RUNS; i++) {
      const t = performance.now();
      const res = await fetch(url);
      const html = await res.text();
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      htmlBytes = html.length;
      if (i > 0) renders.push(performance.now() - t);
      log(`  server render ${i}/${RUNS}: ${ms(performance.now() - t)}`);
    }
    // 3. Client: navigation start -> chart SVG drawn; then a smoothing change (EMA + LTTB + redraw).
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: findChromium(log),
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    const draws: number[] = [];
    const resmooth: number[] = [];
    const clientOnly: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'commit' });
      await page.waitForSelector('#loss-chart .loss-raw path.recharts-line-curve', {
        timeout: 120_000,
      });
      const [drawnAt, responseEnd] = await page.evaluate(() => [
        performance.now(),
        (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).responseEnd,
      ]);
      const before = await page
        .locator('.loss-smoothed path.recharts-line-curve')
        .getAttribute('d');
      const t = performance.now();
      await page.locator('input[name="smoothing"]').evaluate((el) => {
        const input = el as HTMLInputElement;
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(
          input,
          '0.9',
        );
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await page.waitForFunction(
        (prev) =>
          document.querySelector('.loss-smoothed path.recharts-line-curve')?.getAttribute('d') !==
          prev,
        before,
      );
      if (i > 0) {
        draws.push(drawnAt);
        clientOnly.push(drawnAt - responseEnd);
        resmooth.push(performance.now() - t);
      }
      log(
        `  chart drawn ${i}/${RUNS}: ${ms(drawnAt)} after navigation start (${ms(drawnAt - responseEnd)} after the HTML arrived); re-smoothing ${ms(performance.now() - t)}`,
      );
      await page.close();
    }
    await context.close();

    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    console.log(`| measurement (${STEPS.toLocaleString('en')} steps, median of ${RUNS}) | time |`);
    console.log('|---|---|');
    console.log(
      `| loss curve read from GraphQL (${Math.ceil((STEPS + 1) / 1000)} windowed queries, 6 in parallel) | ${ms(median(reads))} |`,
    );
    console.log(
      `| server render of /runs/:id (HTML ${(htmlBytes / 1e6).toFixed(1)} MB) | ${ms(median(renders))} |`,
    );
    console.log(
      `| browser: navigation start to chart drawn (1,500 points per line) | ${ms(median(draws))} |`,
    );
    console.log(
      `| browser: HTML received to chart drawn (parse, hydrate, LTTB, SVG) | ${ms(median(clientOnly))} |`,
    );
    console.log(
      `| browser: change smoothing (EMA over all steps + LTTB + redraw) | ${ms(median(resmooth))} |`,
    );
    console.log(
      `\nMachine: ${cpus().length} × ${cpu}, Node ${process.version}, Chromium headless.`,
    );
  } finally {
    await portal.close();
    await gql.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
