export type { BubbleExit, BubbleState } from './bubble-exit.js';
export { Leg, type LegOptions } from './leg.js';
export { LegBook } from './leg-book.js';
export { directionSign, entrySide, exitSide, type LegDirection } from './leg-direction.js';
export { LEG_STATE_VERSION, type LegState, parseLegState } from './leg-state.js';
export type { FractionPlan, LadderLevel, LadderPlan, ScaleInPlan, ScaleOutPlan } from './scale-plan.js';
