import type { JsonValue, OrderBookView, StrategyContext } from '@botplatform/sdk';
import type { Kernel } from './kernel.js';

/**
 * Builds the `ctx` a strategy receives. A thin facade: every call goes to the kernel's
 * engines, so backtest, paper and live behave the same by construction.
 */
export function createStrategyContext(kernel: Kernel): StrategyContext {
  const state: Record<string, JsonValue> = {};
  const symbols = Object.freeze(kernel.instruments.map((i) => i.symbol));
  const log = kernel.log.child({ component: 'strategy' });
  const books: readonly OrderBookView[] = kernel.marketData.books;
  return {
    mode: kernel.mode,
    now: () => kernel.clock.now(),
    symbols,
    instrument: (symbol) => kernel.instruments[kernel.sym(symbol)]!,
    book: (symbol) => books[kernel.sym(symbol)]!,
    position: (symbol) => kernel.portfolio.position(kernel.sym(symbol)),
    openOrders: (symbol) => kernel.execution.openOrders(symbol),
    placeOrder: (req) => {
      const sym = kernel.instruments.findIndex((i) => i.symbol === req.symbol);
      const ref = sym >= 0 ? books[sym]!.mid() : Number.NaN;
      return kernel.execution.place(req, kernel.clock.now(), ref);
    },
    cancelOrder: (id) => kernel.execution.cancel(id, kernel.clock.now()),
    modifyOrder: (id, changes) => {
      const open = kernel.execution.openOrders().find((o) => o.clientOrderId === id);
      const ref = open ? books[kernel.sym(open.symbol)]!.mid() : Number.NaN;
      return kernel.execution.modify(id, changes, kernel.clock.now(), ref);
    },
    cancelAll: (symbol) => kernel.execution.cancelAll(symbol, kernel.clock.now()),
    setTimer: (name, atUs) => kernel.setTimer(name, atUs, 0),
    setInterval: (name, everyUs) => {
      if (!(everyUs > 0)) throw new RangeError(`setInterval(${name}): everyUs must be > 0, got ${everyUs}`);
      kernel.setTimer(name, kernel.clock.now() + everyUs, everyUs);
    },
    clearTimer: (name) => kernel.clearTimer(name),
    state,
    emit: (name, value) => kernel.emitSignal(name, value),
    log,
  };
}
