import type { Kernel } from '../kernel/kernel.js';
import type { LiveStateStore } from './state-store.js';

/**
 * Keeps the state file current from the kernel's bus: every order state change, every fill
 * with the position after it, and the strategy snapshot (taken at each flush, so it includes
 * what the strategy did in its own onFill / onOrderUpdate).
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
