/** One symbol's one-way position. */
export interface Position {
  /** Signed size: + long, − short. */
  qty: number;
  /** Average entry price (0 when flat). */
  entry: number;
  /** Realized PnL accumulated before fees (Binance `cr`). */
  realized: number;
  updateTime: number;
}

/**
 * The loopback account: one USDT cross-margin wallet and a one-way position per symbol,
 * moved by the simulated exchange's fills and funding. Margin, leverage and liquidation are
 * not modelled.
 */
export class Account {
  private readonly positions = new Map<string, Position>();

  constructor(public wallet: number) {}

  position(symbol: string): Position {
    let p = this.positions.get(symbol);
    if (p === undefined) {
      p = { qty: 0, entry: 0, realized: 0, updateTime: 0 };
      this.positions.set(symbol, p);
    }
    return p;
  }

  /**
   * A fill of `signedQty` (+ buy, − sell) at `price` paying `fee` (negative = rebate).
   * Returns the PnL it realized (closing part × (price − entry), before the fee).
   */
  fill(symbol: string, signedQty: number, price: number, fee: number, timeMs: number): number {
    const p = this.position(symbol);
    let realized = 0;
    if (p.qty === 0 || Math.sign(p.qty) === Math.sign(signedQty)) {
      const total = Math.abs(p.qty) + Math.abs(signedQty);
      p.entry = (Math.abs(p.qty) * p.entry + Math.abs(signedQty) * price) / total;
    } else {
      const closing = Math.min(Math.abs(signedQty), Math.abs(p.qty));
      realized = closing * (price - p.entry) * Math.sign(p.qty);
      // A fill larger than the position opens the other way at its own price.
      if (Math.abs(signedQty) > Math.abs(p.qty)) p.entry = price;
    }
    p.qty = round(p.qty + signedQty);
    if (p.qty === 0) p.entry = 0;
    p.realized += realized;
    p.updateTime = timeMs;
    this.wallet += realized - fee;
    return realized;
  }

  /** Funding paid (`amount` > 0) or received. */
  funding(amount: number): void {
    this.wallet -= amount;
  }
}

/** Sums of grid quantities drift in binary; 1e-9 is far below any step size. */
const round = (x: number): number => Math.round(x * 1e9) / 1e9;
