import {
  type Exchange,
  type ExecutionReport,
  type Micros,
  type Order,
  type RejectReason,
  rejectReason,
  type TimeInForce,
} from '@botplatform/sdk';
import type { Logger } from 'pino';
import type { Kernel } from '../kernel/kernel.js';
import { type FillReport, lastExchTs, missedFillReports, signedQty } from './missed-fills.js';
import {
  isReconcilable,
  type ReconcilableExchange,
  type VenueOpenOrder,
  type VenueOrderOutcome,
  type VenueOrderRecord,
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
  /** The exchange's position. */
  readonly qty: number;
  readonly avgEntryPrice: number;
  /** What the state file last recorded (undefined: nothing). */
  readonly saved: number | undefined;
  /**
   * The position the run starts from: the exchange's minus the missed fills, which bring it
   * to `qty` when they are replayed. Equal to `qty` when nothing was missed.
   */
  readonly startQty: number;
  readonly startEntryPrice: number;
}

/**
 * What the exchange did while the bot was down that the state file does not hold: fills of
 * our orders, and the end of orders that closed. Replayed to the strategy after its onStart,
 * through the ExecutionEngine as if the reports had arrived live, so fills, fees, legs and
 * realized PnL are what they would have been.
 */
export interface MissedEvents {
  /** Orders that closed while the bot was down, as the state last knew them: tracked again just before their reports replay. */
  readonly orders: readonly Order[];
  /** Fills and ends, in exchange-time order. */
  readonly reports: readonly ExecutionReport[];
}

export interface Reconciliation {
  /** Our orders found open at the exchange, now tracked by the ExecutionEngine. */
  readonly adopted: readonly Order[];
  /** Orders the state thought open that the exchange no longer lists, as recorded closed. */
  readonly closed: readonly Order[];
  /** Open orders on our symbols that this bot did not place: left alone. */
  readonly foreign: readonly VenueOpenOrder[];
  readonly positions: readonly ReconciledPosition[];
  readonly missed: MissedEvents;
  /** Whether a report that arrived while reconciling is already in the exchange's answer. */
  isStale(r: ExecutionReport): boolean;
}

