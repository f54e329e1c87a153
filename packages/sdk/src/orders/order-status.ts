/**
 * The order state machine, as the strategy sees it.
 *
 *   pending ──▶ new ──▶ partiallyFilled ──▶ filled
 *      │         │  ╲          │   ╲
 *      │         │   ▶ pendingCancel ──▶ canceled
 *      ▼         ▼                 ╲
 *   rejected   expired / canceled    ▶ (a cancel can lose the race: filled, or rejected
 *                                          when it was sent before the order's ack)
 *
 * `pending`: sent, not yet acknowledged. `pendingCancel`: a cancel was sent, not yet answered;
 * a refused cancel returns the order to where it was (`pending`, `new` or `partiallyFilled`).
 * A venue may report a fill before its ack (WebSocket ack vs user stream race), so `pending`
 * may go straight to a fill state. Terminal states never change again.
 */
export type OrderStatus =
  | 'pending'
  | 'new'
  | 'partiallyFilled'
  | 'pendingCancel'
  | 'filled'
  | 'canceled'
  | 'rejected'
  | 'expired';

const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['new', 'partiallyFilled', 'filled', 'rejected', 'expired', 'canceled', 'pendingCancel'],
  new: ['partiallyFilled', 'filled', 'pendingCancel', 'canceled', 'expired'],
  partiallyFilled: ['partiallyFilled', 'filled', 'pendingCancel', 'canceled', 'expired'],
  // A cancel sent while the order was still pending can cross the order's own rejection.
  pendingCancel: [
    'partiallyFilled',
    'filled',
    'canceled',
    'expired',
    'rejected',
    'new',
    'pending',
    'pendingCancel',
  ],
  filled: [],
  canceled: [],
  rejected: [],
  expired: [],
};

export const isTerminal = (status: OrderStatus): boolean => TRANSITIONS[status].length === 0;

/** Whether `from → to` is a legal transition (a `pendingCancel` whose cancel was refused returns to `new`). */
export const canTransition = (from: OrderStatus, to: OrderStatus): boolean => TRANSITIONS[from].includes(to);

/** Open orders are those the venue may still fill. */
export const isOpen = (status: OrderStatus): boolean => !isTerminal(status);
