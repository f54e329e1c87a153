import fc from 'fast-check';

/**
 * Generators of Binance USD-M hot frames for the fast-path parity test: valid ones in the
 * documented shapes (edge values included: ids up to 2^53 − 1, times up to the µs limit,
 * leading zeros, 400-digit sizes that are Infinity as numbers), and mutations of any frame
 * (a field removed, replaced by an odd value, a decimal string with junk, a broken level).
 */

type Frame = Record<string, unknown>;

const MAX_MS = Math.floor(Number.MAX_SAFE_INTEGER / 1000);

const ms = fc.oneof(
  fc.integer({ min: 0, max: MAX_MS }),
  fc.constantFrom(0, MAX_MS, 1_700_000_000_000, 1_568_014_460_891),
);
const id = fc.oneof(fc.maxSafeNat(), fc.constantFrom(0, Number.MAX_SAFE_INTEGER, 11_270_657_312_257));
const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });
const decimal = fc
  .oneof(
    { weight: 20, arbitrary: fc.tuple(digits(1, 8), fc.option(digits(1, 9), { nil: undefined })) },
    { weight: 1, arbitrary: fc.tuple(digits(300, 400), fc.option(digits(1, 3), { nil: undefined })) },
    { weight: 1, arbitrary: fc.tuple(fc.constant('0'), fc.constant('000000000000000000000000001')) },
  )
  .map(([int, frac]) => (frac === undefined ? int : `${int}.${frac}`));
const size = decimal;
const price = decimal.filter((s) => Number(s) > 0);
const rate = fc.tuple(fc.boolean(), decimal).map(([neg, d]) => (neg ? `-${d}` : d));
const symbol = fc.oneof(
  fc.constantFrom('BTCUSDT', 'ETHUSDT', 'BTCUSDT_250328'),
  fc.string({ minLength: 1, maxLength: 12 }),
);
const levels = fc.array(fc.tuple(price, size), { maxLength: 25 });

/** Fields Binance sends that the parsers ignore, and made-up ones, never a parsed key. */
const extras = (known: readonly string[]) =>
  fc.dictionary(
    fc.string({ maxLength: 4 }).filter((k) => !known.includes(k) && k !== '__proto__'),
    fc.jsonValue({ maxDepth: 2 }),
    { maxKeys: 3 },
  );

function frame(e: string, fields: Record<string, fc.Arbitrary<unknown>>, optional: readonly string[] = []) {
  const known = ['e', ...Object.keys(fields)];
  return fc
    .tuple(
      fc.record(fields, { requiredKeys: Object.keys(fields).filter((k) => !optional.includes(k)) }),
      extras(known),
    )
    .map(([f, x]): Frame => ({ ...x, e, ...f }));
}

export const validFrame: fc.Arbitrary<Frame> = fc.oneof(
  frame('aggTrade', { E: ms, T: ms, s: symbol, a: id, f: id, l: id, p: price, q: price, m: fc.boolean() }, [
    'a',
  ]),
  frame('bookTicker', { E: ms, T: ms, s: symbol, u: id, b: price, B: size, a: price, A: size }),
  frame('depthUpdate', {
    E: ms,
    T: ms,
    s: symbol,
    Uu: fc.tuple(id, id).map(([x, y]) => (x <= y ? [x, y] : [y, x])),
    pu: id,
    b: levels,
    a: levels,
  }).map(({ Uu, ...f }) => ({ ...f, U: (Uu as number[])[0], u: (Uu as number[])[1] })),
  frame(
    'markPriceUpdate',
    { E: ms, s: symbol, p: price, i: price, P: price, r: fc.oneof(rate, fc.constant('')), T: ms },
    ['i', 'P'],
  ),
);

