import { staffOfUnitWithRole } from "./repo-reads.ts";

/** The open-case counts are table reads: they live in the case area's repo (core/case/repo-reads.ts). */
export { openCaseCount, openCasesOwnedBy } from "./repo-reads.ts";

/** Active users holding the dispatcher role on these units (staff rows exist only for active users). */
export async function activeDispatchers(unitIds: string[]): Promise<string[]> {
  const users = new Set<string>();
  for (const unitId of new Set(unitIds)) for (const userId of await staffOfUnitWithRole(unitId, "dispatcher")) users.add(userId);
  return [...users];
}
