import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBacktest, writeSyntheticDataset } from '@botplatform/runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import hedgeV2 from '../examples/hedge-v2/strategy.js';
import { readRunConfig } from '../packages/runner/src/cli/run-config.js';
import { silentLogger } from './support/silent-logger.js';
import { tempDir } from './support/tick-store.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tmp = tempDir();
const data = join(tmp.dir, 'demo.duckdb');

beforeAll(async () => {
  // The bundled demo market (pnpm demo writes the same file from the same seed).
  await writeSyntheticDataset(data, { seed: 42, durationUs: 5 * 60_000_000 });
});
afterAll(() => tmp.cleanup());

describe('examples/hedge-v2 on the demo data', () => {
  it('trades through both legs within its risk config; its legs carry every fill and the whole PnL', async () => {
    const config = readRunConfig(join(root, 'examples/hedge-v2/config.json'));
    const { summary, legs, marks } = await runBacktest({
      strategy: hedgeV2,
      params: hedgeV2.params.parse({}),
      dataPath: data,
      latency: 'constant:10000:10000',
      queue: 'risk-averse',
      logger: silentLogger,
      ...(config.risk ? { risk: config.risk } : {}),
    });
    expect(summary.fills).toBeGreaterThan(10);
    expect(summary.orders_rejected).toBe(0);
    expect(legs.map((l) => l.direction).sort()).toEqual(['long', 'short']);
    expect(legs.every((l) => l.fees > 0)).toBe(true); // both legs traded
    // Every order the strategy sends is tagged with a leg: the legs carry every fee of the run.
    const legsFees = legs.reduce((sum, l) => sum + l.fees, 0);
    expect(legsFees).toBeCloseTo(summary.fees, 8);
    // …and all of its PnL: Σ (realized + unrealized − fees) over the legs is the run's net PnL
    // (no funding time falls inside these 5 minutes), which holds only if no leg is ever
    // closed past zero.
    expect(legs.map((l) => l.excessQty)).toEqual([0, 0]);
    expect(summary.funding).toBe(0);
    const legsPnl = legs.reduce((sum, l) => sum + l.totalPnl(marks.BTCUSDT!), 0);
    expect(legsPnl).toBeCloseTo(summary.net_pnl, 6);
  });
});

describe('examples/hedge-v2 on other markets', () => {
  for (const seed of [1, 2]) {
    it(`never closes a leg past zero, so the legs' PnL is the run's (seed ${seed})`, async () => {
      const path = join(tmp.dir, `seed-${seed}.duckdb`);
      await writeSyntheticDataset(path, { seed, durationUs: 5 * 60_000_000 });
      const { summary, legs, marks } = await runBacktest({
        strategy: hedgeV2,
        params: hedgeV2.params.parse({}),
        dataPath: path,
        latency: 'constant:10000:10000',
        queue: 'risk-averse',
        logger: silentLogger,
      });
      expect(summary.fills).toBeGreaterThan(0);
      expect(legs.map((l) => l.excessQty)).toEqual([0, 0]);
      const legsPnl = legs.reduce((sum, l) => sum + l.totalPnl(marks.BTCUSDT!), 0);
      expect(legsPnl).toBeCloseTo(summary.net_pnl, 6);
    });
  }
});
