import type { Instrument, Micros, Side } from '@botplatform/sdk';

/** One round trip: flat → position → flat (a flip closes one trip and opens the next). */
export interface RoundTrip {
  readonly symbol: string;
  readonly direction: 'long' | 'short';
  readonly entryTs: Micros;
  /** Local time of the closing fill; for a trip still open at the end, the end of the run. */
  readonly exitTs: Micros;
  /** Volume-weighted price of the quantity added. */
  readonly entryPrice: number;
  /** Volume-weighted price of the quantity taken off; the final mark for the open remainder. */
  readonly exitPrice: number;
  /** Total quantity added over the trip (scale-ins included). */
  readonly qty: number;
  /** Price PnL, quote currency, before fees and funding. */
  readonly grossPnl: number;
  readonly fees: number;
  readonly funding: number;
  /** grossPnl − fees − funding. */
  readonly netPnl: number;
  readonly holdingS: number;
  /** Worst and best running price PnL of the trip (realized part + open part at the mark). */
  readonly mae: number;
  readonly mfe: number;
  /** Still open when the run ended (marked at the last price; not counted in trade statistics). */
  readonly isOpen: boolean;
}

interface OpenTrip {
  dir: 1 | -1;
  entryTs: Micros;
  /** Position in whole steps (integers: no float dust when it returns to zero). */
  steps: number;
  avg: number;
  addNotional: number;
  addQty: number;
  exitNotional: number;
  exitQty: number;
  gross: number;
  fees: number;
  fundingAtEntry: number;
  mae: number;
  mfe: number;
}

/**
 * Cuts each symbol's fills into round trips. Quantities are counted in whole step sizes so a
 * position that returns to zero is exactly zero. A fill that flips the position closes the
 * trip with the part that reaches zero and opens the next trip with the rest; its fee is split
 * between the two by quantity. Funding is what the symbol's cumulative funding moved while the
 * trip was open (the caller passes the cumulative figure at each fill).
 *
 * MAE / MFE: the lowest and highest running price PnL of the trip,
 *   runningPnl = realized so far + dir · (mark − avgEntry) · openQty · contractSize,
 * observed at every fill and at every `mark` call (the run store marks at its sample interval),
 * so an excursion between two observations is not seen.
 */
export class RoundTripTracker {
  private readonly open: (OpenTrip | null)[];
  readonly trips: RoundTrip[] = [];

  constructor(private readonly instruments: readonly Instrument[]) {
    this.open = instruments.map(() => null);
  }

  onFill(
    sym: number,
    side: Side,
    price: number,
    qty: number,
    fee: number,
    ts: Micros,
    cumulativeFunding: number,
  ): void {
    const inst = this.instruments[sym]!;
    const fillSteps = Math.round(qty / inst.stepSize);
    if (fillSteps <= 0) return;
    const sign = side === 'buy' ? 1 : -1;
    let rest = fillSteps;
    let t = this.open[sym] ?? null;
    if (t !== null && sign !== t.dir) {
      const closing = Math.min(rest, t.steps);
      const q = closing * inst.stepSize;
      t.gross += t.dir * (price - t.avg) * q * inst.contractSize;
      t.exitNotional += price * q;
      t.exitQty += q;
      t.fees += (fee * closing) / fillSteps;
      t.steps -= closing;
      rest -= closing;
      this.observe(t, price, inst);
      if (t.steps === 0) {
        this.close(sym, t, ts, cumulativeFunding, false);
        t = null;
      }
    }
    if (rest > 0) {
      if (t === null) {
        t = {
          dir: sign,
          entryTs: ts,
          steps: 0,
          avg: 0,
          addNotional: 0,
          addQty: 0,
          exitNotional: 0,
          exitQty: 0,
          gross: 0,
          fees: 0,
          fundingAtEntry: cumulativeFunding,
          mae: 0,
          mfe: 0,
        };
        this.open[sym] = t;
      }
      const q = rest * inst.stepSize;
      t.avg = (t.avg * t.steps + price * rest) / (t.steps + rest);
      t.steps += rest;
      t.addNotional += price * q;
      t.addQty += q;
      t.fees += (fee * rest) / fillSteps;
      this.observe(t, price, inst);
    }
  }

  /** Observes the mark of a symbol for its open trip's excursions. */
  mark(sym: number, price: number): void {
    const t = this.open[sym];
    if (t && !Number.isNaN(price)) this.observe(t, price, this.instruments[sym]!);
  }

  /** Ends the run: trips still open are reported marked at `marks[sym]`, flagged open. */
  finish(ts: Micros, marks: readonly number[], cumulativeFunding: readonly number[]): void {
    this.open.forEach((t, sym) => {
      if (t === null) return;
      const inst = this.instruments[sym]!;
      const mark = marks[sym]!;
      const q = t.steps * inst.stepSize;
      if (!Number.isNaN(mark)) {
        t.gross += t.dir * (mark - t.avg) * q * inst.contractSize;
        t.exitNotional += mark * q;
        t.exitQty += q;
      }
      this.close(sym, t, ts, cumulativeFunding[sym]!, true);
    });
  }

  private observe(t: OpenTrip, price: number, inst: Instrument): void {
    const pnl = t.gross + t.dir * (price - t.avg) * t.steps * inst.stepSize * inst.contractSize;
    if (pnl < t.mae) t.mae = pnl;
    if (pnl > t.mfe) t.mfe = pnl;
  }

  private close(sym: number, t: OpenTrip, ts: Micros, funding: number, isOpen: boolean): void {
    const fundingPaid = funding - t.fundingAtEntry;
    this.trips.push({
      symbol: this.instruments[sym]!.symbol,
      direction: t.dir > 0 ? 'long' : 'short',
      entryTs: t.entryTs,
      exitTs: ts,
      entryPrice: t.addNotional / t.addQty,
      exitPrice: t.exitQty > 0 ? t.exitNotional / t.exitQty : Number.NaN,
      qty: t.addQty,
      grossPnl: t.gross,
      fees: t.fees,
      funding: fundingPaid,
      netPnl: t.gross - t.fees - fundingPaid,
      holdingS: (ts - t.entryTs) / 1_000_000,
      mae: t.mae,
      mfe: t.mfe,
      isOpen,
    });
    this.open[sym] = null;
  }
}
