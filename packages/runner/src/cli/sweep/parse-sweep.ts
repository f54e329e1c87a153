import { UserError } from '../user-error.js';

export type SweepValue = number | string | boolean;

/** One swept param and the values it takes. */
export interface SweepAxis {
  readonly name: string;
  readonly values: readonly SweepValue[];
}

/** The most points one sweep may have (a typo like 0:1:0.0001 should not start 10 000 runs). */
export const MAX_SWEEP_POINTS = 2_000;

/**
 * Parses `--sweep` values: `name=v1,v2,v3` (numbers, true/false, or text) or
 * `name=from:to:step` (numbers, inclusive of `to` when the steps land on it). Range values are
 * rounded to the step's decimals, so 0.1:0.5:0.1 gives 0.1, 0.2, 0.3, 0.4, 0.5 exactly.
 */
export function parseSweeps(specs: readonly string[]): SweepAxis[] {
  const axes = specs.map(parseSweep);
  const seen = new Set<string>();
  for (const a of axes) {
    if (seen.has(a.name)) throw new UserError(`--sweep names param ${a.name} twice; give each param once`);
    seen.add(a.name);
  }
  const points = axes.reduce((n, a) => n * a.values.length, 1);
  if (points > MAX_SWEEP_POINTS)
    throw new UserError(
      `--sweep makes ${points} runs, more than ${MAX_SWEEP_POINTS}; use fewer values or coarser steps`,
    );
  return axes;
}

function parseSweep(spec: string): SweepAxis {
  const eq = spec.indexOf('=');
  const name = spec.slice(0, eq).trim();
  const body = spec.slice(eq + 1).trim();
  if (eq <= 0 || name === '' || body === '')
    throw new UserError(
      `--sweep '${spec}' is not name=values; e.g. --sweep 'levels=3,5,8' or --sweep 'threshold=0.1:0.5:0.1'`,
    );
  if (/^[^,]*:[^,]*:[^,]*$/.test(body)) return { name, values: range(spec, body) };
  const values = body.split(',').map((v) => scalar(v.trim()));
  if (values.some((v) => v === '')) throw new UserError(`--sweep '${spec}' has an empty value`);
  return { name, values };
}

function range(spec: string, body: string): number[] {
  const [from, to, step] = body.split(':').map(Number) as [number, number, number];
  if (![from, to, step].every(Number.isFinite) || !(step > 0) || to < from)
    throw new UserError(`--sweep '${spec}': a range is from:to:step with numbers, step > 0 and to ≥ from`);
  const decimals = Math.max(decimalsOf(from), decimalsOf(step));
  const n = Math.floor((to - from) / step + 1e-9);
  if (n + 1 > MAX_SWEEP_POINTS)
    throw new UserError(
      `--sweep '${spec}' has ${n + 1} values, more than ${MAX_SWEEP_POINTS}; use a coarser step`,
    );
  return Array.from({ length: n + 1 }, (_, i) => Number((from + i * step).toFixed(decimals)));
}

function decimalsOf(x: number): number {
  const s = String(x);
  if (s.includes('e-')) return Number(s.split('e-')[1]);
  return s.includes('.') ? s.split('.')[1]!.length : 0;
}

function scalar(v: string): SweepValue {
  if (v === 'true') return true;
  if (v === 'false') return false;
  const n = Number(v);
  return v !== '' && Number.isFinite(n) ? n : v;
}

/** Every combination of the axes' values (the first axis varies slowest). */
export function sweepPoints(axes: readonly SweepAxis[]): Record<string, SweepValue>[] {
  let points: Record<string, SweepValue>[] = [{}];
  for (const a of axes) points = points.flatMap((p) => a.values.map((v) => ({ ...p, [a.name]: v })));
  return points;
}

/** A folder name for a point: `001-levels=3,threshold=0.1`. */
export function pointDirName(index: number, point: Record<string, SweepValue>, total: number): string {
  const width = String(total).length;
  const label = Object.entries(point)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',')
    .replace(/[^A-Za-z0-9=,._-]+/g, '_');
  return `${String(index + 1).padStart(width, '0')}-${label}`;
}
