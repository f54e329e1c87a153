import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface UplotAssets {
  readonly js: string;
  readonly css: string;
}

let cached: UplotAssets | undefined;

/** uPlot's browser build and stylesheet, read from the installed package so the report works offline. */
export function uplotAssets(): UplotAssets {
  if (cached) return cached;
  const dir = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');
  cached = {
    js: readFileSync(join(dir, 'uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(join(dir, 'uPlot.min.css'), 'utf8'),
  };
  return cached;
}
