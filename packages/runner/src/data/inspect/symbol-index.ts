import type { Instrument, Micros } from '@botplatform/sdk';
import type { StoredInstrument } from '../instrument-table.js';
import type { Offence } from './offence.js';

/** One slot per possible `events.sym` value (USMALLINT), so checks index state arrays by sym. */
export const SYM_SLOTS = 65_536;

/** A store's instruments by `sym` id, and offences labelled with them. */
export class SymbolIndex {
  private readonly bySym: Array<Instrument | undefined> = [];

  constructor(instruments: readonly StoredInstrument[]) {
    for (const s of instruments) this.bySym[s.sym] = s.instrument;
  }

  /** The instrument of a sym id; undefined when `instruments` has no row for it. */
  instrument(sym: number): Instrument | undefined {
    return this.bySym[sym];
  }

  offence(sym: number, row: number, localTs: Micros, detail: string): Offence {
    const inst = this.bySym[sym];
    return {
      row,
      localTs,
      exchange: inst?.exchange ?? null,
      symbol: inst?.symbol ?? null,
      detail: inst ? detail : `(sym ${sym}, no instrument) ${detail}`,
    };
  }
}
