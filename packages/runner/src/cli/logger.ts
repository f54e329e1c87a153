import { type Logger, pino } from 'pino';
import { UserError } from './user-error.js';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** JSON logs on stderr (stdout stays clean for --json output). */
export function createLogger(level: string): Logger {
  if (!LEVELS.includes(level)) throw new UserError(`--log-level ${level}: use one of ${LEVELS.join(', ')}`);
  return pino(
    { level, base: null, redact: ['apiKey', 'apiSecret', '*.apiKey', '*.apiSecret'] },
    pino.destination(2),
  );
}
