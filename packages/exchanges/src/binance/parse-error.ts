/**
 * A frame that claims to be a known Binance message (a known `e`, a REST body we asked for)
 * but does not have the shape Binance documents. Unknown event types are not errors: the
 * parser reports them as `unknown`, so a new Binance stream never breaks a running adapter.
 */
export class BinanceParseError extends Error {
  override readonly name = 'BinanceParseError';

  constructor(
    /** The message kind the frame claimed (`depthUpdate`, `/fapi/v1/depth`…), if any. */
    readonly messageKind: string | undefined,
    /** What is wrong, e.g. `b.0.1: expected a non-negative decimal string`. */
    readonly reason: string,
  ) {
    super(`malformed Binance ${messageKind ?? 'frame'}: ${reason}`);
  }
}
