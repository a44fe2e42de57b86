import type { CaseState } from "./schema.ts";

/**
 * The states in which a case is open (counted in the live `open` counters, core/aggregate/apply.ts).
 * Apart from the lifecycle table (core/case/machine.ts re-exports it): a module that only counts open
 * cases does not load the whole table with its guards (issue #15, docs/deploy.md "Cold path").
 */
export const OPEN_STATES: readonly CaseState[] = ["reported", "accepted", "claimable", "dispatched", "in_progress", "handled", "verified"];
