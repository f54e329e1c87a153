import type { BacktestSettings } from '../backtest-settings.js';

/** Main → worker: run this point into this folder. */
export interface SweepJob {
  readonly index: number;
  readonly settings: BacktestSettings;
  readonly outDir: string;
  readonly argv: readonly string[];
  readonly logLevel: string;
  readonly report: boolean;
}

/** Worker → main: the point's outcome. Errors keep their kind so the CLI reports them the same way. */
export type SweepOutcome =
  | { readonly index: number; readonly ok: true; readonly netPnl: number; readonly fills: number }
  | {
      readonly index: number;
      readonly ok: false;
      readonly kind: 'user' | 'strategy' | 'internal';
      readonly message: string;
    };
