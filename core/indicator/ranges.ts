import { BUILTIN_INDICATORS } from "./builtin.ts";
import { listExternalDefinitions } from "./repo.ts";
import type { IndicatorDefinition } from "./schema.ts";

/**
 * Direction and range of every usable indicator: built-ins and active configured ones. Apart from
 * core/indicator/service.ts (which re-exports it): the appraisal run (core/appraisal/run.ts) reads it
 * without loading the definition and value routes' code (issue #15, docs/deploy.md "Cold path").
 */
export async function rangeDefaults(): Promise<Map<string, { direction: IndicatorDefinition["direction"]; min?: number; max?: number }>> {
  const out = new Map<string, { direction: IndicatorDefinition["direction"]; min?: number; max?: number }>();
  for (const d of BUILTIN_INDICATORS) out.set(d.key, { direction: d.direction, min: d.min, max: d.max });
  for (const d of await listExternalDefinitions()) if (d.active) out.set(d.key, { direction: d.direction, min: d.min, max: d.max });
  return out;
}
