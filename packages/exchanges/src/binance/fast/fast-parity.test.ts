import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHARED_FIXTURES } from '../../../../../test/support/shared-fixtures.js';
import type { BinanceMarketEvent, BinanceMessage } from '../binance-message.js';
import { parseAggTrade } from '../messages/agg-trade.js';
import { parseBookTicker } from '../messages/book-ticker.js';
import { parseDepthUpdate } from '../messages/depth-update.js';
import { parseMarkPriceUpdate } from '../messages/mark-price-update.js';
import { BinanceParseError } from '../parse-error.js';
import { parseBinanceMessage, parseBinancePayload, parseBinancePayloadZodOnly } from '../parse-message.js';
import { fastMarketEvent } from './fast-market.js';
import { mutated, validFrame, wrapped } from './frame-arbitraries.test-support.js';

/**
 * zod is the reference: on any frame, the fast path must give what the zod-only path gives —
 * the same message (deep, -0 and NaN included), or the same BinanceParseError.
 */
const LOCAL = 1_700_000_000_123_456;
const ZOD: Record<string, (payload: unknown, localTs: number) => BinanceMarketEvent> = {
  aggTrade: parseAggTrade,
  bookTicker: parseBookTicker,
  depthUpdate: parseDepthUpdate,
  markPriceUpdate: parseMarkPriceUpdate,
};
const HOT = new Set(Object.keys(ZOD));

type Outcome = { ok: BinanceMessage } | { threw: string };

function outcome(parse: () => BinanceMessage): Outcome {
  try {
    return { ok: parse() };
  } catch (err) {
    return {
      threw: err instanceof BinanceParseError ? err.message : `not a BinanceParseError: ${String(err)}`,
    };
  }
}

/** The frame as text through parseBinanceMessage, and as an object through parseBinancePayload. */
function expectParity(frame: unknown): void {
  const text = JSON.stringify(frame);
  if (text !== undefined)
    expect(outcome(() => parseBinanceMessage(text, LOCAL))).toStrictEqual(
      outcome(() => parseBinancePayloadZodOnly(JSON.parse(text), LOCAL)),
    );
  expect(outcome(() => parseBinancePayload(frame, LOCAL))).toStrictEqual(
    outcome(() => parseBinancePayloadZodOnly(frame, LOCAL)),
  );
}

describe('fast path ≡ zod path', () => {
  it('compares -0 and NaN strictly (the check below would catch a sign or NaN slip)', () => {
    expect({ a: -0 }).not.toStrictEqual({ a: 0 });
    expect({ a: Number.NaN }).toStrictEqual({ a: Number.NaN });
  });

  it('valid frames, raw or in the envelope: the fast path takes them and gives the same message', () => {
    fc.assert(
      fc.property(validFrame, (f) => {
        expect(fastMarketEvent(f.e as string, f, LOCAL)).toBeDefined();
        expectParity(f);
        expectParity({ stream: 'btcusdt@x', data: f });
      }),
      { numRuns: 3000 },
    );
  });

  it('mutated frames (fields removed, wrong types, junk in numeric strings, huge ids, broken levels)', () => {
    fc.assert(
      fc.property(wrapped(mutated(validFrame)), (f) => expectParity(f)),
      { numRuns: 6000 },
    );
  });

  it('the fast path falls back only on frames zod refuses', () => {
    fc.assert(
      fc.property(mutated(validFrame), (f) => {
        const e = f.e;
        if (typeof e !== 'string' || !HOT.has(e)) return;
        const fast = fastMarketEvent(e, f, LOCAL);
        const ref = outcome(() => ({ kind: 'market', stream: undefined, event: ZOD[e]!(f, LOCAL) }));
        if (fast === undefined) expect(ref).toHaveProperty('threw');
        else expect({ ok: { kind: 'market', stream: undefined, event: fast } }).toStrictEqual(ref);
      }),
      { numRuns: 6000 },
    );
  });

  it.each([
    ['u past 2^53', { u: 2 ** 53 + 2 }],
    ['U > u', { U: 1011 }],
    ['a size with junk', { b: [['50000.10', '1.5x']] }],
    ['a level of three', { a: [['50000.20', '0.250', '1']] }],
    ['a number for a price', { b: [[50000.1, '1.5']] }],
    ['T in µs already', { T: 1_700_000_000_098_000 }],
    ['a fractional id', { pu: 990.5 }],
  ])('depthUpdate with %s: both reject it with the same error', (_name, patch) => {
    const f = {
      e: 'depthUpdate',
      E: 1700000000100,
      T: 1700000000098,
      s: 'BTCUSDT',
      U: 1000,
      u: 1010,
      pu: 990,
      b: [['50000.10', '1.500']],
      a: [['50000.20', '0.250']],
      ...patch,
    };
    expect(fastMarketEvent('depthUpdate', f, LOCAL)).toBeUndefined();
    expect(() => parseBinancePayload(f, LOCAL)).toThrow(BinanceParseError);
    expectParity(f);
  });
});

/** Every frame of the real captures (all exchanges: the others must agree too). */
const FIXTURES = SHARED_FIXTURES;

function captures(): unknown[] {
  const frames: unknown[] = [];
  for (const dir of ['ccxt', 'tardis']) {
    const path = join(FIXTURES, dir);
    for (const name of readdirSync(path)) {
      const text = readFileSync(join(path, name), 'utf8');
      if (name.endsWith('.json')) {
        const file = JSON.parse(text) as { methods: Record<string, { messages?: unknown[] }[]> };
        for (const c of Object.values(file.methods).flat()) frames.push(...(c.messages ?? []));
      } else if (name.endsWith('.jsonl'))
        for (const line of text.split('\n')) if (line.trim() !== '') frames.push(JSON.parse(line));
    }
  }
  return frames;
}

describe(`real captures in ${FIXTURES}`, () => {
  it('every frame parses the same; every hot USD-M frame zod accepts takes the fast path', () => {
    const frames = captures();
    expect(frames.length).toBeGreaterThan(100);
    let fast = 0;
    for (const f of frames) {
      expectParity(f);
      const ref = outcome(() => parseBinancePayloadZodOnly(f, LOCAL));
      const data = (f as { data?: unknown }).data ?? f;
      const e = (data as { e?: unknown }).e;
      if ('ok' in ref && ref.ok.kind === 'market' && typeof e === 'string' && HOT.has(e)) {
        expect(fastMarketEvent(e, data as Record<string, unknown>, LOCAL)).toEqual(ref.ok.event);
        fast++;
      }
    }
    // tardis: aggTrade, 3 markPriceUpdate, 2 depthUpdate, bookTicker; ccxt: 13 USD-M depthUpdates and more.
    expect(fast).toBeGreaterThanOrEqual(20);
  });

  it('mutations of the real frames', () => {
    const real = captures().filter((f) => {
      const data = (f as { data?: unknown }).data ?? f;
      return HOT.has(String((data as { e?: unknown }).e));
    });
    const frame = fc.constantFrom(...real).map((f) => {
      const data = (f as { data?: Record<string, unknown> }).data;
      return data ?? (f as Record<string, unknown>);
    });
    fc.assert(
      fc.property(wrapped(mutated(frame)), (f) => expectParity(f)),
      { numRuns: 3000 },
    );
  });
});
