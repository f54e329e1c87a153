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
  it('trades through both legs within its risk config, every fill attributed to a leg', async () => {
    const config = readRunConfig(join(root, 'examples/hedge-v2/config.json'));
    const { summary, legs } = await runBacktest({
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
  });
});
