/**
 * The portal in a real browser (Debian Chromium via playwright-core), served by remix-serve from
 * the production build, reading a small real GraphQL server that answers the subgraph's API from
 * fixture rows (test/fixtures). The full-stack version (anvil + contracts + indexer) comes with
 * the e2e suite once every part is merged.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startFixtureGraphqlServer,
  type FixtureGraphqlServer,
} from '../fixtures/fixture-server.js';
import {
  BIG_RUN,
  BIG_RUN_SPIKE,
  CHALLENGER,
  lossAt,
  portalFixture,
  SMALL_RUN,
  SPIKE_LOSS,
  T0,
  WORKERS,
} from '../fixtures/portal-fixture.js';
import { CHROMIUM_ARGS, findChromium } from './chromium.js';
import { freePort, startPortal, WEB_DIR, type PortalServer } from './portal-server.js';

const ARTEFACTS = join(WEB_DIR, 'test-results', 'browser');

let gql: FixtureGraphqlServer;
let portal: PortalServer;
let gateway: Server;
let context: BrowserContext;
let profile: string;

beforeAll(async () => {
  mkdirSync(ARTEFACTS, { recursive: true });
  const executablePath = findChromium();
  gql = await startFixtureGraphqlServer(portalFixture());
  gql.store.meta.number = 100;
  gql.store.meta.timestamp = T0 + 3000;
  // A stand-in IPFS gateway with the two documents the pages read: the task's evaluation spec
  // (its metric decides how scores read) and the small run's spec (the config panel).
  const docs: Record<string, unknown> = {
    '/ipfs/bafyeval': { evaluation: { metric: 'accuracy', split: 'test', sampleSize: 30 } },
    '/ipfs/bafyspec': { model: { layers: [4, 8, 3] }, optimizer: { kind: 'sgd', lr: 0.05 } },
  };
  gateway = createServer((req, res) => {
    const doc = docs[req.url ?? ''];
    if (doc) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
  portal = await startPortal({
    UM_GRAPHQL_URL: gql.url,
    UM_DEPLOYMENTS_DIR: join(tmpdir(), 'um-no-deployments'),
    UM_IPFS_GATEWAY: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`,
  });
  profile = mkdtempSync(join(tmpdir(), 'um-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    colorScheme: 'light',
  });
}, 180_000);

afterAll(async () => {
  await context?.close();
  await portal?.close();
  await gql?.close();
  await new Promise((r) => (gateway ? gateway.close(r) : r(undefined)));
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const res = await page.goto(`${portal.url}${path}`, { waitUntil: 'networkidle' });
  expect(res?.status(), `${path} status`).toBe(200);
  expect(errors, 'uncaught page errors').toEqual([]);
  return page;
}

/** Points in an SVG path drawn by recharts with type="linear": one M and one L per further point. */
async function pathPoints(page: Page, selector: string): Promise<number> {
  const d = await page.locator(selector).first().getAttribute('d');
  return (d ?? '').split(/[ML]/).filter((s) => s.trim()).length;
}

