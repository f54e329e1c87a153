import type { JsonValue } from '../strategy/json.js';

/**
 * Saving and restoring a signal's internal state, so a strategy restarted mid-run (a live
 * restart, or a backtest checkpoint) continues with warmed-up indicators that give exactly the
 * values the uninterrupted run would have given.
 *
 * The state is captured structurally: every own field of the object (numbers, booleans,
 * strings, null, arrays, Float64Arrays, and nested objects such as a MACD's EMAs or a window's
 * ring buffer), class names recorded. One generic walk instead of a hand-written toJSON per
 * indicator means a new signal is restorable the day it is written, and nothing a hand-written
 * one forgets (a ring buffer's head, a compensated sum's residue) is lost. Functions are not
 * state and are skipped. Numbers round-trip exactly through JSON; NaN and ±Infinity, which
 * JSON cannot hold, are tagged.
 *
 * `restoreSignalState` writes into an instance the strategy has just constructed with its own
 * arguments, and checks the saved shape matches it field by field (same class, same fields,
 * same kinds), throwing `SignalStateError` with the path of the first mismatch: a state saved
 * by a different version of the strategy or indicator is refused rather than half-applied.
 */
export class SignalStateError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`signal state at ${path}: ${message}`);
    this.name = 'SignalStateError';
  }
}

const CLASS = '$class';
const NUM = '$num';
const F64 = '$f64';

export function captureSignalState(signal: object): JsonValue {
  return captureObject(signal, new Set());
}

export function restoreSignalState(signal: object, state: JsonValue, path = 'signal'): void {
  restoreObject(signal as Record<string, unknown>, state, path);
}

function captureValue(v: unknown, seen: Set<object>): JsonValue | undefined {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : { [NUM]: String(v) };
  if (typeof v === 'undefined') return null;
  if (typeof v === 'function') return undefined;
  if (v instanceof Float64Array) return { [F64]: Array.from(v, (x) => captureValue(x, seen) as JsonValue) };
  if (Array.isArray(v)) return v.map((x) => captureValue(x, seen) ?? null);
  if (typeof v === 'object') return captureObject(v, seen);
  throw new SignalStateError('?', `cannot save a ${typeof v}`);
}

function captureObject(obj: object, seen: Set<object>): JsonValue {
  if (seen.has(obj)) throw new SignalStateError(obj.constructor.name, 'cyclic reference');
  seen.add(obj);
  const fields: Record<string, JsonValue> = {};
  for (const k of dataKeys(obj)) {
    const saved = captureValue((obj as Record<string, unknown>)[k], seen);
    if (saved !== undefined) fields[k] = saved;
  }
  seen.delete(obj);
  return { [CLASS]: obj.constructor.name, ...fields };
}

/** Own enumerable data properties (getters are views of state, not state). */
function dataKeys(obj: object): string[] {
  const descs = Object.getOwnPropertyDescriptors(obj);
  return Object.keys(descs).filter((k) => descs[k]!.enumerable && 'value' in descs[k]!);
}

function isRecord(v: unknown): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function restoreObject(target: Record<string, unknown>, state: JsonValue, path: string): void {
  if (!isRecord(state)) throw new SignalStateError(path, 'expected an object');
  const cls = target.constructor.name;
  if (state[CLASS] !== cls)
    throw new SignalStateError(path, `saved as ${String(state[CLASS])}, restoring into ${cls}`);
  const keys = dataKeys(target).filter((k) => typeof target[k] !== 'function');
  const savedKeys = Object.keys(state).filter((k) => k !== CLASS);
  const missing = keys.filter((k) => !(k in state));
  const extra = savedKeys.filter((k) => !keys.includes(k));
  if (missing.length > 0 || extra.length > 0) {
    throw new SignalStateError(
      path,
      `fields differ (missing: ${missing.join(', ') || '-'}; unknown: ${extra.join(', ') || '-'})`,
    );
  }
  for (const k of keys) target[k] = restoreValue(target[k], state[k]!, `${path}.${k}`);
}

/** Returns the restored value for a field whose current value is `current`. */
function restoreValue(current: unknown, saved: JsonValue, path: string): unknown {
  if (current instanceof Float64Array) {
    if (!isRecord(saved) || !Array.isArray(saved[F64]))
      throw new SignalStateError(path, 'expected a Float64Array');
    return Float64Array.from(saved[F64], (x, i) => restoreNumber(x, `${path}[${i}]`) ?? Number.NaN);
  }
  if (Array.isArray(current)) {
    if (!Array.isArray(saved)) throw new SignalStateError(path, 'expected an array');
    // Arrays of numbers (ring buffers, windows) may change length; arrays of objects must not.
    if (current.length > 0 && typeof current[0] === 'object' && current[0] !== null) {
      if (saved.length !== current.length)
        throw new SignalStateError(path, `expected ${current.length} entries, saved ${saved.length}`);
      current.forEach((item: object, i) => {
        restoreObject(item as Record<string, unknown>, saved[i]!, `${path}[${i}]`);
      });
      return current;
    }
    return saved.map((x, i) => (isRecord(x) ? restoreNumber(x, `${path}[${i}]`) : x));
  }
  if (isRecord(saved) && saved[CLASS] === 'Object' && (current === null || isPlain(current))) {
    return plainFromSaved(saved, path); // a value object (e.g. MACD's {macd, signal, histogram})
  }
  if (typeof current === 'object' && current !== null) {
    if (saved === null) return null;
    restoreObject(current as Record<string, unknown>, saved, path);
    return current;
  }
  if (typeof current === 'number' || (isRecord(saved) && NUM in saved)) return restoreNumber(saved, path);
  // null, boolean, string: a field that was null may legitimately hold a value now, and vice versa.
  if (isRecord(saved))
    throw new SignalStateError(
      path,
      `expected a ${current === null ? 'null' : typeof current}, saved an object`,
    );
  if (saved !== null && current !== null && current !== undefined && typeof saved !== typeof current)
    throw new SignalStateError(path, `expected a ${typeof current}, saved a ${typeof saved}`);
  return saved;
}

function isPlain(v: unknown): boolean {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

function plainFromSaved(saved: Record<string, JsonValue>, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(saved)) {
    if (k === CLASS) continue;
    if (isRecord(v) && NUM in v) out[k] = restoreNumber(v, `${path}.${k}`);
    else if (isRecord(v) && v[CLASS] === 'Object') out[k] = plainFromSaved(v, `${path}.${k}`);
    else out[k] = v;
  }
  return out;
}

function restoreNumber(saved: JsonValue, path: string): number | null {
  if (typeof saved === 'number') return saved;
  if (saved === null) return null;
  if (isRecord(saved) && typeof saved[NUM] === 'string') {
    const n = Number(saved[NUM]);
    if (Number.isNaN(n) && saved[NUM] !== 'NaN') throw new SignalStateError(path, `bad number ${saved[NUM]}`);
    return n;
  }
  throw new SignalStateError(path, 'expected a number');
}
