import { existsSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerCompareCommand } from '../cli/commands/compare.js';
import { registerReportCommand } from '../cli/commands/report.js';
import { UserError } from '../cli/user-error.js';
import { METRIC_LABELS } from '../run-store/run-metrics.js';
import { formatMetric } from './format.js';
import { type FixtureRun, writeFixtureRun } from './run-fixture.test-support.js';

const tmp = mkdtempSync(join(tmpdir(), 'botp-compare-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs `botp <args>` through commander in-process and returns what it printed on stdout. */
async function botp(...args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerReportCommand(program);
  registerCompareCommand(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return out;
}

let a: FixtureRun;
let b: FixtureRun;

beforeAll(async () => {
  a = await writeFixtureRun(join(tmp, 'levels-5'), {
    priceRows: 1_000,
    params: { levels: 5, threshold: 0.3 },
  });
  b = await writeFixtureRun(join(tmp, 'levels-10'), {
    priceRows: 1_000,
    seed: 7,
    roundTrips: 20,
    params: { levels: 10, threshold: 0.3, label: 'wide' },
  });
});

describe('botp compare', () => {
  it('prints the runs side by side: names, strategy, params, then every metric in order', async () => {
    const out = await botp('compare', a.dir, b.dir);
    const lines = out.replace(/^\n/, '').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\s+levels-5\s+levels-10$/);
    expect(lines[1]).toMatch(/^\s+strategy\s+obi-scalper\s+obi-scalper$/);
    expect(out).toMatch(/param label\s+—\s+wide/);
    expect(out).toMatch(/param levels\s+5\s+10/);
    expect(out).toMatch(/param threshold\s+0\.3\s+0\.3/);
    const metricLines = lines.slice(lines.findIndex((l) => l.includes('─')) + 1);
    expect(metricLines).toHaveLength(METRIC_LABELS.length);
    METRIC_LABELS.forEach(([key, label, unit], i) => {
      const line = metricLines[i]!;
      expect(line.trimStart().startsWith(label)).toBe(true);
      expect(line).toContain(formatMetric(a.metrics[key], unit));
      expect(line.trimEnd().endsWith(formatMetric(b.metrics[key], unit))).toBe(true);
    });
    expect(out).toMatch(new RegExp(`Round trips\\s+${a.trades}\\s+${b.trades}`));
  });

  it('prints the same as JSON with --json', async () => {
    const json = JSON.parse(await botp('compare', a.dir, b.dir, '--json'));
    expect(json.runs.map((r: { name: string }) => r.name)).toEqual(['levels-5', 'levels-10']);
    expect(json.runs[1].params).toEqual({ levels: 10, threshold: 0.3, label: 'wide' });
    expect(json.metrics.map((m: { key: string }) => m.key)).toEqual(METRIC_LABELS.map(([k]) => k));
    const net = json.metrics.find((m: { key: string }) => m.key === 'net_pnl');
    expect(net.values).toEqual([a.metrics.net_pnl, b.metrics.net_pnl]);
    expect(json.metrics.find((m: { key: string }) => m.key === 'sharpe').values).toEqual([null, null]);
  });

  it('takes params from run_meta when summary.json lacks them', async () => {
    // the BacktestSummary carries no params: the fixture's summary.json has none either
    const json = JSON.parse(await botp('compare', a.dir, '--json'));
    expect(json.runs[0].params).toEqual({ levels: 5, threshold: 0.3 });
    expect(json.runs[0].strategy).toBe('obi-scalper');
  });

  it('refuses a summary.json whose metrics are malformed, naming the file', async () => {
    const bad = await writeFixtureRun(join(tmp, 'bad'), {
      priceRows: 100,
      summaryJsonText: JSON.stringify({ strategy: 'x', metrics: { net_pnl: 'a lot' } }),
    });
    const err = await botp('compare', a.dir, bad.dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `${join(bad.dir, 'summary.json').replace(/[/\\]/g, '.')} is not a run summary with metrics \\(metrics\\.`,
      ),
    );
  });

  it('refuses a summary.json that is not JSON, and a folder without one', async () => {
    const notJson = await writeFixtureRun(join(tmp, 'not-json'), {
      priceRows: 100,
      summaryJsonText: '{"metrics": ',
    });
    await expect(botp('compare', notJson.dir)).rejects.toThrow(/summary\.json is not valid JSON/);
    const missing = join(tmp, 'no-summary');
    await writeFixtureRun(missing, { priceRows: 100 });
    unlinkSync(join(missing, 'summary.json'));
    await expect(botp('compare', missing)).rejects.toThrow(
      /no-summary holds no summary\.json; pass a run folder/,
    );
    await expect(botp('compare', join(tmp, 'nowhere'))).rejects.toThrow(
      /run folder .*nowhere does not exist/,
    );
  });
});

describe('botp report', () => {
  it('re-renders report.html', async () => {
    const report = join(a.dir, 'report.html');
    writeFileSync(report, 'stale');
    const out = await botp('report', a.dir);
    expect(out).toBe(`wrote ${report}\n`);
    expect(existsSync(report)).toBe(true);
  });

  it('fails with one line naming a missing folder', async () => {
    await expect(botp('report', join(tmp, 'missing-run'))).rejects.toThrow(
      /^run folder .*missing-run does not exist; pass a folder written by botp backtest --out$/,
    );
  });
});
