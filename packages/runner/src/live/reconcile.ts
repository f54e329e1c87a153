import {
  type Exchange,
  type ExecutionReport,
  type Micros,
  type Order,
  rejectReason,
  type TimeInForce,
} from '@botplatform/sdk';
import type { Logger } from 'pino';
import type { Kernel } from '../kernel/kernel.js';
import {
  isReconcilable,
  type ReconcilableExchange,
  type VenueOpenOrder,
  type VenueOrderOutcome,
} from './reconcilable-exchange.js';
import type { LiveStateStore } from './state-store.js';

export interface ReconcileOptions {
  readonly kernel: Kernel;
  readonly venue: Exchange;
  readonly store: LiveStateStore;
  readonly symbols: readonly string[];
  readonly logger: Logger;
}

export interface ReconciledPosition {
  readonly symbol: string;
  readonly qty: number;
  readonly avgEntryPrice: number;
  /** What the state file last recorded (undefined: nothing). */
  readonly saved: number | undefined;
}

export interface Reconciliation {
  /** Our orders found open at the exchange, now tracked by the ExecutionEngine. */
  readonly adopted: readonly Order[];
  /** Orders the state thought open that the exchange no longer lists, as recorded closed. */
  readonly closed: readonly Order[];
  /** Open orders on our symbols that this bot did not place: left alone. */
  readonly foreign: readonly VenueOpenOrder[];
  readonly positions: readonly ReconciledPosition[];
  /** Whether a report that arrived while reconciling is already in the exchange's answer. */
  isStale(r: ExecutionReport): boolean;
}

const TIFS: readonly string[] = ['GTC', 'IOC', 'FOK', 'GTX'];

/**
 * Brings a (re)started bot in line with the exchange before its strategy's onStart:
 *
 * 1. ids: every clientOrderId in the state is reserved, so no id is ever reused (generated ids
 *    also carry the run's epoch, see LiveStateStore);
 * 2. open orders: ours (generated with the state's prefix, or recorded open in the state) are
 *    adopted into the ExecutionEngine with the exchange's price, quantity and fill state and
 *    the state's tag and creation time; others (manual orders, other bots) are left alone;
 * 3. orders the state thought open that the exchange does not list are recorded as closed:
 *    with the outcome the exchange gives (`orderOutcome`) when it can, else assumed canceled
 *    (whatever they filled while the bot was down is in the exchange's position, step 4);
 * 4. positions are set from the exchange (the state's are only compared, and logged if they
 *    differ).
 *
 * Reports held back while this ran are stale when they concern an adopted order and are not
 * newer than the exchange's last change of it (its `updateTs`): the answer already includes them.
 * A venue that cannot list orders and positions (not a ReconcilableExchange) is assumed to hold
 * none, with a warning.
 */
