import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderReport } from '../packages/runner/src/report/render-report.js';
import {
  launchChromium,
  type OpenedReport,
  openReport,
  readCharts,
  waitForResolution,
} from '../packages/runner/src/report/report-browser.test-support.js';
import { writeFixtureRun } from '../packages/runner/src/report/run-fixture.test-support.js';
import { tempDir } from './support/tick-store.js';

// The report as a user sees it: rendered from a run folder, opened from disk in headless
// Chromium, with no network. Needs the system Chromium (`apt-get install chromium`).
const tmp = tempDir();
// Launched by the first test that needs it: without Chromium every test fails (not skips) with
// the install hint.
let launched: ReturnType<typeof launchChromium> | undefined;
const browser = () => {
  launched ??= launchChromium();
  return launched;
};

afterAll(async () => {
  await launched?.then((b) => b.close()).catch(() => undefined);
  tmp.cleanup();
});

function expectClean(r: OpenedReport): void {
  expect(r.offsiteRequests, 'requests outside file:').toEqual([]);
  expect(r.consoleErrors, 'console errors').toEqual([]);
  expect(r.pageErrors, 'page errors').toEqual([]);
  expect(r.page.url().startsWith('file:')).toBe(true);
}

describe('report.html in a browser', () => {
  it('draws every chart with data, offline and without errors', async () => {
    // 30k BTC price samples: far over the point budget, so the overview is downsampled.
    const run = await writeFixtureRun(join(tmp.dir, 'full'), { priceRows: 30_000 });
    const r = await openReport(await browser(), await renderReport(run.dir));
    try {
      expectClean(r);
      expect(r.charts.map((c) => c.id)).toEqual([
        'equity',
        'drawdown',
        'price-btcusdt',
        'position-btcusdt',
        'price-ethusdt',
        'position-ethusdt',
        'trade-pnl',
        'pnl-hour',
        'pnl-day',
        'order-latency',
      ]);
      for (const c of r.charts) {
        expect(c.noData, c.id).toBeUndefined();
        expect(c.series, c.id).toBeGreaterThan(0);
      }
      const price = r.charts.find((c) => c.id === 'price-btcusdt')!;
      expect(price.downsampled).toBe(true);
      expect(price.series).toBeLessThanOrEqual(4000);
      // the page's escaping held: the hostile argv in run_meta stayed text
      expect(await r.page.evaluate(() => 'pwned' in globalThis)).toBe(false);
      expect(await r.page.locator('script').count()).toBe(3);
      expect(await r.page.locator('canvas').count()).toBe(r.charts.length);
    } finally {
      await r.page.close();
    }
  });

  it('zooms all time charts on a drag down to every tick, and resets', async () => {
    const run = await writeFixtureRun(join(tmp.dir, 'zoom'), { priceRows: 30_000 });
    const r = await openReport(await browser(), await renderReport(run.dir));
    try {
      const chart = r.page.locator('#chart-price-btcusdt');
      await chart.scrollIntoViewIfNeeded();
      const box = (await chart.locator('.u-over').boundingBox())!;
      const before = await readCharts(r.page);
      // Three drags, each over 4% of the width: 26 h → about 1.7 s, a handful of ticks.
      for (let k = 0; k < 3; k++) {
        const x0 = box.x + box.width * 0.48;
        await r.page.mouse.move(x0, box.y + box.height / 2);
        await r.page.mouse.down();
        await r.page.mouse.move(x0 + box.width * 0.04, box.y + box.height / 2, { steps: 4 });
        await r.page.mouse.up();
      }
      await waitForResolution(r.page, 'price-btcusdt', false);
      const zoomed = await readCharts(r.page);
      const byId = (list: typeof zoomed, id: string) => list.find((c) => c.id === id)!;
      const price = byId(zoomed, 'price-btcusdt');
      expect(price.downsampled).toBe(false);
      expect(price.series).toBeGreaterThan(0);
      expect(price.series).toBeLessThan(byId(before, 'price-btcusdt').series);
      // the other time charts followed the zoom
      expect(byId(zoomed, 'equity').series).toBeLessThan(byId(before, 'equity').series);
      // breakdown charts are not time-synced
      expect(byId(zoomed, 'pnl-hour').series).toBe(byId(before, 'pnl-hour').series);

      await r.page.click('#reset-zoom');
      await waitForResolution(r.page, 'price-btcusdt', true);
      expect(await readCharts(r.page)).toEqual(before);
      expectClean(r);
    } finally {
      await r.page.close();
    }
  });

  it('renders a run with zero fills: trade charts say so, nothing breaks', async () => {
    const run = await writeFixtureRun(join(tmp.dir, 'no-fills'), { roundTrips: 0, priceRows: 2_000 });
    const r = await openReport(await browser(), await renderReport(run.dir));
    try {
      expectClean(r);
      const empty = r.charts.filter((c) => c.noData).map((c) => c.id);
      expect(empty).toEqual(['position-btcusdt', 'position-ethusdt', 'trade-pnl', 'order-latency']);
      for (const c of r.charts.filter((x) => !x.noData)) expect(c.series, c.id).toBeGreaterThan(0);
      expect(await r.page.locator('#chart-trade-pnl .no-data').textContent()).toContain(
        'No data: no round trips',
      );
      expect(await r.page.locator('#chart-order-latency .no-data').isVisible()).toBe(true);
    } finally {
      await r.page.close();
    }
  });

  it('renders a run with no rows at all', async () => {
    const run = await writeFixtureRun(join(tmp.dir, 'empty'), { noRows: true });
    const r = await openReport(await browser(), await renderReport(run.dir));
    try {
      expectClean(r);
      expect(r.charts.length).toBeGreaterThan(0);
      expect(r.charts.every((c) => c.noData && c.series === 0)).toBe(true);
    } finally {
      await r.page.close();
    }
  });
});
