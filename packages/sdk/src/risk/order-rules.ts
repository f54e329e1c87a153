import type { Instrument } from '../instrument/instrument.js';
import type { OrderRequest } from '../orders/order-request.js';
import type { RiskConfig } from './config.js';
import { fmt, RISK_OK, type RiskResult, riskDenied } from './risk-decision.js';
import type { RiskStateView } from './risk-state.js';

/**
 * The stateless rules: each a pure function of the config, the state snapshot and the order
 * request. `price` is the price the order is valued at: its limit price, or for a market order
 * the reference price (NaN when unknown: value-based checks are then skipped). `replacesQty` is
 * the open quantity of the order being amended (0 for a new order): an amend is judged by what
 * it adds.
 */
export interface RuleInput {
  readonly inst: Instrument;
  readonly req: OrderRequest;
  readonly price: number;
  readonly replacesQty: number;
  readonly state: RiskStateView;
}

const EPS = 1e-9;

/** Position if every open order on the order's side and the order itself filled (worst case). */
export function projectedPosition(i: RuleInput): number {
  const { req, state } = i;
  const add = state.openOrderQty(req.symbol, req.side) - i.replacesQty + req.qty;
  return state.positionQty(req.symbol) + (req.side === 'buy' ? add : -add);
}

/** |projected position| ≤ maxPositionQty (per-symbol override first). Reduce-only exempt. */
export function checkMaxPositionQty(cfg: RiskConfig, i: RuleInput): RiskResult {
  const max = cfg.symbols?.[i.req.symbol]?.maxPositionQty ?? cfg.maxPositionQty;
  if (max === undefined || i.req.reduceOnly === true) return RISK_OK;
  const p = projectedPosition(i);
  if (Math.abs(p) <= max * (1 + EPS)) return RISK_OK;
  return riskDenied(
    'maxPositionQty',
    `position ${fmt(i.state.positionQty(i.req.symbol))} with open orders and this ${i.req.side} of ${i.req.qty} could reach ${fmt(p)}, beyond max ${max} for ${i.req.symbol}`,
  );
}

/** |projected position| × price × contract size ≤ maxPositionNotional. Reduce-only exempt. */
export function checkMaxPositionNotional(cfg: RiskConfig, i: RuleInput): RiskResult {
  const max = cfg.symbols?.[i.req.symbol]?.maxPositionNotional ?? cfg.maxPositionNotional;
  if (max === undefined || i.req.reduceOnly === true || !(i.price > 0)) return RISK_OK;
  const n = Math.abs(projectedPosition(i)) * i.price * i.inst.contractSize;
  if (n <= max * (1 + EPS)) return RISK_OK;
  return riskDenied(
    'maxPositionNotional',
    `position notional could reach ${fmt(n)} at ${i.price}, beyond max ${max} for ${i.req.symbol}`,
  );
}

/** Fewer than maxOpenOrders open (account-wide) before a new order; amends are not new orders. */
export function checkMaxOpenOrders(cfg: RiskConfig, i: RuleInput): RiskResult {
  const max = cfg.maxOpenOrders;
  if (max === undefined || i.replacesQty > 0) return RISK_OK;
  const open = i.state.openOrderCount();
  if (open < max) return RISK_OK;
  return riskDenied('maxOpenOrders', `${open} orders already open, max ${max} (${i.req.symbol})`);
}

/** price × qty × contract size ≤ maxOrderNotional. Applies to every order (a fat-finger guard). */
export function checkMaxOrderNotional(cfg: RiskConfig, i: RuleInput): RiskResult {
  const max = cfg.maxOrderNotional;
  if (max === undefined || !(i.price > 0)) return RISK_OK;
  const n = i.price * i.req.qty * i.inst.contractSize;
  if (n <= max * (1 + EPS)) return RISK_OK;
  return riskDenied(
    'maxOrderNotional',
    `order notional ${fmt(n)} (price ${i.price} × qty ${i.req.qty}) is above max ${max} for ${i.req.symbol}`,
  );
}

/** Limit orders: |price − mid| / mid ≤ priceBand. Skipped while the book has no mid. */
export function checkPriceBand(cfg: RiskConfig, i: RuleInput): RiskResult {
  const band = cfg.priceBand;
  if (band === undefined || i.req.type !== 'limit') return RISK_OK;
  const mid = i.state.mid(i.req.symbol);
  if (!(mid > 0)) return RISK_OK;
  const dev = Math.abs(i.price - mid) / mid;
  if (dev <= band + EPS) return RISK_OK;
  return riskDenied(
    'priceBand',
    `price ${i.price} is ${fmt(dev * 100)} % from mid ${mid}, band ${fmt(band * 100)} % for ${i.req.symbol}`,
  );
}

/** A non-reduce-only order on a flat symbol may not open position number maxOpenPositions + 1. */
export function checkMaxOpenPositions(cfg: RiskConfig, i: RuleInput): RiskResult {
  const max = cfg.maxOpenPositions;
  if (max === undefined || i.req.reduceOnly === true) return RISK_OK;
  if (i.state.positionQty(i.req.symbol) !== 0) return RISK_OK;
  const open = i.state.openPositionCount();
  if (open < max) return RISK_OK;
  return riskDenied(
    'maxOpenPositions',
    `${open} positions already open, max ${max}: no new position in ${i.req.symbol}`,
  );
}
