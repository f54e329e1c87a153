/**
 * Reconnect delay with "full jitter" (AWS architecture blog, Exponential Backoff and Jitter):
 *
 *   delay(n) = random() · min(maxUs, baseUs · 2ⁿ)      for attempt n = 0, 1, 2, …
 *
 * Full jitter spreads the reconnects of many clients after an exchange-wide drop, so they do
 * not all hit the endpoint in the same instant. `random` is injected for deterministic tests.
 */
export function backoffDelayUs(attempt: number, baseUs: number, maxUs: number, random: () => number): number {
  const ceiling = Math.min(maxUs, baseUs * 2 ** Math.max(0, Math.min(attempt, 52)));
  return Math.floor(random() * ceiling);
}
