import {
  AggressorVolume,
  type JsonValue,
  Leg,
  type LegsApi,
  Microprice,
  OpenInterestChange,
  OrderBookImbalance,
  type OrderBookView,
  type SignalsApi,
  type StrategyContext,
  TradeFlowImbalance,
  TradeRate,
} from '@botplatform/sdk';
import type { Kernel } from './kernel.js';

/**
 * Builds the `ctx` a strategy receives. A thin facade: every call goes to the kernel's
 * engines, so backtest, paper and live behave the same by construction.
 */
export function createStrategyContext(kernel: Kernel, state: Record<string, JsonValue>): StrategyContext {
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
    signals: signalsApi(kernel),
    legs: legsApi(kernel),
    state,
    emit: (name, value) => kernel.emitSignal(name, value),
    log,
  };
}

/** `ctx.signals`: each factory builds the SDK signal and registers it with the SignalsEngine. */
function signalsApi(kernel: Kernel): SignalsApi {
  const engine = kernel.signals;
  return {
    obi: (symbol, opts) => engine.addBook(kernel.sym(symbol), new OrderBookImbalance(opts)),
    microprice: (symbol) => engine.addBook(kernel.sym(symbol), new Microprice()),
    tradeFlow: (symbol, windowUs) => engine.addTrade(kernel.sym(symbol), new TradeFlowImbalance(windowUs)),
    aggressorVolume: (symbol, windowUs) => engine.addTrade(kernel.sym(symbol), new AggressorVolume(windowUs)),
    tradeRate: (symbol, windowUs) => engine.addTrade(kernel.sym(symbol), new TradeRate(windowUs)),
    openInterestChange: (symbol, windowUs) =>
      engine.addOpenInterest(kernel.sym(symbol), new OpenInterestChange(windowUs)),
    sampled: (symbol, indicator, opts) =>
      engine.addSampled(kernel.sym(symbol), indicator, opts, kernel.clock.now()),
  };
}

/** `ctx.legs`: legs on the run's instruments, fed by the kernel with fills tagged by their id. */
function legsApi(kernel: Kernel): LegsApi {
  return {
    create: ({ id, symbol, direction }) =>
      kernel.legs.add(
        new Leg({ id, symbol, direction, instrument: kernel.instruments[kernel.sym(symbol)]! }),
      ),
    restore: (state) => kernel.legs.add(Leg.fromJSON(state)),
    get: (id) => kernel.legs.get(id),
    all: () => kernel.legs.all(),
  };
}