const TIFS: readonly string[] = ['GTC', 'IOC', 'FOK', 'GTX'];
/** Quantities are sums of exchange decimals: equal within this. */
const QTY_EPS = 1e-9;
/** How far before the state's last record to look for unrecorded orders (clock skew between us and the exchange). */
const CLOCK_MARGIN_US = 60_000_000;

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
 * 4. fills the exchange made while the bot was down (an order's filled quantity beyond the
 *    state's) are fetched (`orderFills`) and returned as `missed`: the run starts from the
 *    position before them and replays them, so the strategy hears every fill, with its price
 *    and fee, exactly once. When the exchange cannot list them, the order is taken as the
 *    exchange has it and the fills are only in the position (logged);
 *    Orders of ours the state never recorded (sent in the last unflushed second before a
 *    kill) are found in the exchange's recent orders (`ordersSince`) and treated the same way;
 * 5. positions are set from the exchange, less the missed fills (the state's are only
 *    compared, and logged if they differ).
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
    return {
      adopted: [],
      closed: [],
      foreign: [],
      positions: [],
      missed: { orders: [], reports: [] },
      isStale: () => false,
    };
  }
  const [venueOrders, venuePositions] = await Promise.all([
    venue.openOrders(symbols),
    venue.positions(symbols),
  ]);
  const now = kernel.clock.now();

  const adopted: Order[] = [];
  const foreign: VenueOpenOrder[] = [];
  const updateTs = new Map<string, Micros>();
  const missedOrders: Order[] = [];
  const missedReports: ExecutionReport[] = [];
  const missedQty = new Map<string, number>();
  const addMissed = (o: Order, fills: readonly FillReport[], end: readonly ExecutionReport[]) => {
    missedReports.push(...fills, ...end);
    missedQty.set(o.symbol, (missedQty.get(o.symbol) ?? 0) + signedQty(o.side, fills));
  };

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
    let order = adoptedOrder(v, v.type, mine, now);
    // Filled further while we were down: adopt it as the state knew it, replay the rest.
    const seen = mine?.filledQty ?? 0;
    if (v.filledQty > seen + QTY_EPS) {
      const fills = await fillsSince(venue, order, v.exchangeOrderId, seen, v.filledQty, log);
      if (fills !== undefined) {
        order = {
          ...order,
          filledQty: seen,
          avgFillPrice: mine?.avgFillPrice ?? Number.NaN,
          status: seen > 0 ? 'partiallyFilled' : 'new',
        };
        addMissed(order, fills, []);
      }
    }
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

  /**
   * Ours, sent in the moments before a kill that the state never recorded, and closed at the
   * exchange since (open ones were adopted above): their fills are replayed like the others;
   * their tag was never saved, so those fills come untagged.
   */
  const unrecordedOrders = async (): Promise<Order[]> => {
    const since = saved?.lastRecordedTs;
    if (venue.ordersSince === undefined || since === undefined) return [];
    const known = new Set([...(saved?.usedIds ?? []), ...adopted.map((o) => o.clientOrderId)]);
    let recent: VenueOrderRecord[];
    try {
      recent = await venue.ordersSince(symbols, since - CLOCK_MARGIN_US);
    } catch (err) {
      log.warn(
        { err },
        'could not list recent orders; an order sent just before the last stop may be missing from the state',
      );
      return [];
    }
    const out: Order[] = [];
    for (const v of recent) {
      if (v.status === 'open' || known.has(v.clientOrderId) || !store.isOurs(v.clientOrderId)) continue;
      if (v.type !== 'limit' && v.type !== 'market') continue;
      known.add(v.clientOrderId);
      kernel.execution.reserveIds([v.clientOrderId]);
      const sent: Order = {
        ...adoptedOrder(v, v.type, undefined, now),
        filledQty: 0,
        avgFillPrice: Number.NaN,
        status: 'new',
        createdTs: v.updateTs,
      };
      const fills =
        v.filledQty > QTY_EPS
          ? await fillsSince(venue, sent, v.exchangeOrderId, 0, v.filledQty, log)
          : undefined;
      const outcome: VenueOrderOutcome = {
        exchangeOrderId: v.exchangeOrderId,
        status: v.status,
        filledQty: v.filledQty,
        avgFillPrice: v.avgFillPrice,
        updateTs: v.updateTs,
      };
      log.warn(
        { clientOrderId: v.clientOrderId, status: v.status, filledQty: v.filledQty },
        'an order sent just before the last stop was not in the state file; taken from the exchange',
      );
      if (fills !== undefined) {
        missedOrders.push(sent);
        addMissed(sent, fills, endReports(sent, v.status, v.updateTs, fills));
        updateTs.set(v.clientOrderId, Math.max(v.updateTs, lastExchTs(fills)));
      } else {
        const order = closedOrder(sent, outcome, now);
        store.recordOrder(order);
      }
      out.push(closedOrder(sent, outcome, now));
    }
    return out;
  };

  const closed: Order[] = [];
  for (const o of savedOpen.values()) {
    const outcome = await outcomeOf(venue, o, log);
    const exchangeOrderId = outcome?.exchangeOrderId ?? o.exchangeOrderId;
    if (outcome !== undefined && exchangeOrderId !== undefined && outcome.filledQty > o.filledQty + QTY_EPS) {
      const fills = await fillsSince(venue, o, exchangeOrderId, o.filledQty, outcome.filledQty, log);
      if (fills !== undefined) {
        // Tracked again as the state knew it (acked: the exchange has it), then replayed to its end.
        const tracked: Order = {
          ...o,
          exchangeOrderId,
          status:
            o.status === 'pendingCancel' ? 'pendingCancel' : o.filledQty > 0 ? 'partiallyFilled' : 'new',
          updatedTs: now,
        };
        missedOrders.push(tracked);
        addMissed(tracked, fills, endReports(tracked, outcome.status, outcome.updateTs, fills));
        updateTs.set(o.clientOrderId, Math.max(outcome.updateTs, lastExchTs(fills)));
        closed.push(closedOrder(o, outcome, now));
        continue;
      }
    }
    const order: Order = outcome
      ? closedOrder(o, outcome, now)
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

  closed.push(...(await unrecordedOrders()));

  const positions: ReconciledPosition[] = [];
  for (const symbol of symbols) {
    const v = venuePositions.find((p) => p.symbol === symbol);
    const qty = v?.qty ?? 0;
    const avgEntryPrice = qty === 0 ? Number.NaN : (v?.entryPrice ?? Number.NaN);
    const savedRow = saved?.positions.find((p) => p.symbol === symbol);
    const was = savedRow?.qty;
    const missed = missedQty.get(symbol) ?? 0;
    const startQty = round9(qty - missed);
    // The entry before the missed fills: the state's when it agrees on the quantity (exact
    // realized PnL on replay), else the exchange's (an approximation, said so).
    let startEntryPrice = avgEntryPrice;
    if (missed !== 0) {
      const savedEntry = savedRow?.avg_entry_price ?? Number.NaN;
      if (startQty === 0) startEntryPrice = Number.NaN;
      else if (was !== undefined && Math.abs(was - startQty) <= QTY_EPS && Number.isFinite(savedEntry))
        startEntryPrice = savedEntry;
      else
        log.warn(
          { symbol, startQty, state: was ?? 0 },
          'the position before the missed fills is not the one the state file holds; its entry price is taken from the exchange',
        );
    }
    kernel.portfolio.setPosition(kernel.sym(symbol), startQty, startEntryPrice);
    store.recordPosition(now, symbol, startQty, startEntryPrice, 'reconcile');
    if ((was ?? 0) !== startQty)
      log.warn(
        { symbol, state: was ?? 0, exchange: qty, missedFills: missed },
        'the exchange position differs from the state file (trades not made by this bot?); using the exchange position',
      );
    positions.push({ symbol, qty, avgEntryPrice, saved: was, startQty, startEntryPrice });
  }
  // Stable: one order's fills stay in trade-id order when they share a millisecond.
  missedReports.sort((a, b) => a.exchTs - b.exchTs);
  log.info(
    {
      adopted: adopted.map((o) => o.clientOrderId),
      closed: closed.map((o) => `${o.clientOrderId} ${o.status}`),
      missedFills: missedReports.filter((r) => r.kind === 'fill').length,
      positions: positions.map((p) => `${p.symbol} ${p.qty}`),
    },
    'reconciled with the exchange',
  );
  return {
    adopted,
    closed,
    foreign,
    positions,
    missed: { orders: missedOrders, reports: missedReports },
    isStale: (r) => {
      if (r.kind === 'funding') return false;
      const ts = updateTs.get(r.clientOrderId);
      return ts !== undefined && r.exchTs <= ts;
    },
  };
}