describe('portal in Chromium against a fixture subgraph', () => {
  it('draws the run loss curve with every valid step, invalidated steps apart and hideable', async () => {
    const page = await open(`/runs/${SMALL_RUN}`);
    await page.waitForSelector('#loss-chart svg.recharts-surface');
    const chart = page.locator('#loss-chart');
    // 40 rounds x 10 steps valid, plus round 3's rolled-back submission (10 steps).
    await expect.poll(() => chart.getAttribute('data-points-raw')).toBe('400');
    expect(await chart.getAttribute('data-points-invalidated')).toBe('10');
    expect(await pathPoints(page, '.loss-raw path.recharts-line-curve')).toBe(400);
    expect(await pathPoints(page, '.loss-smoothed path.recharts-line-curve')).toBe(400);
    expect(await page.locator('.loss-invalidated .recharts-symbols').count()).toBe(10);
    // 40 round ends would cover a 400-step curve: they are marked only when zoomed in.
    expect(await page.locator('.checkpoints .recharts-symbols').count()).toBe(0);
    // The subgraph records no evaluation scores for training checkpoints, so no overlay is offered.
    expect(await page.getByRole('checkbox', { name: /evaluation accuracy/ }).count()).toBe(0);
    await page.screenshot({ path: join(ARTEFACTS, 'run-page.png'), fullPage: true });

    await page.getByRole('checkbox', { name: /invalidated steps/ }).uncheck();
    await expect.poll(() => page.locator('.loss-invalidated .recharts-symbols').count()).toBe(0);
    await page.getByRole('radio', { name: 'log' }).check();
    await expect.poll(() => chart.getAttribute('data-scale')).toBe('log');
    expect(page.url()).toContain('scale=log');
    await page.close();
  });

  it('reads a 5,000-step run per round with a min/max band that keeps a spike, and zooms to every step', async () => {
    const page = await open(`/runs/${BIG_RUN}`);
    await page.waitForSelector('#loss-chart svg.recharts-surface');
    const chart = page.locator('#loss-chart');
    expect(await chart.getAttribute('data-steps')).toBe('5000');
    expect(await chart.getAttribute('data-resolution')).toBe('rounds');
    // 50 rounds of 100 steps: one point per round, a band from each round's min to its max.
    expect(await pathPoints(page, '.loss-raw path.recharts-line-curve')).toBe(50);
    expect(await page.locator('.loss-band path.recharts-area-area').count()).toBe(1);
    // The one-step spike (loss 5) is inside round 23: its mean hides it, the band's top keeps it.
    const ticks = await page.locator('.recharts-yAxis-tick-labels text').allTextContents();
    expect(Math.max(...ticks.map(Number))).toBeGreaterThanOrEqual(SPIKE_LOSS);
    // Labels share one precision ("0.5, 1.0, …", never "0.90000" beside "1").
    expect(new Set(ticks.map((t) => t.split('.')[1]?.length ?? 0)).size).toBe(1);
    // Hovering shows the exact values of the round under the pointer.
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    const tip = page.locator('.chart-tooltip');
    await expect.poll(() => tip.textContent()).toMatch(/steps [\d,]+–[\d,]+ \(100 steps\)/);
    expect(await tip.textContent()).toMatch(/loss mean \d\.\d+ · min \d\.\d+ · max \d\.\d+/);
    expect(await tip.textContent()).toContain('UTC');
    await page.screenshot({ path: join(ARTEFACTS, 'run-overview-band.png'), fullPage: true });

    // Drag across the middle tenth of the chart: the loader reads that range step by step.
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5, { steps: 5 });
    await page.mouse.up();
    await page.waitForURL(/from=\d+&to=\d+/);
    await expect.poll(() => chart.getAttribute('data-resolution')).toBe('steps');
    const from = Number(await chart.getAttribute('data-from'));
    const to = Number(await chart.getAttribute('data-to'));
    expect(to - from).toBeGreaterThan(100);
    expect(to - from).toBeLessThan(2000);
    await page.waitForSelector('#loss-chart .loss-raw path.recharts-line-curve');
    expect(await pathPoints(page, '.loss-raw path.recharts-line-curve')).toBe(to - from + 1);

    // The step fields zoom to an exact range: the spike itself, drawn as a point of its own.
    await page.getByLabel('Zoom from step').fill(String(BIG_RUN_SPIKE - 50));
    await page.getByLabel('Zoom to step').fill(String(BIG_RUN_SPIKE + 50));
    await page.getByRole('button', { name: 'Zoom' }).click();
    await expect.poll(() => chart.getAttribute('data-from')).toBe(String(BIG_RUN_SPIKE - 50));
    await expect.poll(() => pathPoints(page, '.loss-raw path.recharts-line-curve')).toBe(101);
    // The round end in view (step 2300) is marked now that few are in view.
    expect(await page.locator('.checkpoints .recharts-symbols').count()).toBe(1);

    // Wall-time axis: ticks become clock times.
    await page.getByLabel('X axis').selectOption('time');
    await expect.poll(() => chart.getAttribute('data-x')).toBe('time');
    const xTicks = await page.locator('.recharts-xAxis-tick-labels text').allTextContents();
    expect(xTicks.every((t) => /^\d\d:\d\d$/.test(t))).toBe(true);
    await page.getByRole('link', { name: 'Reset zoom' }).click();
    await expect.poll(() => chart.getAttribute('data-resolution')).toBe('rounds');
    expect(page.url()).not.toContain('from=');
    await page.close();
  });

  it('lists runs at /runs and overlays the curves of the runs ticked', async () => {
    const page = await open('/runs');
    expect(await page.locator('#runs-table tbody tr').count()).toBe(2);
    await page.getByLabel('Compare run 1').check();
    await page.getByLabel('Compare run 2').check();
    await page.getByLabel('X axis').selectOption('relative');
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.waitForURL(/compare=.*compare=/);
    const chart = page.locator('#compare-chart');
    await expect.poll(() => chart.getAttribute('data-runs')).toBe('2');
    expect(await chart.getAttribute('data-mode')).toBe('relative');
    await page.waitForSelector('#compare-chart .compare-line path.recharts-line-curve');
    expect(await page.locator('.compare-line path.recharts-line-curve').count()).toBe(2);
    // Run 2 (newest first in the form order) is read per round, run 1 step by step.
    expect(await chart.getAttribute('data-points')).toBe('50,400');
    const xLabels = await page.locator('.recharts-xAxis-tick-labels text').allTextContents();
    expect(xLabels.every((t) => /^\d+%$/.test(t))).toBe(true);
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.4);
    await expect.poll(() => page.locator('.chart-tooltip').textContent()).toMatch(/Run 1: loss/);
    await page.screenshot({ path: join(ARTEFACTS, 'runs-compare.png'), fullPage: true });
    await page.close();
    const run = await open(`/runs/${SMALL_RUN}`);
    // The config panel shows the run spec read from IPFS; the spec CID links to the gateway.
    expect(await run.locator('#config-table').textContent()).toContain('optimizer.lr');
    expect(await run.getByRole('link', { name: 'bafyspec' }).count()).toBe(1);
    await run.close();
  });

  it('pages, sorts and filters the rounds table through the subgraph', async () => {
    const page = await open(`/runs/${SMALL_RUN}`);
    const rows = page.locator('#rounds-table tbody tr');
    expect(await rows.count()).toBe(25);
    expect(await rows.first().getAttribute('data-round')).toBe('39'); // newest first
    await page.getByRole('link', { name: 'Next →' }).click();
    await page.waitForURL(/page=2/);
    await expect.poll(() => rows.first().getAttribute('data-round')).toBe('14');
    expect(await rows.count()).toBe(16); // 14 … 0, with round 3's two attempts
    await page.getByRole('link', { name: /^Round/ }).click(); // flip to ascending, back to page 1
    await expect.poll(() => rows.first().getAttribute('data-round')).toBe('0');
    await page.getByLabel('Worker').fill(WORKERS[1]);
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => rows.count()).toBe(13); // rounds 1, 4, 7, … 37
    await page.close();
  });

  it('exports the curve as CSV and JSON with exact fixed-point losses', async () => {
    const page = await open(`/runs/${SMALL_RUN}`);
    const csv = await page.evaluate(
      async (u) => (await fetch(u)).text(),
      `/runs/${SMALL_RUN}/curve.csv`,
    );
    const lines = csv.trim().split('\n');
    expect(lines).toHaveLength(411);
    expect(lines[1]).toBe(
      `1,0,${(Math.round(lossAt(1) * 1e9) / 1e9).toFixed(9)},${Math.round(lossAt(1) * 1e9)},Valid`,
    );
    const json = await page.evaluate(
      async (u) => (await fetch(u)).json(),
      `/runs/${SMALL_RUN}/curve.json`,
    );
    expect(json.points.filter((p: { status: string }) => p.status === 'Invalidated')).toHaveLength(
      10,
    );
    await page.close();
  });

  it('shows new blocks without a reload', async () => {
    const page = await open(`/runs/${SMALL_RUN}`);
    await page.waitForSelector('#loss-chart svg.recharts-surface');
    await page.evaluate(
      () => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true),
    );
    const before = await page.locator('#main').boundingBox();
    // A new round (10 steps) is indexed at block 101.
    const run = SMALL_RUN;
    const roundId = `${run}-40-0`;
    const steps = Array.from({ length: 10 }, (_, i) => {
      const s = 401 + i;
      return {
        id: `${roundId}-${s}`,
        run,
        round: roundId,
        roundNumber: '40',
        step: String(s),
        stepIndex: i,
        lossRaw: String(Math.round(lossAt(s) * 1e9)),
        status: 'Valid',
        blockNumber: '101',
        timestamp: String(T0 + 2500),
      };
    });
    gql.store.upsert('Step', steps);
    gql.store.upsert('Round', [
      {
        id: roundId,
        run,
        slot: `${run}-40`,
        number: '40',
        attempt: 0,
        worker: WORKERS[2],
        status: 'Submitted',
        baseStateHash: '0x00',
        firstStep: '401',
        lastStep: '410',
        claimedAtBlock: '101',
        challengeDeadline: String(T0 + 9000),
        invalidatedBy: null,
        openChallenge: null,
      },
    ]);
    gql.store.upsert('RunStats', [{ id: run, roundNumbers: 41, validStepCount: '410' }], 101);
    await expect
      .poll(() => page.locator('#loss-chart').getAttribute('data-points-raw'), { timeout: 15_000 })
      .toBe('410');
    await expect.poll(() => page.locator('.live-status').getAttribute('data-block')).toBe('101');
    expect(
      await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true);
    const after = await page.locator('#main').boundingBox();
    expect(after?.y).toBe(before?.y); // the header did not move
    expect(await page.locator('#rounds-table tbody tr').first().getAttribute('data-round')).toBe(
      '40',
    );
    await page.close();
  });

  it('switches between light and dark themes and remembers the choice', async () => {
    const page = await open('/');
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await page.evaluate(() => document.documentElement.dataset.theme ?? 'system')).toBe(
      'system',
    );
    expect(await bg()).toBe('rgb(255, 255, 255)');
    const saved = page.waitForResponse(
      (r) => r.url().includes('/theme') && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: /Switch to dark theme/ }).click();
    await expect.poll(bg).toBe('rgb(15, 20, 25)');
    expect(await (await saved).headerValue('set-cookie')).toContain('um_theme=dark');
    await page.reload({ waitUntil: 'networkidle' });
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await bg()).toBe('rgb(15, 20, 25)');
    await page.screenshot({ path: join(ARTEFACTS, 'overview-dark.png'), fullPage: true });
    const savedLight = page.waitForResponse(
      (r) => r.url().includes('/theme') && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: /Switch to light theme/ }).click();
    await expect.poll(bg).toBe('rgb(255, 255, 255)');
    await savedLight;
    await page.close();
  });

  it('renders a dispute in its commit phase: sealed ballots counted, tally hidden, the question in words', async () => {
    const page = await open('/disputes/4');
    expect(await page.locator('#phase').getAttribute('data-phase')).toBe('commit');
    expect(await page.locator('#ballot-count').textContent()).toContain(
      '2 sealed ballots committed, 0 revealed',
    );
    expect(await page.locator('#tally-hidden').textContent()).toContain(
      'hidden until the reveal phase',
    );
    expect(await page.locator('[data-side="fraud"]').count()).toBe(0);
    expect(await page.locator('#votes-table tbody tr').count()).toBe(2);
    expect(await page.locator('#votes-table').textContent()).toContain('sealed');
    expect(await page.locator('main').textContent()).toContain('recomputed that step');
    await page.screenshot({ path: join(ARTEFACTS, 'dispute-page.png'), fullPage: true });
    await page.close();
  });

  it('shows a resolved dispute’s revealed tally and ruling', async () => {
    const page = await open('/disputes/2');
    await expect.poll(() => page.locator('[data-side="fraud"]').textContent()).toBe('400');
    expect(await page.locator('#ruling').textContent()).toContain('fraud');
    await page.close();
  });

  it('picks a dev account on the local chain and says what voting power needs', async () => {
    const page = await open('/disputes/4');
    // anvil account #2 is WORKERS[1], who committed a sealed ballot in the fixture.
    await page.getByLabel('Dev account').selectOption('2');
    await page.waitForURL(/account=0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC/i);
    await expect
      .poll(() => page.locator('#voting-power').textContent())
      .toContain('does not know the DisputeCourt and UMToken addresses');
    expect(await page.locator('#voting-power').textContent()).toContain(
      'Your sealed ballot is committed',
    );
    await page.close();
  });

  it('lists the open disputes that still need my vote', async () => {
    const page = await open(`/disputes?account=${CHALLENGER}`);
    expect(await page.locator('#mine-title + form + .table-wrap tbody tr').count()).toBe(1);
    await page.close();
    const voted = await open(`/disputes?account=${WORKERS[1]}`);
    expect(await voted.getByText('Nothing needs your vote right now.').count()).toBe(1);
    await voted.close();
  });

  it('lists court stakers with their share of the total stake, sortable', async () => {
    const page = await open('/voters');
    const rows = page.locator('#stakers-table tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain('83.33%');
    await page.getByRole('link', { name: /Pending unstake/ }).click();
    await page.waitForURL(/sort=pending/);
    await expect
      .poll(() => rows.first().getAttribute('data-account'))
      .toBe(WORKERS[2]!.toLowerCase());
    await page.close();
  });

  it('answers bad addresses with a 400 page, unknown runs with a 404 page', async () => {
    const page = await context.newPage();
    const bad = await page.goto(`${portal.url}/runs/not-an-address`);
    expect(bad?.status()).toBe(400);
    expect(await page.locator('[data-error="bad-request"]').count()).toBe(1);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'That run address is not valid',
    );
    const missing = await page.goto(`${portal.url}/runs/0x${'0'.repeat(39)}f`);
    expect(missing?.status()).toBe(404);
    expect(await page.locator('[data-error="not-found"]').count()).toBe(1);
    const badSort = await page.goto(`${portal.url}/runs/${SMALL_RUN}?sort=loss`);
    expect(badSort?.status()).toBe(400);
    expect(await page.locator('main').textContent()).toContain('sort must be one of');
    // Not every 400 is about an address: the heading says what kind of input was wrong.
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'A parameter of this page is not valid',
    );
    const badZoom = await page.goto(`${portal.url}/runs/${SMALL_RUN}?from=9&to=3`);
    expect(badZoom?.status()).toBe(400);
    expect(await page.locator('main').textContent()).toContain('to must be greater than from');
    // The browser's automatic /favicon.ico is an icon, not a 404.
    const icon = await page.goto(`${portal.url}/favicon.ico`);
    expect(icon?.status()).toBe(200);
    expect(icon?.headers()['content-type']).toBe('image/svg+xml');
    await page.close();
  });

  it('renders a round with its attempts, a task leaderboard, participants and the GraphQL page', async () => {
    const round = await open(`/runs/${SMALL_RUN}/rounds/3`);
    expect(await round.getByRole('heading', { level: 1 }).textContent()).toContain('Round 3');
    expect(await round.locator('#attempts tbody tr').count()).toBe(1); // the invalidated first attempt
    expect(await round.locator('#attempts').textContent()).toContain('Invalidated');
    expect(
      await round.getByRole('link', { name: /Download model.json/ }).getAttribute('href'),
    ).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ipfs\/bafyfixture3-1\/model\.json$/);
    await round.close();

    const task = await open('/tasks/1');
    expect(await task.locator('#leaderboard tbody tr').count()).toBe(2);
    expect(await task.locator('#leaderboard tbody tr').first().textContent()).toContain('91.20%');
    expect(await task.getByRole('heading', { name: 'Accuracy history' }).count()).toBe(1);
    expect(await task.getByRole('link', { name: 'bafyeval' }).getAttribute('href')).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/ipfs\/bafyeval$/,
    );
    const xLabels = await task.locator('.recharts-xAxis-tick-labels text').allTextContents();
    expect(new Set(xLabels).size).toBe(xLabels.length); // no two ticks read the same
    await task.waitForSelector('#accuracy-chart svg.recharts-surface');
    await task.close();

    const worker = await open(`/workers/${WORKERS[1]}`);
    expect(await worker.getByRole('heading', { name: 'Worker' }).count()).toBe(1);
    expect(await worker.getByRole('heading', { name: 'Operator' }).count()).toBe(1);
    expect(await worker.getByRole('heading', { name: 'Voter' }).count()).toBe(1);
    await worker.close();

    const operators = await open('/operators');
    const opRows = operators.locator('#operators-table tbody tr');
    expect(await opRows.count()).toBe(2);
    // Largest stake first, with its share of all operator stake.
    expect(await opRows.first().getAttribute('data-operator')).toBe(WORKERS[1]);
    expect(await opRows.first().textContent()).toContain('66.66%');
    await operators.getByRole('link', { name: /^Stake/ }).click(); // flip to ascending
    await expect.poll(() => opRows.first().getAttribute('data-operator')).toBe(WORKERS[2]);
    await operators.getByLabel('Search address').fill(WORKERS[1].slice(2, 12));
    await operators.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => opRows.count()).toBe(1);
    expect(await opRows.first().getAttribute('data-operator')).toBe(WORKERS[1]);
    await operators.close();

    const gqlPage = await open('/graphql?example=runs');
    // /graphql has no loader block: the header shows the indexer's block instead of waiting forever.
    await expect
      .poll(() => gqlPage.locator('.live-status').textContent())
      .toBe(`Indexer at block ${gql.store.meta.number}`);
    expect(await gqlPage.locator('#endpoint').textContent()).toBe(gql.url);
    // Real GraphiQL (bundled from npm): run the example through the same-origin proxy.
    await gqlPage.waitForSelector('#graphiql .graphiql-container');
    await gqlPage.locator('.graphiql-execute-button').click();
    await expect
      .poll(() => gqlPage.locator('.result-window').textContent(), { timeout: 15_000 })
      .toContain('"runId"');
    const text = (await gqlPage.locator('.result-window').textContent()) ?? '';
    expect(text.indexOf('"1"')).toBeGreaterThan(-1);
    expect(text.indexOf('"2"')).toBeGreaterThan(-1);
    // Its documentation explorer browses the subgraph's schema.
    await gqlPage
      .getByRole('button', { name: /Documentation Explorer/ })
      .first()
      .click();
    await expect
      .poll(() => gqlPage.locator('.graphiql-doc-explorer').textContent(), { timeout: 15_000 })
      .toContain('Query');
    await gqlPage.screenshot({ path: join(ARTEFACTS, 'graphql-page.png'), fullPage: true });
    await gqlPage.close();
  });

  it('fits a phone screen: no page-wide horizontal scrolling, wide tables scroll in place', async () => {
    for (const path of ['/', `/runs/${SMALL_RUN}`, '/disputes/4']) {
      const page = await context.newPage();
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${portal.url}${path}`, { waitUntil: 'networkidle' });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${path} overflows the viewport`).toBeLessThanOrEqual(0);
      if (path.startsWith('/runs/')) {
        await page.waitForSelector('#loss-chart svg.recharts-surface');
        await page.screenshot({ path: join(ARTEFACTS, 'run-page-phone.png'), fullPage: true });
      }
      await page.close();
    }
  });

  it('renders a clear error page when the indexer is unreachable', async () => {
    const deadPort = await freePort(); // nothing listens here
    const broken = await startPortal({
      UM_GRAPHQL_URL: `http://127.0.0.1:${deadPort}/subgraphs/name/unstoppable-models`,
    });
    try {
      const page = await context.newPage();
      const res = await page.goto(`${broken.url}/runs/${SMALL_RUN}`, { waitUntil: 'networkidle' });
      expect(res?.status()).toBe(503);
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).textContent())
        .toBe('The indexer is unreachable');
      expect(await page.locator('[data-error="subgraph-unreachable"]').textContent()).toContain(
        `127.0.0.1:${deadPort}`,
      );
      // The shell still works: navigation and the live status say what is going on.
      await expect
        .poll(() => page.locator('.live-status').getAttribute('data-state'), { timeout: 10_000 })
        .toBe('reconnecting');
      await page.screenshot({ path: join(ARTEFACTS, 'indexer-unreachable.png'), fullPage: true });
      await page.close();
    } finally {
      await broken.close();
    }
  });
});
