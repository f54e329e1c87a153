/** The part of `process` that delivers signals (an EventEmitter in tests). */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * First SIGINT or SIGTERM: `stop` (flush, close the store cleanly). A second one while that
 * runs: `force` (the user insists; what was flushed is safe). Returns the uninstaller.
 */
export function stopOnSignals(
  stop: (signal: NodeJS.Signals) => void,
  force: (signal: NodeJS.Signals) => void,
  source: SignalSource = process,
): () => void {
  let stopping = false;
  const handlers = STOP_SIGNALS.map((signal) => {
    const handler = () => {
      if (stopping) force(signal);
      else {
        stopping = true;
        stop(signal);
      }
    };
    source.on(signal, handler);
    return { signal, handler };
  });
  return () => {
    for (const { signal, handler } of handlers) source.off(signal, handler);
  };
}
