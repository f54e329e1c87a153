import type { Fill, JsonValue, Micros, Order, Position } from '@botplatform/sdk';

/** Topics published on the kernel's bus, for subscribers outside the trading path. */
export interface BusEvents {
  orderUpdate: Order;
  fill: Fill;
  position: Position;
  signal: { readonly name: string; readonly ts: Micros; readonly value: number | JsonValue };
  equity: { readonly ts: Micros; readonly equity: number };
  /** A sampling moment (see Kernel.sampleEvery): at most once per interval, on a book update. */
  sample: { readonly ts: Micros };
}

export type BusTopic = keyof BusEvents;
type Handler<T extends BusTopic> = (payload: BusEvents[T]) => void;

/**
 * A typed synchronous publish/subscribe bus. Storage, monitoring and notifications subscribe
 * here; engines never call them directly, so adding a subscriber changes no engine.
 */
export class EventBus {
  private readonly handlers: { [T in BusTopic]: Handler<T>[] } = {
    orderUpdate: [],
    fill: [],
    position: [],
    signal: [],
    equity: [],
    sample: [],
  };

  subscribe<T extends BusTopic>(topic: T, handler: Handler<T>): () => void {
    const list = this.handlers[topic] as Handler<T>[];
    list.push(handler);
    return () => {
      const i = list.indexOf(handler);
      if (i >= 0) list.splice(i, 1);
    };
  }

  hasSubscribers(topic: BusTopic): boolean {
    return this.handlers[topic].length > 0;
  }

  publish<T extends BusTopic>(topic: T, payload: BusEvents[T]): void {
    const list = this.handlers[topic] as Handler<T>[];
    for (let i = 0; i < list.length; i++) list[i]!(payload);
  }
}
