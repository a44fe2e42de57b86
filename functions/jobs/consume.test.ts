import { describe, expect, it } from "vitest";
import { UNIT_IMPORT } from "../../core/unit/import-start.ts";
import { UNIT_MOVE } from "../../core/unit/move-job.ts";
import { USER_HANDOVER } from "../../core/user/handover.ts";
import { XLSX_IMPORT } from "../../core/xlsx/schema.ts";
import { FLAT_LISTS } from "../../core/xlsx/import.ts";
import { STAFF_LISTS } from "../../core/xlsx/import-staff.ts";
import { REGISTRY_LISTS } from "../../core/xlsx/import-registry.ts";
import { UNITS_LISTS } from "../../core/xlsx/import-units.ts";
import { XlsxList } from "../../core/xlsx/specs.ts";
import { JOB_KINDS, XLSX_RUNNERS } from "./consume.ts";

/** The jobs consumer spells its kinds to keep the runners' modules out of its cold start: they must be the runners' own. */
describe("jobs consumer kinds", () => {
  it("are exactly the kinds the runners' modules declare", () => {
    expect([...JOB_KINDS].sort()).toEqual([UNIT_IMPORT, UNIT_MOVE, XLSX_IMPORT, USER_HANDOVER].sort());
  });
});

/** Each Excel list goes to the runner of its family, the one module that takes it (issue #15: one lazy module per family). */
describe("Excel import runners by family", () => {
  it("cover every list, each with the runner whose lists hold it", async () => {
    expect(Object.keys(XLSX_RUNNERS).sort()).toEqual([...XlsxList.options].sort());
    const families = [
      [STAFF_LISTS, (await import("../../core/xlsx/import-staff.ts")).runStaffImport],
      [FLAT_LISTS, (await import("../../core/xlsx/import.ts")).runXlsxImport],
      [REGISTRY_LISTS, (await import("../../core/xlsx/import-registry.ts")).runRegistryImport],
      [UNITS_LISTS, (await import("../../core/xlsx/import-units.ts")).runUnitsImport],
    ] as const;
    expect(families.flatMap(([lists]) => lists).sort()).toEqual([...XlsxList.options].sort());
    for (const [lists, run] of families) for (const l of lists) expect(await XLSX_RUNNERS[l](), l).toBe(run);
  });
});
