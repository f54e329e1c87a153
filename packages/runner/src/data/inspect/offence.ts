import type { Micros } from '@botplatform/sdk';

/** One offending row (or, for file-level findings, the file itself: row and time null). */
export interface Offence {
  /** Position of the row in the file's `events` order, 0-based. */
  readonly row: number | null;
  readonly localTs: Micros | null;
  readonly exchange: string | null;
  /** null when the row's instrument is missing from `instruments`. */
  readonly symbol: string | null;
  readonly detail: string;
}

/**
 * Counts a check's offences and keeps the first few. `hit()` comes before building the
 * description, so a file with millions of offences costs a counter, not millions of strings.
 */
export class OffenceLog {
  count = 0;
  readonly examples: Offence[] = [];

  constructor(readonly maxExamples: number) {}

  /** Counts one offence; true when the caller should `add` its description. */
  hit(): boolean {
    this.count++;
    return this.examples.length < this.maxExamples;
  }

  add(offence: Offence): void {
    this.examples.push(offence);
  }
}
