/** Cases: schemas, the lifecycle table and the one pure function that changes state. */
export * from "./schema.ts";
export { TRANSITIONS, OPEN_STATES, MEDIATORS, TERMINAL_ACTIONS, allowedActions, ruleFor, actorMatches } from "./machine.ts";
export type { Transition, Principal, Guard } from "./machine.ts";
export { decide, timerChanges, STAGE_OF } from "./decide.ts";
export { stateDiagram, actionTable } from "./mermaid.ts";
