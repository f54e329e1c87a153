import type { Fill } from '../orders/fill.js';
import type { Leg } from './leg.js';

/** A strategy's legs by id; routes each fill to the leg named by its tag. */
export class LegBook {
  private readonly byId = new Map<string, Leg>();

  constructor(legs: readonly Leg[] = []) {
    for (const leg of legs) this.add(leg);
  }

  /** Adds a leg; throws if a leg with that id is already present. */
  add(leg: Leg): Leg {
    if (this.byId.has(leg.id))
      throw new Error(`LegBook: a leg with id ${JSON.stringify(leg.id)} already exists`);
    this.byId.set(leg.id, leg);
    return leg;
  }

  /** Forgets every leg (a strategy restart re-registers them from its saved state). */
  clear(): void {
    this.byId.clear();
  }

  get(id: string): Leg | undefined {
    return this.byId.get(id);
  }

  /** Legs in insertion order. */
  all(): Leg[] {
    return [...this.byId.values()];
  }

  /** Applies the fill to the leg whose id equals its tag; returns that leg, or undefined if none. */
  onFill(fill: Fill): Leg | undefined {
    if (fill.tag === undefined) return undefined;
    const leg = this.byId.get(fill.tag);
    if (leg === undefined) return undefined;
    leg.onFill(fill);
    return leg;
  }
}
