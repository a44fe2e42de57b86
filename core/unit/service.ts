import type { Principal } from "../auth/principal.ts";
import type { Unit } from "./schema.ts";
import * as core from "./service-core.ts";

/**
 * Unit writes of the API: create, update, deactivate (core/unit/service-core.ts); the move is
 * core/unit/service-move.ts, so these requests do not load the move (job start, subtree re-path).
 * The boundary check (core/unit/boundary.ts → polyclip-ts) is imported on the first write that
 * carries a boundary, not by a create or update without one.
 */
const boundaries: core.BoundaryLoader = () => import("./boundary.ts");

export const createUnit = (p: Principal, input: unknown, now: Date): Promise<Unit> => core.createUnit(p, input, now, boundaries);
export const updateUnit = (p: Principal, id: string, input: unknown, now: Date): Promise<Unit> => core.updateUnit(p, id, input, now, boundaries);
export const deactivateUnit = core.deactivateUnit;
