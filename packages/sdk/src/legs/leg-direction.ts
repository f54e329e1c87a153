import type { Side } from '../events/side.js';

/** Which way a leg holds its position: a long leg buys to open, a short leg sells to open. */
export type LegDirection = 'long' | 'short';

/** +1 for long, −1 for short. */
export const directionSign = (direction: LegDirection): 1 | -1 => (direction === 'long' ? 1 : -1);

/** The side that adds to a leg (buy for long, sell for short). */
export const entrySide = (direction: LegDirection): Side => (direction === 'long' ? 'buy' : 'sell');

/** The side that reduces a leg (sell for long, buy for short). */
export const exitSide = (direction: LegDirection): Side => (direction === 'long' ? 'sell' : 'buy');
