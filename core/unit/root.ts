import { Settings, forgetSettings } from "../settings/settings.ts";
import type { Boundary } from "../geo/schema.ts";
import { centroid } from "../geo/measure.ts";
import { bumpTreeVersion, insertCountyRoot, unitIdByCode, getUnit } from "./repo.ts";
import type { Unit } from "./schema.ts";

/**
 * Create the county: its settings and the root unit (the only unit without a parent).
 * Idempotent: when the root already exists it is returned unchanged.
 */
export async function ensureCounty(input: { settings: Settings; boundary?: Boundary; id?: string }, now: Date): Promise<Unit> {
  const s = Settings.parse(input.settings);
  const existing = await unitIdByCode(s.countyCode);
  if (existing) return (await getUnit(existing, true))!;
  const id = input.id ?? `county-${s.countyCode}`;
  const at = now.toISOString();
  const root: Unit = {
    id,
    parentId: null,
    depth: 0,
    level: "county",
    name: s.countyName,
    code: s.countyCode,
    type: "county",
    path: `/${id}/`,
    boundary: input.boundary,
    centroid: input.boundary ? centroid(input.boundary) : undefined,
    active: true,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  if (!(await insertCountyRoot(root, s))) return (await getUnit(id, true))!;
  forgetSettings();
  await bumpTreeVersion();
  return root;
}

