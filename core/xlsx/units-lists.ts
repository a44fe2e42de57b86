/**
 * The reading of a filled row of the unit tree's workbook (list `units`) into what its writes take
 * (core/xlsx/units-apply.ts). Apart from the registry's rows (core/xlsx/registry-lists.ts) so that each
 * runner of the jobs consumer loads only its own family's layout and checks (issue #15).
 */
import { Code } from "../unit/code.ts";
import type { UnitType } from "../unit/type.ts";
import { byText, invalid, readCount, readRows, tooLong, type Cells } from "./read-cells.ts";
import type { RowProblem } from "./reason.ts";
import { UNIT_TYPE_ZH, UNITS } from "./spec-units.ts";

export { UNIT_TYPE_ZH, UNITS };

export const readUnitType = byText(UNIT_TYPE_ZH);

export interface UnitIn {
  line: number;
  code: string;
  name: string;
  type?: UnitType;
  parentCode: string;
  households?: number;
  population?: number;
}

export function readUnitRows(rows: Array<{ line: number; cells: Cells }>): { units: UnitIn[]; problems: RowProblem[] } {
  const { records, problems } = readRows(
    UNITS,
    rows,
    (c, line, own) => {
      const u: UnitIn = { line, code: c.code, name: c.name.trim(), parentCode: c.parentCode };
      if (c.code && !Code.safeParse(c.code).success) own.push(invalid(line, "code", c.code, "digits only, 6 to 24"));
      if (c.parentCode && !Code.safeParse(c.parentCode).success) own.push(invalid(line, "parentCode", c.parentCode, "digits only, 6 to 24"));
      if (c.code && c.parentCode && !c.code.startsWith(c.parentCode)) own.push(invalid(line, "code", c.code, `the parent's code ${c.parentCode} followed by this level's digits`));
      const long = tooLong(line, "name", u.name, 64);
      if (long) own.push(long);
      if (c.type) {
        const t = readUnitType(c.type);
        if (!t) own.push(invalid(line, "type", c.type, Object.values(UNIT_TYPE_ZH).join(", ")));
        else u.type = t;
      }
      for (const k of ["households", "population"] as const) {
        const n = readCount(c[k] ?? "", 10_000_000);
        if (n === "invalid") own.push(invalid(line, k, c[k], "a whole number"));
        else if (n !== undefined) u[k] = n;
      }
      return u;
    },
    (u) => (Code.safeParse(u.code).success ? u.code : undefined),
  );
  return { units: records, problems };
}
