/** Order side, and the aggressor side of a trade. */
export type Side = 'buy' | 'sell';

/** The tick store's encoding: 1 = buy aggressor / bid, -1 = sell aggressor / ask. */
export type SideSign = 1 | -1;

export const sideSign = (side: Side): SideSign => (side === 'buy' ? 1 : -1);
export const sideOfSign = (sign: number): Side => (sign > 0 ? 'buy' : 'sell');
export const oppositeSide = (side: Side): Side => (side === 'buy' ? 'sell' : 'buy');
