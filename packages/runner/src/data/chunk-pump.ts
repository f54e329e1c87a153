import duckdb from '@duckdb/node-bindings';

/**
 * Keeps up to `depth` data chunks of a streaming result fetched ahead of the consumer.
 *
 * Fetches are chained, never concurrent: the next `fetch_chunk` starts only when the previous
 * one has landed, because concurrent fetches on one streaming result can complete out of order.
 * Chaining still lets DuckDB's thread run ahead while JS works, so a slow chunk (the decode
 * thread shares two cores with everything else) is absorbed by the ones already waiting
 * instead of stalling the replay.
 */
export class ChunkPump {
  private readonly ready: Array<duckdb.DataChunk | null> = [];
  private fetching: Promise<void> | null = null;
  private ended = false;
  private stopped = false;
  private failure: unknown = undefined;
  private wake: (() => void) | null = null;

  constructor(
    private readonly result: duckdb.Result,
    private readonly depth: number,
  ) {
    this.pump();
  }

  /** The next chunk in order, or null at the end of the result. */
  async next(): Promise<duckdb.DataChunk | null> {
    while (this.ready.length === 0) {
      if (this.failure !== undefined) throw this.failure;
      if (this.ended || this.stopped) return null;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    const chunk = this.ready.shift()!;
    this.pump();
    return chunk;
  }

  /** Stops fetching; resolves once no fetch is running (so the connection may be closed). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.fetching;
  }

  private pump(): void {
    if (this.fetching || this.ended || this.stopped || this.ready.length >= this.depth) return;
    this.fetching = duckdb.fetch_chunk(this.result).then(
      (chunk) => {
        this.fetching = null;
        if (!chunk || duckdb.data_chunk_get_size(chunk) === 0) {
          this.ended = true;
        } else {
          this.ready.push(chunk);
        }
        this.signal();
        this.pump();
      },
      (err: unknown) => {
        this.fetching = null;
        this.failure = err;
        this.signal();
      },
    );
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
