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

describe('examples/hedge-v2 restarted mid-run', () => {
  const T0 = 1_700_000_000_000_000; // the demo data's first exchange time
  const run = async (restartAt?: number) => {
    const updates: string[] = [];
    const result = await runBacktest({
      strategy: hedgeV2,
      params: hedgeV2.params.parse({}),
      dataPath: data,
      latency: 'constant:10000:10000',
      queue: 'risk-averse',
      logger: silentLogger,
      onOrderUpdate: (o) =>
        updates.push(
          `${o.updatedTs} ${o.clientOrderId} ${o.status} ${o.side} ${o.type} ${o.timeInForce} ${o.price} ${o.qty} ${o.filledQty} ${o.tag}`,
        ),
      ...(restartAt !== undefined ? { restartAt } : {}),
    });
    return { ...result, updates };
  };

  for (const atS of [60, 150, 240]) {
    it(`state and indicators saved at ${atS} s, restored into a new instance, make the same decisions after`, async () => {
      const straight = await run();
      const restarted = await run(T0 + atS * 1_000_000);
      expect(restarted.restartedAt).toBeGreaterThanOrEqual(T0 + atS * 1_000_000);
      const after = (u: string) => Number(u.split(' ')[0]) >= restarted.restartedAt;
      const decisionsAfter = straight.updates.filter(after);
      expect(decisionsAfter.length).toBeGreaterThan(10); // it keeps trading after the restart
      expect(restarted.updates).toEqual(straight.updates);
      expect(restarted.summary.net_pnl).toBe(straight.summary.net_pnl);
      expect(restarted.legs.map((l) => JSON.stringify(l.toJSON()))).toEqual(
        straight.legs.map((l) => JSON.stringify(l.toJSON())),
      );
    });
  }
});
