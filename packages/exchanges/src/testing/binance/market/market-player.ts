import { setTimeout as sleep, setImmediate as yieldNow } from 'node:timers/promises';
import type { MarketEvent } from '@botplatform/sdk';
import type { LoopbackClock } from '../loopback-clock.js';

/** Events handled between yields to the event loop when playing as fast as possible. */
const BATCH = 256;

/**
 * Plays a market (a tick-store replay or a generated market) into the loopback: each event
 * is applied when the loopback clock reaches its exchange time (speed × wall time), or at
 * once at speed Infinity, yielding to the event loop regularly so the sockets are served.
 * Resolves when the source ends or `signal` aborts.
 */
export async function playMarket(
  source: AsyncIterable<MarketEvent> | Iterable<MarketEvent>,
  clock: LoopbackClock,
  apply: (ev: MarketEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  let n = 0;
  try {
    for await (const ev of source) {
      if (signal.aborted) return;
      if (!clock.started) clock.start(ev.exchTs);
      const wait = clock.waitMs(ev.exchTs);
      if (wait >= 1) await sleep(wait, undefined, { signal });
      else if (++n % BATCH === 0) await yieldNow(undefined, { signal });
      clock.observe(ev.exchTs);
      apply(ev);
    }
  } catch (err) {
    if (signal.aborted) return;
    throw err;
  }
}
