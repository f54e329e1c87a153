import { describe, expect, it } from 'vitest';
import { parseRiskConfig, riskConfigSchema } from './config.js';

describe('riskConfigSchema', () => {
  it('an empty section turns every limit off', () => {
    expect(parseRiskConfig({})).toEqual({});
    expect(parseRiskConfig(undefined)).toEqual({});
  });

  it('orderRate: {} takes Binance USD-M limits, 300 / 10 s and 1200 / 60 s', () => {
    expect(parseRiskConfig({ orderRate: {} }).orderRate).toEqual({ per10s: 300, per60s: 1200 });
    expect(parseRiskConfig({ orderRate: { per10s: 50 } }).orderRate).toEqual({ per10s: 50, per60s: 1200 });
  });

  it('quantRules: {} takes the published figures', () => {
    expect(parseRiskConfig({ quantRules: {} }).quantRules).toEqual({
      windowUs: 600_000_000,
      bucketUs: 10_000_000,
      minOrders: 150,
      unfilledRatio: 0.99,
      gtcCancelRatio: 0.99,
      gtcCancelWithinUs: 5_000_000,
      iocExpiryRatio: 0.99,
      dustRatio: 0.9,
      warnAt: 0.8,
      blockAt: 0.95,
    });
  });

  it('keeps the limits given', () => {
    const cfg = parseRiskConfig({
      maxPositionQty: 1,
      maxPositionNotional: 50_000,
      symbols: { ETHUSDT: { maxPositionQty: 20 } },
      maxOpenOrders: 10,
      maxOrderNotional: 10_000,
      priceBand: 0.05,
      dailyLossLimit: 500,
      consecutiveLosses: { maxLosses: 3, coolDownUs: 3_600_000_000 },
      maxOpenPositions: 2,
    });
    expect(cfg.symbols?.ETHUSDT?.maxPositionQty).toBe(20);
    expect(cfg.consecutiveLosses).toEqual({ maxLosses: 3, coolDownUs: 3_600_000_000 });
  });

  it('names every bad field with its path', () => {
    const bad = () =>
      parseRiskConfig({
        maxPositionQty: -1,
        maxOpenOrders: 2.5,
        priceBand: 2,
        consecutiveLosses: { maxLosses: 3 },
      });
    expect(bad).toThrow(/invalid risk config/);
    expect(bad).toThrow(/risk\.maxPositionQty: .*>0/);
    expect(bad).toThrow(/risk\.maxOpenOrders: .*expected int/);
    expect(bad).toThrow(/risk\.priceBand: .*<=1/);
    expect(bad).toThrow(/risk\.consecutiveLosses\.coolDownUs/);
  });

  it('refuses unknown keys (a typo must not silently turn a limit off)', () => {
    expect(() => parseRiskConfig({ maxOpenOrder: 5 })).toThrow(/maxOpenOrder/);
    expect(riskConfigSchema.safeParse({ orderRate: { per5s: 1 } }).success).toBe(false);
  });

  it('quantRules: warnAt ≤ blockAt and bucketUs dividing windowUs', () => {
    expect(() => parseRiskConfig({ quantRules: { warnAt: 0.99, blockAt: 0.9 } })).toThrow(
      /risk\.quantRules\.warnAt: warnAt must be ≤ blockAt/,
    );
    expect(() => parseRiskConfig({ quantRules: { bucketUs: 7_000_000 } })).toThrow(
      /risk\.quantRules\.bucketUs: bucketUs must divide windowUs/,
    );
  });
});
