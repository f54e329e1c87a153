import { existsSync, readFileSync } from 'node:fs';
import { UserError } from './user-error.js';

/** `--params` takes inline JSON or `@file.json`. */
export function readParams(value: string | undefined): unknown {
  if (value === undefined) return {};
  let text = value;
  let source = '--params';
  if (value.startsWith('@')) {
    const file = value.slice(1);
    if (!existsSync(file)) throw new UserError(`--params ${value}: file ${file} not found`);
    text = readFileSync(file, 'utf8');
    source = file;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UserError(
      `${source} is not valid JSON (${(err as Error).message}); e.g. --params '{"levels":5}' or --params @params.json`,
    );
  }
}
