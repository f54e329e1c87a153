// The small kernel, sim and backtest pieces the live runtime relies on: the order gate,
// adopting exchange orders, reserved ids, positions set from the exchange, shared latency legs.
import { defineStrategy, type Order, rejectReason, z } from '@botplatform/sdk';
import { ConstantLatency, parseQueueSpec, SimulatedExchange } from '@botplatform/sim';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LatencyLegs } from '../backtest/latency-legs.js';
import { ReplayClock } from '../kernel/clock.js';
import { Kernel } from '../kernel/kernel.js';
import { BTC, FakeVenue } from '../kernel/kernel.test-support.js';

const T0 = 1_700_000_000_000_000;
const idle = defineStrategy({ name: 'idle', params: z.object({}), create: () => ({}) });

function kernelOf(venue = new FakeVenue(), orderIds?: { prefix: string; next: number }) {
  const k = new Kernel({
    mode: 'live',
    clock: new ReplayClock(T0),
    instruments: [BTC],
    venue,
    strategy: idle,
    params: {},
    logger: pino({ level: 'silent' }),
    ...(orderIds ? { orderIds } : {}),
  });
  return { k, venue };
}

const buy = { symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: 100, qty: 0.1 } as const;

describe('ExecutionEngine live hooks', () => {
  it('an order gate refuses new orders and amends before the risk checks; cancels still go', () => {
    const { k, venue } = kernelOf();
    const o = k.execution.place(buy, T0, 100);
    const reason = rejectReason('RISK_DENIED', '[book-resync] paused');
    k.execution.setOrderGate((req) => (req.reduceOnly ? undefined : reason));
    const refused = k.execution.place(buy, T0, 100);
    expect(refused.status).toBe('rejected');
    expect(refused.reason).toEqual(reason);
    expect(k.execution.place({ ...buy, side: 'sell', reduceOnly: true }, T0, 100).status).toBe('pending');
    expect(k.execution.modify(o.clientOrderId, { price: 99 }, T0, 100)).toBe(false);
    expect(k.execution.cancel(o.clientOrderId, T0)).toBe(true);
    expect(venue.submits).toHaveLength(2);
    expect(venue.cancels).toHaveLength(1);
    k.execution.setOrderGate(undefined);
    expect(k.execution.place(buy, T0, 100).status).toBe('pending');
  });

  it('generated ids continue from orderIds and skip reserved ones', () => {
    const { k } = kernelOf(undefined, { prefix: 'bpx.2', next: 41 });
    k.execution.reserveIds(['bpx.2-42', 'mine-1']);
    expect(k.execution.place(buy, T0, 100).clientOrderId).toBe('bpx.2-41');
    expect(k.execution.place(buy, T0, 100).clientOrderId).toBe('bpx.2-43');
    const dup = k.execution.place({ ...buy, clientOrderId: 'mine-1' }, T0, 100);
    expect(dup.reason?.code).toBe('DUPLICATE_CLIENT_ID');
  });

  it('an adopted order is open, takes its reports, and its id is used', () => {
    const { k } = kernelOf();
    const adopted: Order = {
      clientOrderId: 'bp-7',
      exchangeOrderId: '77',
      symbol: 'BTCUSDT',
      side: 'sell',
      type: 'limit',
      timeInForce: 'GTC',
      price: 101,
      qty: 0.2,
      filledQty: 0.05,
      avgFillPrice: 101,
      status: 'partiallyFilled',
      reduceOnly: false,
      createdTs: T0,
      updatedTs: T0,
    };
    k.execution.adopt(adopted);
    expect(k.execution.openOrders()).toEqual([adopted]);
    expect(() => k.execution.adopt(adopted)).toThrow(/already tracked/);
    k.scheduleReport(
      {
        kind: 'fill',
        clientOrderId: 'bp-7',
        price: 101,
        qty: 0.15,
        fee: 0,
        liquidity: 'maker',
        leavesQty: 0,
        exchTs: T0,
      },
      T0,
    );
    k.runDue(T0);
    expect(k.execution.openOrders()).toEqual([]);
    expect(k.portfolio.qty(0)).toBe(-0.15);
    expect(k.execution.place({ ...buy, clientOrderId: 'bp-7' }, T0, 100).reason?.code).toBe(
      'DUPLICATE_CLIENT_ID',
    );
  });

  it('a repeated end (response and user-stream echo of a cancel) is applied once', () => {
    const { k } = kernelOf();
    const updates: string[] = [];
    k.bus.subscribe('orderUpdate', (o) => updates.push(o.status));
    const o = k.execution.place(buy, T0, 100);
    k.execution.cancel(o.clientOrderId, T0);
    k.scheduleReport({ kind: 'canceled', clientOrderId: o.clientOrderId, exchTs: T0 }, T0);
    k.scheduleReport({ kind: 'canceled', clientOrderId: o.clientOrderId, exchTs: T0 }, T0);
    k.runDue(T0);
    expect(updates).toEqual(['pendingCancel', 'canceled']);
  });

  it('Portfolio.setPosition sets quantity and entry; PnL follows from there', () => {
    const { k } = kernelOf();
    k.portfolio.setPosition(0, 0.3, 100);
    k.portfolio.setMarkPrice(0, 110);
    expect(k.portfolio.position(0)).toMatchObject({ qty: 0.3, avgEntryPrice: 100, realizedPnl: 0 });
    expect(k.portfolio.unrealized(0)).toBeCloseTo(3, 9);
    k.portfolio.setPosition(0, 0, 100);
    expect(Number.isNaN(k.portfolio.position(0).avgEntryPrice)).toBe(true);
  });
});

describe('SimulatedExchange.setPosition', () => {
  it('a resumed paper position allows reduce-only orders and counts fills from there', () => {
    const reports: string[] = [];
    const sim = new SimulatedExchange([BTC], {
      queue: parseQueueSpec('risk-averse'),
      sink: (r) => reports.push(r.kind),
    });
    sim.onDepthLevel(0, 1, 100, 5, true, T0);
    sim.onDepthLevel(0, -1, 100.1, 5, false, T0);
    sim.setPosition(0, 0.3);
    expect(sim.position(0)).toBe(0.3);
    const cmd = {
      clientOrderId: 'a',
      symbol: 'BTCUSDT',
      side: 'sell',
      type: 'market',
      qty: 0.1,
      price: Number.NaN,
      timeInForce: 'IOC',
      reduceOnly: true,
    } as const;
    sim.submit(cmd, T0);
    expect(reports).toEqual(['accepted', 'fill']);
    expect(sim.position(0)).toBe(0.2);
  });
});

describe('LatencyLegs', () => {
  it('keeps both channels FIFO', () => {
    const legs = new LatencyLegs(new ConstantLatency(100, 50));
    expect(legs.arrival(1000, 0)).toBe(1100);
    expect(legs.arrival(900, 0)).toBe(1100); // never overtakes the earlier command
    expect(legs.reportDue(2000, 0)).toBe(2050);
    expect(legs.reportDue(1900, 0)).toBe(2050);
    expect(legs.refusalDue(3000)).toBeUndefined();
  });
});
