/**
 * Portal benchmark (`npm run bench -w web`): `/runs/:id` of a long run, this portal side by side
 * with a baseline build of an older commit, in one process and one data set.
 *
 * - server render: loader + React SSR + HTML, and the GraphQL requests one render sends;
 * - browser (Chromium): navigation start to chart drawn, and HTML received to chart drawn;
 * - zoom (this portal): submit a step range, wait for the chart of that range.
 *
 * The data comes from the test fixture GraphQL server (in-memory, graph-node-shaped), so the
 * numbers isolate the portal; the indexer's own query latency is benchmarked in indexer/.
 *
 *   BENCH_STEPS=100000 BENCH_RUNS=5 BENCH_BASELINE_REV=d995dfe npm run bench -w web
 *
 * BENCH_BASELINE_REV (default d995dfe, the last commit reading the whole curve) is extracted with
 * `git archive` into a temporary directory beside node_modules and built once; BENCH_BASELINE_REV=
 * (empty) skips the baseline. Prints a Markdown table for docs/performance.md.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type BrowserContext } from 'playwright-core';
import {
  startFixtureGraphqlServer,
  type FixtureGraphqlServer,
} from '../test/fixtures/fixture-server.js';
import { BIG_RUN, portalFixture } from '../test/fixtures/portal-fixture.js';
import { CHROMIUM_ARGS, findChromium } from '../test/browser/chromium.js';
import { startPortal, WEB_DIR, type PortalServer } from '../test/browser/portal-server.js';

const STEPS = Number(process.env.BENCH_STEPS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BASELINE_REV = process.env.BENCH_BASELINE_REV ?? 'd995dfe';
const REPO = join(WEB_DIR, '..');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number | undefined) => (x === undefined ? '—' : `${x.toFixed(0)} ms`);
const log = (s: string) => process.stderr.write(`${s}\n`);

/** Extracts web/ at `rev` next to this checkout's node_modules and builds it (once per rev). */
function baselineWebDir(rev: string): string {
  const sha = execFileSync('git', ['rev-parse', '--short', rev], { cwd: REPO }).toString().trim();
  const root = join(tmpdir(), `um-portal-baseline-${sha}`);
  const web = join(root, 'web');
  if (existsSync(join(web, 'build/server/index.js'))) return web;
  mkdirSync(root, { recursive: true });
  log(`baseline: extracting web/ at ${sha} into ${root} and building it…`);
  const archive = spawnSync('git', ['archive', sha, 'web', 'tsconfig.base.json', 'package.json'], {
    cwd: REPO,
    maxBuffer: 1 << 28,
  });
  if (archive.status !== 0) throw new Error(`git archive ${sha} failed: ${archive.stderr}`);
  const untar = spawnSync('tar', ['-x', '-C', root], { input: archive.stdout });
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
  if (!existsSync(join(root, 'node_modules')))
    symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  const cli = createRequire(import.meta.url).resolve('@remix-run/dev/dist/cli.js');
  const build = spawnSync(process.execPath, [cli, 'vite:build'], { cwd: web, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`building the baseline failed (${build.status})`);
  return web;
}

type Result = {
  render?: number;
  requests?: number;
  htmlBytes?: number;
  drawn?: number;
  afterHtml?: number;
  zoomWide?: number;
  zoomNarrow?: number;
};

async function measure(
  label: string,
  portal: PortalServer,
  gql: FixtureGraphqlServer,
  context: BrowserContext,
  withZoom: boolean,
): Promise<Result> {
  const url = `${portal.url}/runs/${BIG_RUN}`;
  const renders: number[] = [];
  let htmlBytes = 0;
  let requests = 0;
  for (let i = 0; i <= RUNS; i++) {
    const before = gql.requests;
    const t = performance.now();
    const res = await fetch(url);
    const html = await res.text();
    if (res.status !== 200) throw new Error(`${label}: HTTP ${res.status}`);
    htmlBytes = html.length;
    requests = gql.requests - before;
    if (i > 0) renders.push(performance.now() - t);
    log(`  ${label} server render ${i}/${RUNS}: ${ms(performance.now() - t)}, ${requests} queries`);
  }
  const draws: number[] = [];
  const afterHtml: number[] = [];
  const wide: number[] = [];
  const narrow: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForSelector('#loss-chart .loss-raw path.recharts-line-curve', {
      timeout: 180_000,
    });
    const [drawnAt, responseEnd] = await page.evaluate(() => [
      performance.now(),
      (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).responseEnd,
    ]);
    if (i > 0) {
      draws.push(drawnAt);
      afterHtml.push(drawnAt - responseEnd);
    }
    log(
      `  ${label} chart drawn ${i}/${RUNS}: ${ms(drawnAt)} (${ms(drawnAt - responseEnd)} after the HTML)`,
    );
    if (withZoom) {
      // A different range each time, so nothing is served from a cache: a tenth of the run
      // (round resolution) and 1,000 steps (every step).
      for (const [span, out] of [
        [Math.floor(STEPS / 10), wide],
        [1000, narrow],
      ] as const) {
        const from = 1 + Math.floor(((i * 7919 + span) % STEPS) / 2);
        const to = from + span - 1;
        const t = await page.evaluate(() => performance.now());
        await page.getByLabel('Zoom from step').fill(String(from));
        await page.getByLabel('Zoom to step').fill(String(to));
        await page.getByRole('button', { name: 'Zoom' }).click();
        await page.waitForFunction(
          (f) => {
            const el = document.querySelector('#loss-chart');
            return (
              el?.getAttribute('data-from') === String(f) &&
              !el.hasAttribute('data-loading') &&
              !!el.querySelector('.loss-raw path.recharts-line-curve')
            );
          },
          from,
          { timeout: 60_000 },
        );
        const took = (await page.evaluate(() => performance.now())) - t;
        if (i > 0) out.push(took);
        log(`  ${label} zoom to ${span} steps ${i}/${RUNS}: ${ms(took)}`);
      }
    }
    await page.close();
  }
  return {
    render: median(renders),
    requests,
    htmlBytes,
    drawn: median(draws),
    afterHtml: median(afterHtml),
    zoomWide: wide.length ? median(wide) : undefined,
    zoomNarrow: narrow.length ? median(narrow) : undefined,
  };
}

