/**
 * Case figures of a unit (from `GET /v1/units/tree` and `/v1/units/map`) and the colour scale of
 * the county map: green for none, then three steps up to the largest figure shown (pure).
 */
import type { TreeNode, UnitFigures } from "../../../core/unit/tree.ts";

export type { TreeNode, UnitFigures };

export interface TreePage {
  month: string;
  parent: TreeNode | null;
  items: TreeNode[];
  nextCursor: string | null;
}

export type Metric = "open" | "overdue";

export const SCALE_COLORS = ["#43a047", "#fdd835", "#fb8c00", "#e53935"] as const;
/** Colour of units whose figures the caller may not read. */
export const NO_FIGURES_COLOR = "#9e9e9e";

export interface Step {
  color: string;
  from: number;
  to: number;
}

/** The legend's steps for figures up to `max`: 0, then three ranges of (about) equal width. */
export function scaleSteps(max: number): Step[] {
  const steps: Step[] = [{ color: SCALE_COLORS[0], from: 0, to: 0 }];
  if (max <= 0) return steps;
  const width = Math.max(1, Math.ceil(max / 3));
  let from = 1;
  for (let i = 1; i <= 3 && from <= max; i++) {
    const to = i === 3 ? max : Math.min(max, from + width - 1);
    steps.push({ color: SCALE_COLORS[i], from, to });
    from = to + 1;
  }
  return steps;
}

export function colorFor(value: number | undefined, steps: readonly Step[]): string {
  if (value === undefined) return NO_FIGURES_COLOR;
  return steps.find((s) => value >= s.from && value <= s.to)?.color ?? steps[steps.length - 1].color;
}
