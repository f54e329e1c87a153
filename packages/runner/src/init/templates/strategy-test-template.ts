/** The generated project's `test/strategy.test.ts`: `name` is the strategy's, `base` a file-name-safe form of it. */
export function strategyTestTemplate(name: string, base: string): string {
  return `/**
 * Runs the strategy through a real backtest (the engine behind \`botp backtest\`) on a small
 * synthetic market generated here, so the test needs no data files and gives the same result
 * on every machine.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BacktestResult, runBacktest, writeSyntheticDataset } from '@botplatform/runner';
import { parseParams, parseRiskConfig } from '@botplatform/sdk';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import strategy, { paramsSchema } from '../src/strategy.js';

const dir = mkdtempSync(join(tmpdir(), '${base}-test-'));
const data = join(dir, 'market.duckdb');
const defaults = paramsSchema.parse({});
// The same risk limits \`npm run backtest\` applies from botp.config.json.
const config: { risk?: unknown } = JSON.parse(
  readFileSync(new URL('../botp.config.json', import.meta.url), 'utf8'),
);
const risk = parseRiskConfig(config.risk);

/** One backtest of the strategy with the project's risk limits; params default as in the schema. */
async function backtest(params: Record<string, unknown> = {}): Promise<BacktestResult> {
  const parsed = parseParams(strategy, params);
  if (!parsed.ok) throw new Error(parsed.message);
  return runBacktest({
    strategy,
    params: parsed.params,
    dataPath: data,
    latency: 'constant:10000:10000',
    queue: 'risk-averse',
    risk,
    logger: pino({ level: 'silent' }),
  });
}

beforeAll(async () => {
  // Two minutes of a synthetic BTCUSDT perpetual: what \`botp data synth --minutes 2\` writes.
  await writeSyntheticDataset(data, { seed: 42, durationUs: 2 * 60_000_000 });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('${name}', () => {
  it('trades, and neither the exchange nor the risk limits reject any order', async () => {
    const { summary, fills } = await backtest();
    expect(summary.orders).toBeGreaterThan(0);
    expect(summary.fills).toBeGreaterThan(0);
    expect(summary.orders_rejected).toBe(0);
    expect(summary.depth_gaps).toBe(0);
    // Entries are \`qty\` and exits are reduce-only: the position never exceeds \`qty\`.
    for (const fill of fills) expect(fill.qty).toBeLessThanOrEqual(defaults.qty);
    for (const qty of Object.values(summary.final_position))
      expect(Math.abs(qty)).toBeLessThanOrEqual(defaults.qty);
  }, 60_000);

  it('enters, takes profit and stops out', async () => {
    const { fills } = await backtest();
    const tags = new Set(fills.map((f) => f.tag));
    expect([...tags].sort()).toEqual(['entry', 'stop', 'takeProfit']);
  }, 60_000);

  it('is deterministic: the same data and params give the same fills', async () => {
    const a = await backtest();
    const b = await backtest();
    expect(b.fills).toEqual(a.fills);
    expect(b.summary.net_pnl).toBe(a.summary.net_pnl);
  }, 60_000);

  it('trades less with a stricter entry threshold', async () => {
    const loose = await backtest();
    const strict = await backtest({ threshold: 0.8 });
    expect(strict.summary.orders).toBeLessThan(loose.summary.orders);
  }, 60_000);

  it('refuses invalid params', () => {
    expect(parseParams(strategy, { threshold: 2 }).ok).toBe(false);
    expect(parseParams(strategy, { qty: -1 }).ok).toBe(false);
  });
});
`;
}
