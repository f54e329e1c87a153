import type { OrderCommand } from '@botplatform/sdk';
import type { Kernel } from '../kernel/kernel.js';
import type { LiveStateStore } from './state-store.js';

/**
 * Keeps the state file current from the kernel's bus: every order state change, every fill
 * with the position after it, and the strategy snapshot (taken at each flush, so it includes
 * what the strategy did in its own onFill / onOrderUpdate). `recordSent` records an order as
 * it leaves (`pending`: the bus only announces changes after that).
 */
export function attachStateRecorder(kernel: Kernel, store: LiveStateStore): void {
  kernel.bus.subscribe('orderUpdate', (o) => store.recordOrder(o));
  kernel.bus.subscribe('fill', (f) => {
    const sym = kernel.sym(f.symbol);
    const pos = kernel.portfolio.position(sym);
    store.recordFill(f, pos.qty);
    store.recordPosition(f.localTs, f.symbol, pos.qty, pos.avgEntryPrice, 'fill');
  });
  store.setSnapshotSource(() => kernel.snapshotStrategy());
}

/** For TimedVenue's onSubmit: the order as the ExecutionEngine holds it when it leaves, `pending`. */
export function recordSent(kernel: () => Kernel, store: LiveStateStore): (cmd: OrderCommand) => void {
  return (cmd) => {
    const o = kernel()
      .execution.openOrders(cmd.symbol)
      .find((x) => x.clientOrderId === cmd.clientOrderId);
    if (o !== undefined) store.recordOrder(o);
  };
}