/** Values a field should not hold, and some it may: wrong types, junk decimals, edge numbers. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    ...[null, true, false, undefined, [], {}, '', ' ', '-', '.', '0', '00', '0.0', '-0', '-0.0', '1'],
    ...[
      '1e5',
      '1.',
      '.5',
      '+1',
      '-1',
      '0x10',
      '１',
      '١',
      '1\n',
      ' 1',
      '1 ',
      'Infinity',
      'NaN',
      '1,5',
      '1.2.3',
    ],
    ...[0, -0, -1, 1.5, 0.1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e21, 1e300],
    ...[2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, MAX_MS, MAX_MS + 1, MAX_MS + 0.5, 1_700_000_000_000],
    ...[[['1', '2']], [['1', '2', '3']], [['1']], [[1, 2]], [['0', '1']], ['1', '2'], [null], [[]]],
  ),
  fc.jsonValue({ maxDepth: 2 }),
  fc.double(),
  fc.integer(),
  decimal,
  decimal.map(Number),
);

type Mutation = (f: Frame) => Frame;

const pickKey = (f: Frame, i: number): string => {
  const keys = Object.keys(f);
  return keys[i % keys.length] ?? 'e';
};

const removeField = fc.nat().map(
  (i): Mutation =>
    (f) => {
      const { [pickKey(f, i)]: _, ...rest } = f;
      return rest;
    },
);
const replaceField = fc.tuple(fc.nat(), oddValue).map(
  ([i, v]): Mutation =>
    (f) => ({ ...f, [pickKey(f, i)]: v }),
);
/** A character inserted into (or a number turned into) a string, or a string into a number. */
const junkField = fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...' -+.,eE0x\n\u00a0١a')).map(
  ([i, at, c]): Mutation =>
    (f) => {
      const k = pickKey(f, i);
      const v = f[k];
      if (typeof v === 'string')
        return { ...f, [k]: v.slice(0, at % (v.length + 1)) + c + v.slice(at % (v.length + 1)) };
      if (typeof v === 'number') return { ...f, [k]: String(v) };
      return f;
    },
);
const numberField = fc.nat().map(
  (i): Mutation =>
    (f) => {
      const k = pickKey(f, i);
      return typeof f[k] === 'string' ? { ...f, [k]: Number(f[k]) } : f;
    },
);
/** A number field at or just past a limit of its schema. */
const edgeNumber = fc
  .tuple(
    fc.nat(),
    fc.constantFrom(
      ...[0, -0, -1, 0.5, 1e21, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2],
      ...[MAX_MS, MAX_MS + 1, MAX_MS + 0.5],
    ),
  )
  .map(
    ([i, v]): Mutation =>
      (f) => {
        const numbers = Object.keys(f).filter((k) => typeof f[k] === 'number');
        const k = numbers[i % Math.max(1, numbers.length)];
        return k === undefined ? f : { ...f, [k]: v };
      },
  );
/** A string field made almost a decimal: a sign, a dangling point, blanks, an exponent, empty. */
const edgeString = fc
  .tuple(
    fc.nat(),
    fc.constantFrom<(v: string) => string>(
      (v) => `+${v}`,
      (v) => `-${v}`,
      (v) => `--${v}`,
      (v) => `${v}.`,
      (v) => `.${v}`,
      (v) => ` ${v}`,
      (v) => `${v}\n`,
      (v) => `${v}e1`,
      (v) => `0${v}`,
      (v) => `${v}.0`,
      () => '',
      () => '-',
      () => '-0',
      () => '0',
      () => '0.0',
    ),
  )
  .map(
    ([i, edit]): Mutation =>
      (f) => {
        const strings = Object.keys(f).filter((k) => typeof f[k] === 'string');
        const k = strings[i % Math.max(1, strings.length)];
        return k === undefined ? f : { ...f, [k]: edit(f[k] as string) };
      },
  );
/** One level of `b` or `a` (depth) broken: an odd item, a third item, or one missing. */
const breakLevel = fc.tuple(fc.boolean(), fc.nat(), fc.nat(2), oddValue).map(
  ([bids, at, how, v]): Mutation =>
    (f) => {
      const side = bids ? 'b' : 'a';
      const ls = f[side];
      if (!Array.isArray(ls) || ls.length === 0) return { ...f, [side]: [v] };
      const j = at % ls.length;
      const level: unknown[] = Array.isArray(ls[j]) ? ls[j] : [ls[j]];
      const broken = how === 0 ? [level[0], v] : how === 1 ? [...level, v] : [v];
      return { ...f, [side]: ls.map((l, n) => (n === j ? broken : l)) };
    },
);
/** Update ids out of order (U > u) or equal. */
const swapIds = fc.constant<Mutation>((f) => ({ ...f, U: f.u, u: f.U }));

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  edgeNumber,
  edgeString,
  removeField,
  replaceField,
  junkField,
  numberField,
  breakLevel,
  swapIds,
);

/** `frame` with 1–3 mutations. */
export const mutated = (frame: fc.Arbitrary<Frame>): fc.Arbitrary<Frame> =>
  fc
    .tuple(frame, fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([f, ms]) => ms.reduce((acc, m) => m(acc), f));

/** The frame raw, in the combined-stream envelope, or in an envelope of an odd kind. */
export const wrapped = (frame: fc.Arbitrary<Frame>): fc.Arbitrary<unknown> =>
  fc.tuple(frame, fc.nat(9)).map(([data, how]) => {
    if (how < 4) return data;
    if (how < 8) return { stream: `${String(data.s).toLowerCase()}@${String(data.e)}`, data };
    return how === 8 ? { stream: 1, data } : { stream: 'x@depth', data: [data] };
  });
