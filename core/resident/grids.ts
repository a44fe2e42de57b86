import { NotFoundError } from "../errors.ts";
import { getSettings, type Settings } from "../settings/settings.ts";
import { getUnit, unitIdByCode } from "../unit/repo.ts";
import type { Unit } from "../unit/schema.ts";

/** Depth of the grid level: residents register into units at this depth or below (any non-root unit without a "grid" level). */
export function gridDepth(s: Settings): number {
  const i = s.levels.findIndex((l) => l.key === "grid");
  return i >= 0 ? i + 1 : 1;
}

/** An active grid (or micro-grid) by its code; 404 otherwise. */
export async function gridByCode(code: string): Promise<Unit> {
  const [id, settings] = await Promise.all([unitIdByCode(code), getSettings()]);
  const unit = id ? await getUnit(id) : undefined;
  if (!unit || !unit.active || unit.depth < gridDepth(settings)) throw new NotFoundError(`No grid with code ${code}`);
  return unit;
}

/** The URL a grid's QR code carries: the county's `residentQrTarget` with the code, else the resident page of the console. */
export function residentUrl(consoleOrigin: string, gridCode: string, target?: string): string {
  if (target) return target.replaceAll("{code}", encodeURIComponent(gridCode));
  return `${consoleOrigin.replace(/\/+$/, "")}/resident/?grid=${encodeURIComponent(gridCode)}`;
}
