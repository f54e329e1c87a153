import type { OrderRequest } from '../orders/order-request.js';
import type { Instrument } from './instrument.js';
import { roundToStep } from './price-grid.js';

/**
 * Puts a request on the instrument's grids without making it riskier than asked:
 * - price to the tick *passively*: a buy rounds down, a sell rounds up (a buy at 100.07 on a
 *   0.1 tick becomes 100.0), so the order never pays more or sells for less than asked and a
 *   post-only order is never pushed across the spread by rounding;
 * - quantity *down* to the step, so exposure is never larger than asked.
 * Values already on the grid (within float noise) keep their decimal value. Market orders
 * come back without a price. Does not validate: a quantity rounded to 0 or below min qty is
 * for `validateOrder` to reject.
 */
export function adjustOrder(inst: Instrument, req: OrderRequest): OrderRequest {
  const { price, ...rest } = req;
  const qty = roundToStep(req.qty, inst.stepSize, 'down');
  if (req.type === 'market' || price === undefined) return { ...rest, qty };
  const adjusted = roundToStep(price, inst.tickSize, req.side === 'buy' ? 'down' : 'up');
  return { ...rest, qty, price: adjusted };
}
