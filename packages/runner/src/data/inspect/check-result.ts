import type { Offence } from './offence.js';

export type CheckId =
  | 'depth-sequence'
  | 'crossed-book-ticker'
  | 'crossed-depth-book'
  | 'local-ts-order'
  | 'unsorted-mark'
  | 'exch-ts-within-stream'
  | 'exch-ts-across-streams'
  | 'clock-skew'
  | 'missing-instruments';

/** What one check found. */
export interface CheckResult {
  readonly id: CheckId;
  /** One line saying what is checked. */
  readonly title: string;
  /** 'problem': any count fails verify; 'info': reported only, normal in real data. */
  readonly severity: 'problem' | 'info';
  readonly count: number;
  /** The first offences in file order (at most the check's maxExamples). */
  readonly examples: readonly Offence[];
}
