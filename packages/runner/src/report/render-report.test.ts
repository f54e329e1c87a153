import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../cli/user-error.js';
import { METRIC_LABELS } from '../run-store/run-metrics.js';
import type { ReportPayload } from './chart-spec.js';
import { renderReport } from './render-report.js';
import { reportClientScript } from './report-client.js';
import { HOSTILE_TEXT, writeFixtureRun } from './run-fixture.test-support.js';

const tmp = mkdtempSync(join(tmpdir(), 'botp-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function payloadOf(html: string): ReportPayload {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m?.[1]) throw new Error('no embedded payload');
  return JSON.parse(m[1]) as ReportPayload;
}

describe('renderReport', () => {
  let html = '';
  let fixture: Awaited<ReturnType<typeof writeFixtureRun>>;

  beforeAll(async () => {
    fixture = await writeFixtureRun(join(tmp, 'full'), { priceRows: 8_000 });
    const out = await renderReport(fixture.dir);
    expect(out).toBe(join(fixture.dir, 'report.html'));
    html = readFileSync(out, 'utf8');
  });

  it('writes one self-contained file: uPlot inlined, nothing fetched', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('uPlot');
    expect(html).toContain('.uplot');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+rel="stylesheet"/);
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('shows the metrics in METRIC_LABELS order, formatted by unit', () => {
    let at = 0;
    for (const [, label] of METRIC_LABELS) {
      const i = html.indexOf(`<th scope="row">${label.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</th>`, at);
      expect(i, label).toBeGreaterThan(at);
      at = i;
    }
    expect(html).toContain(`${(fixture.metrics.win_rate! * 100).toFixed(2)}%`);
  });

  it('escapes run metadata and keeps the embedded JSON from closing its script', () => {
    expect(html).not.toContain(HOSTILE_TEXT);
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;window.__pwned');
    // exactly three scripts: the payload, uPlot and the page's own
    expect(html.match(/<script/g)).toHaveLength(3);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
  });

  it('embeds every chart with full-resolution time series', () => {
    const p = payloadOf(html);
    expect(p.pointBudget).toBeGreaterThan(100);
    const ids = p.charts.map((c) => c.id);
    expect(ids).toEqual([
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
    const price = p.charts.find((c) => c.id === 'price-btcusdt')!;
    const btcFills =
      price.series[2]!.values.filter((v) => v !== null).length +
      price.series[3]!.values.filter((v) => v !== null).length;
    expect(price.x.length).toBe(fixture.btcPriceRows + btcFills);
    expect(btcFills).toBeGreaterThan(0);
    for (let i = 1; i < price.x.length; i++) expect(price.x[i]!).toBeGreaterThanOrEqual(price.x[i - 1]!);
    const pnl = p.charts.find((c) => c.id === 'trade-pnl')!;
    const counted = pnl.series.flatMap((s) => s.values).reduce<number>((a, v) => a + (v ?? 0), 0);
    expect(counted).toBe(fixture.trades);
    const latency = p.charts.find((c) => c.id === 'order-latency')!;
    expect(latency.series[0]!.values.reduce<number>((a, v) => a + (v ?? 0), 0)).toBe(fixture.fills);
    expect(p.charts.find((c) => c.id === 'pnl-hour')!.x).toHaveLength(24);
  });

  it('shows run_meta and the summary’s headline figures', () => {
    expect(html).toContain('<th scope="row">params</th>');
    expect(html).toContain('&quot;threshold&quot;: 0.3');
    expect(html).toContain('<th scope="row">data_fingerprint</th>');
    expect(html).toContain('<th scope="row">orders_rejected</th>');
  });
});

describe('renderReport on runs with nothing to draw', () => {
  it('renders a run without fills with “no data” notes for the trade charts', async () => {
    const f = await writeFixtureRun(join(tmp, 'no-fills'), { roundTrips: 0, priceRows: 600 });
    const html = readFileSync(await renderReport(f.dir), 'utf8');
    const p = payloadOf(html);
    expect(p.charts.find((c) => c.id === 'trade-pnl')!.x).toEqual([]);
    expect(p.charts.find((c) => c.id === 'position-btcusdt')!.x).toEqual([]);
    expect(p.charts.find((c) => c.id === 'price-btcusdt')!.x.length).toBe(600);
    expect(html).toContain('No data: no round trips');
    expect(html).toContain('No data: no order was filled');
    expect(html).toContain('<th scope="row">Round trips</th><td class="num" title="0">0</td>');
  });

  it('renders a run whose tables are all empty', async () => {
    const f = await writeFixtureRun(join(tmp, 'empty'), { noRows: true });
    const html = readFileSync(await renderReport(f.dir), 'utf8');
    const p = payloadOf(html);
    expect(p.charts.every((c) => c.x.length === 0)).toBe(true);
    expect(html).toContain('no recorded activity');
    expect((html.match(/class="no-data"/g) ?? []).length).toBe(p.charts.length);
  });

  it('falls back to summary.json, and shows a note when no summary is valid', async () => {
    const f = await writeFixtureRun(join(tmp, 'bad-summary'), {
      summaryJsonText: '{"metrics": {"net_pnl": "lots"}}',
    });
    const db = await DuckDBInstance.create(join(f.dir, 'run.duckdb'));
    const conn = await db.connect();
    await conn.run("DELETE FROM run_meta WHERE key = 'summary'");
    conn.closeSync();
    db.closeSync();
    const html = readFileSync(await renderReport(f.dir), 'utf8');
    expect(html).toContain('Metrics unavailable:');
    expect(html).toContain('summary.json is not a run summary with metrics');
    expect(html).toContain('id="chart-equity"');
  });
});

describe('renderReport errors', () => {
  const message = async (dir: string) => {
    try {
      await renderReport(dir);
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      return (err as Error).message;
    }
    throw new Error('expected a UserError');
  };

  it('names a missing folder', async () => {
    expect(await message(join(tmp, 'nope'))).toMatch(
      /run folder .*nope does not exist; pass a folder written by botp backtest --out/,
    );
  });

  it('names a folder without run.duckdb', async () => {
    mkdirSync(join(tmp, 'bare'), { recursive: true });
    expect(await message(join(tmp, 'bare'))).toMatch(/bare holds no run\.duckdb/);
  });

  it('names a run.duckdb that is not a DuckDB file', async () => {
    mkdirSync(join(tmp, 'junk'), { recursive: true });
    writeFileSync(
      join(tmp, 'junk', 'run.duckdb'),
      'this is not a database, just some text padding it out a little',
    );
    expect(await message(join(tmp, 'junk'))).toMatch(/run\.duckdb is not a DuckDB file/);
  });

  it('names a DuckDB file that is not a run store', async () => {
    mkdirSync(join(tmp, 'other'), { recursive: true });
    const db = await DuckDBInstance.create(join(tmp, 'other', 'run.duckdb'));
    const conn = await db.connect();
    await conn.run('CREATE TABLE trades (price DOUBLE)');
    conn.closeSync();
    db.closeSync();
    expect(await message(join(tmp, 'other'))).toMatch(
      /is not a BotPlatform run store \(no run_meta, fills, orders, equity, prices, positions tables\)/,
    );
  });
});

describe('the page script', () => {
  it('is valid JavaScript with the shared functions inlined', () => {
    const script = reportClientScript();
    expect(() => new Function(script)).not.toThrow();
    for (const name of ['function lowerBound', 'function downsampleIndices', 'function formatTimestampUs']) {
      expect(script).toContain(name);
    }
    // Inlined from compiled source: a bundler helper or rewritten import would break the page.
    expect(script).not.toMatch(/__vi_import|__name\(|require\(/);
  });
});