async function main() {
  const baselineDir = BASELINE_REV ? baselineWebDir(BASELINE_REV) : null;
  log(`portal bench: fixture with a ${STEPS.toLocaleString('en')}-step run…`);
  const gql = await startFixtureGraphqlServer(portalFixture({ bigRunSteps: STEPS }));
  const profile = mkdtempSync(join(tmpdir(), 'um-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChromium(log),
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  const load = [loadavg()[0]!];
  const results: Array<[string, Result]> = [];
  try {
    if (baselineDir) {
      const old = await startPortal({ UM_GRAPHQL_URL: gql.url }, { webDir: baselineDir });
      try {
        results.push([
          `baseline (${BASELINE_REV})`,
          await measure('baseline', old, gql, context, false),
        ]);
      } finally {
        await old.close();
      }
      load.push(loadavg()[0]!);
    }
    const portal = await startPortal({ UM_GRAPHQL_URL: gql.url });
    try {
      results.push(['this portal', await measure('new', portal, gql, context, true)]);
    } finally {
      await portal.close();
    }
    load.push(loadavg()[0]!);
  } finally {
    await context.close();
    await gql.close();
    rmSync(profile, { recursive: true, force: true });
  }

  const cols = results.map(([name]) => name);
  console.log(`| ${STEPS.toLocaleString('en')} steps, median of ${RUNS} | ${cols.join(' | ')} |`);
  console.log(`|---|${cols.map(() => '---:').join('|')}|`);
  const row = (name: string, f: (r: Result) => string) =>
    console.log(`| ${name} | ${results.map(([, r]) => f(r)).join(' | ')} |`);
  row('server render of /runs/:id', (r) => ms(r.render));
  row('GraphQL requests per render', (r) => String(r.requests ?? '—'));
  row('HTML size', (r) => `${((r.htmlBytes ?? 0) / 1e3).toFixed(0)} kB`);
  row('browser: navigation start to chart drawn', (r) => ms(r.drawn));
  row('browser: HTML received to chart drawn', (r) => ms(r.afterHtml));
  row(`zoom to ${Math.floor(STEPS / 10).toLocaleString('en')} steps (round resolution)`, (r) =>
    ms(r.zoomWide),
  );
  row('zoom to 1,000 steps (every step)', (r) => ms(r.zoomNarrow));
  console.log(
    `\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, Chromium headless; load average ${load.map((l) => l.toFixed(1)).join(' → ')}.`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
