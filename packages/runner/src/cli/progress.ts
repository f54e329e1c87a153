import cliProgress from 'cli-progress';

export interface Progress {
  start(total: number): void;
  update(done: number): void;
  stop(): void;
}

/** A progress bar on stderr when it is a terminal; silent otherwise (CI, pipes, --json). */
export function createProgress(enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return { start() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '  replay [{bar}] {percentage}% | {value}/{total} events | eta {eta_formatted}',
      hideCursor: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (total) => bar.start(total, 0),
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}