export async function reconcile(opts: ReconcileOptions): Promise<Reconciliation> {
  const { kernel, store, symbols } = opts;
  const log = opts.logger.child({ component: 'reconcile' });
  const saved = store.saved;
  kernel.execution.reserveIds(saved?.usedIds ?? []);
  const savedOpen = new Map((saved?.openOrders ?? []).map((o) => [o.clientOrderId, o]));
  const venue = opts.venue;
  if (!isReconcilable(venue)) {
    log.warn(
      { venue: venue.id },
      'this venue cannot list open orders and positions; assuming none (orders and positions from an earlier run are not restored)',
    );
    return { adopted: [], closed: [], foreign: [], positions: [], isStale: () => false };
  }
  const [venueOrders, venuePositions] = await Promise.all([
    venue.openOrders(symbols),
    venue.positions(symbols),
  ]);
  const now = kernel.clock.now();

  const adopted: Order[] = [];
  const foreign: VenueOpenOrder[] = [];
  const updateTs = new Map<string, Micros>();
  for (const v of venueOrders) {
    const mine = savedOpen.get(v.clientOrderId);
    if (mine === undefined && !store.isOurs(v.clientOrderId)) {
      foreign.push(v);
      continue;
    }
    savedOpen.delete(v.clientOrderId);
    if (v.type !== 'limit' && v.type !== 'market') {
      log.warn(
        { order: v },
        `order ${v.clientOrderId} is a ${v.type} order, which botp does not manage; left alone`,
      );
      continue;
    }
    const order = adoptedOrder(v, v.type, mine, now);
    kernel.execution.adopt(order);
    kernel.execution.reserveIds([order.clientOrderId]);
    store.recordOrder(order);
    updateTs.set(order.clientOrderId, v.updateTs);
    adopted.push(order);
  }
  if (foreign.length > 0)
    log.warn(
      { orders: foreign.map((o) => `${o.symbol} ${o.clientOrderId}`) },
      'open orders on these symbols were not placed by this bot; left alone',
    );

  const closed: Order[] = [];
  for (const o of savedOpen.values()) {
    const outcome = await outcomeOf(venue, o, log);
    const order: Order = outcome
      ? {
          ...o,
          status: outcome.status,
          filledQty: outcome.filledQty,
          avgFillPrice: outcome.avgFillPrice,
          updatedTs: now,
        }
      : {
          ...o,
          status: 'canceled',
          updatedTs: now,
          reason: rejectReason(
            'UNKNOWN_ORDER',
            'not open at the exchange when botp live restarted; assumed canceled (what it filled meanwhile is in the exchange position)',
          ),
        };
    store.recordOrder(order);
    closed.push(order);
  }

  const positions: ReconciledPosition[] = [];
  for (const symbol of symbols) {
    const v = venuePositions.find((p) => p.symbol === symbol);
    const qty = v?.qty ?? 0;
    const avgEntryPrice = qty === 0 ? Number.NaN : (v?.entryPrice ?? Number.NaN);
    const was = saved?.positions.find((p) => p.symbol === symbol)?.qty;
    kernel.portfolio.setPosition(kernel.sym(symbol), qty, avgEntryPrice);
    store.recordPosition(now, symbol, qty, avgEntryPrice, 'reconcile');
    if ((was ?? 0) !== qty)
      log.warn(
        { symbol, state: was ?? 0, exchange: qty },
        'the exchange position differs from the state file; using the exchange position',
      );
    positions.push({ symbol, qty, avgEntryPrice, saved: was });
  }
  log.info(
    {
      adopted: adopted.map((o) => o.clientOrderId),
      closed: closed.map((o) => `${o.clientOrderId} ${o.status}`),
      positions: positions.map((p) => `${p.symbol} ${p.qty}`),
    },
    'reconciled with the exchange',
  );
  return {
    adopted,
    closed,
    foreign,
    positions,
    isStale: (r) => {
      if (r.kind === 'funding') return false;
      const ts = updateTs.get(r.clientOrderId);
      return ts !== undefined && r.exchTs <= ts;
    },
  };
}

function adoptedOrder(
  v: VenueOpenOrder,
  type: 'limit' | 'market',
  mine: Order | undefined,
  now: Micros,
): Order {
  const tif = (TIFS.includes(v.timeInForce ?? '') ? v.timeInForce : mine?.timeInForce) as
    | TimeInForce
    | undefined;
  return {
    clientOrderId: v.clientOrderId,
    exchangeOrderId: v.exchangeOrderId,
    symbol: v.symbol,
    side: v.side,
    type,
    timeInForce: tif ?? (type === 'market' ? 'IOC' : 'GTC'),
    price: type === 'market' ? Number.NaN : v.price,
    qty: v.qty,
    filledQty: v.filledQty,
    avgFillPrice: v.avgFillPrice,
    status: v.filledQty > 0 ? 'partiallyFilled' : 'new',
    reduceOnly: v.reduceOnly,
    ...(mine?.tag !== undefined ? { tag: mine.tag } : {}),
    createdTs: mine?.createdTs ?? now,
    updatedTs: now,
  };
}

async function outcomeOf(
  venue: ReconcilableExchange,
  o: Order,
  log: Logger,
): Promise<VenueOrderOutcome | undefined> {
  if (venue.orderOutcome === undefined) return undefined;
  try {
    return await venue.orderOutcome(o.symbol, o.clientOrderId);
  } catch (err) {
    log.warn({ clientOrderId: o.clientOrderId, err }, 'could not query the order; assuming it was canceled');
    return undefined;
  }
}
