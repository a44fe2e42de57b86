import * as keys from "../db/keys.ts";
import type { Case } from "./schema.ts";

/**
 * The by-owner index entry (gsi3) of a case: only while a **department** owns it (#16). The index is
 * listed only by department (`GET /v1/cases?ownerDepartment=`, a department's "mine") and counted
 * for a department's deactivation; cases owned by a unit or a person were written to it on every
 * action (a 2 KB index write, two when the owner changed) only to be counted at a rare handover,
 * which reads the open-cases index instead (core/user/repo-handover.ts `openCasesOwned`). A case
 * leaves the index when a unit or person takes it over (the case item's Put drops the attributes;
 * the unit move's re-path removes them). Its own module, so the unit move job need not load the case repo.
 */
export function ownerIndexKeys(owner: Case["owner"], createdAt: string, id: string): { gsi3pk: string; gsi3sk: string } | undefined {
  return owner.kind === "department" ? keys.caseByOwner(owner.kind, owner.id, createdAt, id) : undefined;
}
