/**
 * A run of `events` rows in columnar form: one typed array per column, `length` rows valid.
 * The replay feed hands these to the kernel as they come off DuckDB, so nothing is boxed per
 * row; the writer buffers its rows in the same shape. Column meanings per `kind` are in
 * schema.ts (`EventKind`, `DepthFlag`). Timestamps and sequence numbers are µs / integers held
 * in doubles (exact below 2^53), never `bigint`.
 */
export interface EventBatch {
  readonly length: number;
  readonly kind: Uint8Array;
  /** In a replay batch: index into `ReplayReader.instruments`. In the writer: the file's sym id. */
  readonly sym: Uint16Array;
  readonly exchTs: Float64Array;
  readonly localTs: Float64Array;
  readonly seq: Float64Array;
  readonly prevSeq: Float64Array;
  readonly flags: Uint8Array;
  readonly side: Int8Array;
  readonly price: Float64Array;
  readonly qty: Float64Array;
  readonly price2: Float64Array;
  readonly qty2: Float64Array;
}
