import { defineStrategy, EMA, type StrategyContext, z } from '@botplatform/sdk';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ReplayClock } from './clock.js';
import { Kernel } from './kernel.js';
import { BTC, FakeVenue } from './kernel.test-support.js';
import { FLAG_FIRST, FLAG_LAST, FLAG_SNAPSHOT } from './market-data-engine.js';
import { type StrategySnapshot, strategySnapshotSchema } from './strategy-snapshot.js';

const T0 = 1_700_000_000_000_000;
const S = 1_000_000;

/** Counts books in ctx.state, samples an EMA(3) of the mid each second, and sets a timer once. */
const counter = (signals = 1) =>
  defineStrategy({
    name: 'counter',
    params: z.object({}),
    create(ctx: StrategyContext) {
      const emas = Array.from({ length: signals }, () =>
        ctx.signals.sampled('BTCUSDT', new EMA(3), { everyUs: S }),
      );
      return {
        onStart() {
          ctx.setTimer('t', ctx.now() + 10 * S);
        },
        onBook() {
          ctx.state.books = ((ctx.state.books as number | undefined) ?? 0) + 1;
          ctx.state.ema = emas[0]!.value;
        },
        onTimer() {
          ctx.state.timers = ((ctx.state.timers as number | undefined) ?? 0) + 1;
        },
      };
    },
  });

function kernelOf(strategy = counter(), restore?: StrategySnapshot) {
  return new Kernel({
    mode: 'backtest',
    clock: new ReplayClock(T0),
    instruments: [BTC],
    venue: new FakeVenue(),
    strategy,
    params: {},
    logger: pino({ level: 'silent' }),
    ...(restore ? { restore } : {}),
  });
}

/** One-level book with bid `bid`, ask bid + 0.1, at `ts`. */
function book(k: Kernel, ts: number, bid: number, seq: number): void {
  k.depthRow(0, 1, bid, 1, FLAG_SNAPSHOT | FLAG_FIRST, seq, seq - 1, ts, ts);
  k.depthRow(0, -1, bid + 0.1, 1, FLAG_SNAPSHOT | FLAG_LAST, seq, seq - 1, ts, ts);
}

describe('strategy snapshot and restart', () => {
  it('a kernel built from a snapshot continues with the same state and warmed-up signals', () => {
    const a = kernelOf();
    a.start();
    for (let i = 0; i < 5; i++) book(a, T0 + i * S, 100 + i, i + 1);
    const snap = JSON.parse(JSON.stringify(a.snapshotStrategy())) as StrategySnapshot;
    expect(strategySnapshotSchema.safeParse(snap).success).toBe(true);
    expect(snap.state.books).toBe(5);

    const b = kernelOf(counter(), snap);
    for (const k of [a, b]) book(k, T0 + 5 * S, 110, 6);
    // EMA(3) seeded by SMA(100.05, 101.05, 102.05) = 101.05, then α = 0.5 per second:
    // 103.05 → 102.05, 104.05 → 103.05, 110.05 → 106.55: identical in both.
    expect(b.snapshotStrategy().state).toEqual(a.snapshotStrategy().state);
    expect(b.snapshotStrategy().state.ema).toBeCloseTo(106.55, 9);
    expect(b.snapshotStrategy().state.books).toBe(6);
  });

  it('restartStrategy drops the old instance and its timers, starts a new one from the JSON snapshot', () => {
    const k = kernelOf();
    k.start(); // timer at T0 + 10 s
    book(k, T0 + S, 100, 1);
    k.restartStrategy(); // the new onStart sets its timer at T0 + 11 s; the old one is stale
    expect(k.restartedAt).toBe(T0 + S);
    k.runDue(T0 + 20 * S);
    expect(k.snapshotStrategy().state.timers).toBe(1);
    expect(k.snapshotStrategy().state.books).toBe(1);
  });

  it('restartWhenQuietAfter restarts on the first book update at or after the time', () => {
    const k = kernelOf();
    k.start();
    k.restartWhenQuietAfter(T0 + 2 * S);
    book(k, T0 + S, 100, 1);
    expect(Number.isNaN(k.restartedAt)).toBe(true);
    book(k, T0 + 3 * S, 100, 2);
    expect(k.restartedAt).toBe(T0 + 3 * S);
  });

  it('refuses a snapshot that does not fit the strategy, saying why', () => {
    const a = kernelOf(counter(2));
    const snap = a.snapshotStrategy();
    expect(() => kernelOf(counter(1), snap)).toThrow(
      /saved state holds 2 signals, the strategy registered 1/,
    );
    expect(() => kernelOf(counter(3), snap)).toThrow(/signal #3 \(sampled\) does not match the saved state/);
    const other = defineStrategy({ name: 'other', params: z.object({}), create: () => ({}) });
    expect(() => kernelOf(other, snap)).toThrow(/belongs to strategy counter, not other/);
    const bad = { ...snap, signals: [{ ...snap.signals[0]!, state: { $class: 'SMA' } }, snap.signals[1]!] };
    expect(() => kernelOf(counter(2), bad)).toThrow(/saved as SMA, restoring into EMA/);
    expect(strategySnapshotSchema.safeParse({ ...snap, version: 2 }).error?.issues[0]?.message).toMatch(
      /unsupported strategy snapshot version/,
    );
  });
});
