import type { Principal } from "../auth/principal.ts";
import { inScopes } from "../auth/principal.ts";
import type { Actor } from "./schema.ts";

/**
 * The case machine's view of a caller, relative to a case's unit: the roles the caller holds
 * over that unit (assignments covering it, plus department roles which are not unit-scoped),
 * the deepest covering unit, and the caller's department.
 */
export function actorFor(p: Principal, unitPath: string): Actor {
  switch (p.kind) {
    case "user": {
      const covering = p.assignments.filter((a) => unitPath.startsWith(a.unitPath) || a.role === "department_staff");
      const deepest = covering.filter((a) => a.role !== "department_staff").sort((a, b) => b.unitPath.length - a.unitPath.length)[0];
      const dept = p.assignments.find((a) => a.role === "department_staff" && a.departmentId);
      return {
        kind: "user",
        id: p.id,
        roles: [...new Set(covering.map((a) => a.role))],
        ...(dept?.departmentId ? { departmentId: dept.departmentId } : {}),
        ...(deepest ? { unitPath: deepest.unitPath } : dept ? { unitPath: dept.unitPath } : {}),
      };
    }
    case "resident":
      return { kind: "resident", id: p.id, roles: [], ...(p.unitPath ? { unitPath: p.unitPath } : {}) };
    case "api_key":
      return { kind: "api_key", id: p.id, roles: [], ...(p.unitPath ? { unitPath: p.unitPath } : {}) };
    case "system":
      return { kind: "system", id: p.id, roles: [] };
  }
}

/** May this caller see this case at all? (scope subtree, its department's cases, a resident's own). */
export function canSee(p: Principal, c: { unitPath: string; owner: { kind: string; id: string }; handler?: { kind: string; id: string }; candidateDepartments: string[]; reporter: { kind: string; id: string } }): boolean {
  switch (p.kind) {
    case "system":
      return true;
    case "resident":
      return c.reporter.kind === "resident" && c.reporter.id === p.id;
    case "api_key":
      return p.permissions.includes("cases:read") && inScopes(c.unitPath, [p.unitPath ?? "/"]);
    case "user":
      return p.assignments.some((a) => {
        if (a.role === "department_staff") {
          const d = a.departmentId;
          return Boolean(d) && ((c.owner.kind === "department" && c.owner.id === d) || (c.handler?.kind === "department" && c.handler.id === d) || c.candidateDepartments.includes(d!));
        }
        return inScopes(c.unitPath, [a.unitPath]); // canonical paths while a moved subtree is re-pathed
      }) || (c.reporter.kind === "user" && c.reporter.id === p.id);
  }
}
