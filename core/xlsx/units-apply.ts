/**
 * Writing an Excel import of the unit tree (list `units`) through the unit service's own writes
 * (core/unit/service.ts): created top-down, a unit matched by its code, only what the sheet changes
 * updated. Apart from registry-apply.ts so that the registry's import does not load the unit
 * writes, nor this one the registry's (issue #15: one runner per workbook family).
 */
import { codeRefs } from "../unit/repo-import.ts";
import { getUnit, getUnits } from "../unit/repo.ts";
import type { Unit } from "../unit/schema.ts";
import { createUnit, updateUnit } from "../unit/service-core.ts"; // workbook units carry no boundary: no clipping code loaded
import { each, type ApplyContext, type ApplyResult, type Outcome } from "./apply-each.ts";
import type { RowProblem } from "./reason.ts";
import type { UnitIn } from "./units-lists.ts";

/** Units top-down (a parent before its children, wherever its row is): each level of code length in turn. */
export async function applyUnits(rows: UnitIn[], present: Set<string>, ctx: ApplyContext): Promise<ApplyResult> {
  const out: ApplyResult = { created: 0, updated: 0, unchanged: 0, problems: [] };
  const p = ctx.principal;
  const refs = await codeRefs([...new Set(rows.flatMap((r) => [r.code, ...(r.parentCode ? [r.parentCode] : [])]))]);
  const known = await getUnits([...new Set(refs.values())]);
  const byCode = new Map<string, Unit>();
  for (const [code, id] of refs) {
    const u = known.get(id);
    if (u) byCode.set(code, u);
  }
  const failed = new Set<string>();
  const lengths = [...new Set(rows.map((r) => r.code.length))].sort((a, b) => a - b);
  for (const len of lengths) {
    await each(
      rows.filter((r) => r.code.length === len),
      4,
      ctx,
      out,
      async (r): Promise<Outcome | RowProblem[]> => {
        const current = byCode.get(r.code);
        let parent: Unit | undefined;
        if (r.parentCode) {
          parent = byCode.get(r.parentCode);
          if (!parent) return [{ line: r.line, key: "parentCode", code: failed.has(r.parentCode) ? "parent_row_failed" : "unknown_parent_unit", params: { value: r.parentCode } }];
        }
        if (!current) {
          if (!parent) return [{ line: r.line, key: "parentCode", code: "required", params: { field: "parentCode" } }];
          const made = await createUnit(
            p,
            { parentId: parent.id, code: r.code, name: r.name, type: r.type ?? "other", ...(r.households !== undefined ? { households: r.households } : {}), ...(r.population !== undefined ? { population: r.population } : {}) },
            ctx.now(),
          );
          byCode.set(made.code, made);
          return "created";
        }
        if ((current.parentId ?? null) !== (parent?.id ?? null)) {
          const actual = current.parentId ? ((await getUnit(current.parentId))?.code ?? "") : "";
          return [{ line: r.line, key: "parentCode", code: "parent_mismatch", params: { value: r.parentCode, other: actual } }];
        }
        const changes: Record<string, unknown> = {};
        if (current.name !== r.name) changes.name = r.name;
        if (r.type && r.type !== current.type) changes.type = r.type;
        for (const k of ["households", "population"] as const) if (present.has(k) && r[k] !== undefined && r[k] !== current[k]) changes[k] = r[k];
        if (!Object.keys(changes).length) return "unchanged";
        const next = await updateUnit(p, current.id, { version: current.version, ...changes }, ctx.now());
        byCode.set(next.code, next);
        return "updated";
      },
    );
    for (const pr of out.problems) {
      const r = rows.find((x) => x.line === pr.line);
      if (r) failed.add(r.code);
    }
  }
  return out;
}
