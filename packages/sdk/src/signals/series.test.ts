import { describe, expect, it } from 'vitest';

/**
 * Deterministic series for the signal tests. Named `*.test.ts` so the SDK build excludes it;
 * it checks its own generators below.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Geometric random walk around 50,000 (a BTC-like price). */
export function randomWalk(n: number, seed: number): number[] {
  const rnd = mulberry32(seed);
  const out: number[] = [];
  let p = 50_000;
  for (let i = 0; i < n; i++) {
    p *= 1 + (rnd() - 0.5) * 0.004;
    out.push(p);
  }
  return out;
}

/** Upward trend with noise: mostly gains, some losses. */
export function trending(n: number, seed: number): number[] {
  const rnd = mulberry32(seed);
  const out: number[] = [];
  let p = 100;
  for (let i = 0; i < n; i++) {
    p += 0.05 + (rnd() - 0.4) * 0.5;
    out.push(p);
  }
  return out;
}

export interface Bar {
  high: number;
  low: number;
  close: number;
}

export function bars(closes: readonly number[], seed: number): Bar[] {
  const rnd = mulberry32(seed);
  return closes.map((close) => {
    const high = close * (1 + rnd() * 0.002);
    const low = close * (1 - rnd() * 0.002);
    return { high, low, close };
  });
}

export function relClose(a: number, b: number, tol = 1e-9): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

// Registered only when this file itself is the test file, not in every file that imports it.
if (expect.getState().testPath?.endsWith('series.test.ts')) {
  describe('test series', () => {
    it('are deterministic and shaped as intended', () => {
      expect(randomWalk(100, 1)).toEqual(randomWalk(100, 1));
      const t = trending(5000, 2);
      expect(t[4999]!).toBeGreaterThan(t[0]! + 100);
      for (const b of bars(randomWalk(100, 3), 4)) expect(b.low <= b.close && b.close <= b.high).toBe(true);
    });
  });
}
