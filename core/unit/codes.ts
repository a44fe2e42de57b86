import { InvalidError } from "../errors.ts";
import type { Settings } from "../settings/settings.ts";

/**
 * Unit codes are hierarchical: the county's 6-digit division code, then one fixed-width
 * segment per level (widths in settings). A child's code = its parent's code + its segment.
 */
export function checkChildCode(s: Settings, parent: { code: string; depth: number }, code: string): void {
  const level = s.levels[parent.depth];
  if (!level) throw new InvalidError(`The hierarchy has only ${s.levels.length + 1} levels; this unit cannot have children`, { fields: [{ path: "parentId", message: "deepest level" }] });
  const want = parent.code.length + level.segmentDigits;
  if (!code.startsWith(parent.code) || code.length !== want || !/^\d+$/.test(code)) {
    throw new InvalidError(`Code must be the parent's code ${parent.code} followed by ${level.segmentDigits} digits`, {
      fields: [{ path: "code", message: `expected ${parent.code}${"N".repeat(level.segmentDigits)}` }],
    });
  }
  if (/^0+$/.test(code.slice(parent.code.length))) {
    throw new InvalidError("The level segment of a code cannot be all zeros", { fields: [{ path: "code", message: "segment is zero" }] });
  }
}

/** Default unit type per level when none is given. */
export function defaultType(levelKey: string): "street" | "community" | "residential" | "other" {
  if (levelKey === "street") return "street";
  if (levelKey === "community") return "community";
  if (levelKey === "grid" || levelKey === "micro_grid") return "residential";
  return "other";
}