function closedOrder(o: Order, outcome: VenueOrderOutcome, now: Micros): Order {
  return {
    ...o,
    ...(outcome.exchangeOrderId !== undefined ? { exchangeOrderId: outcome.exchangeOrderId } : {}),
    status: outcome.status,
    filledQty: outcome.filledQty,
    avgFillPrice: outcome.avgFillPrice,
    updatedTs: now,
  };
}

/**
 * The report that ends a replayed order: none when its last fill leaves nothing (that fill
 * closes it), else the cancel or expiry the exchange recorded.
 */
function endReports(
  o: Order,
  status: VenueOrderOutcome['status'],
  exchTs: Micros,
  fills: readonly FillReport[],
): ExecutionReport[] {
  const last = fills[fills.length - 1];
  if (last !== undefined && last.leavesQty <= QTY_EPS) return [];
  const ts = Math.max(exchTs, lastExchTs(fills));
  if (status === 'canceled') return [{ kind: 'canceled', clientOrderId: o.clientOrderId, exchTs: ts }];
  if (status === 'filled') {
    // Filled at the exchange with quantity left by our count (the order was amended unseen):
    // its fills are real, the rest is gone.
    return [{ kind: 'canceled', clientOrderId: o.clientOrderId, exchTs: ts }];
  }
  return [
    { kind: 'expired', clientOrderId: o.clientOrderId, reason: expiryReason(o.timeInForce), exchTs: ts },
  ];
}

function expiryReason(tif: TimeInForce): RejectReason {
  const message = 'expired at the exchange while botp live was down';
  if (tif === 'IOC') return rejectReason('IOC_NOT_FILLED', message);
  if (tif === 'FOK') return rejectReason('FOK_NOT_FILLED', message);
  if (tif === 'GTX') return rejectReason('POST_ONLY_WOULD_CROSS', message);
  return rejectReason('VENUE_ERROR', message);
}

/**
 * The fills of an order beyond what the state saw, or undefined (logged) when the exchange
 * cannot list them completely: the caller then keeps the exchange's totals only.
 */
async function fillsSince(
  venue: ReconcilableExchange,
  o: Pick<Order, 'clientOrderId' | 'symbol' | 'qty'>,
  exchangeOrderId: string,
  seenQty: number,
  filledQty: number,
  log: Logger,
): Promise<FillReport[] | undefined> {
  const lost = `${round9(filledQty - seenQty)} filled while botp was down is in the position but not in the fills`;
  if (venue.orderFills === undefined) {
    log.warn({ clientOrderId: o.clientOrderId }, `this venue cannot list an order's fills: ${lost}`);
    return undefined;
  }
  try {
    const fills = missedFillReports(
      o.clientOrderId,
      o.qty,
      seenQty,
      filledQty,
      await venue.orderFills(o.symbol, exchangeOrderId),
    );
    if (fills === undefined)
      log.warn(
        { clientOrderId: o.clientOrderId },
        `the exchange's fills of the order do not add up: ${lost}`,
      );
    return fills;
  } catch (err) {
    log.warn({ clientOrderId: o.clientOrderId, err }, `could not list the order's fills: ${lost}`);
    return undefined;
  }
}

const round9 = (x: number): number => Math.round(x * 1e9) / 1e9;

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
