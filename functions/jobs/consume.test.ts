import { describe, expect, it } from "vitest";
import { UNIT_IMPORT } from "../../core/unit/import-start.ts";
import { UNIT_MOVE } from "../../core/unit/move-job.ts";
import { USER_HANDOVER } from "../../core/user/handover.ts";
import { XLSX_IMPORT } from "../../core/xlsx/schema.ts";
import { JOB_KINDS } from "./consume.ts";

/** The jobs consumer spells its kinds to keep the runners' modules out of its cold start: they must be the runners' own. */
describe("jobs consumer kinds", () => {
  it("are exactly the kinds the runners' modules declare", () => {
    expect([...JOB_KINDS].sort()).toEqual([UNIT_IMPORT, UNIT_MOVE, XLSX_IMPORT, USER_HANDOVER].sort());
  });
});
