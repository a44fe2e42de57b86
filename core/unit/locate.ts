import { buildLocator, type Locator } from "../geo/index-locate.ts";
import { subtree, treeVersion } from "./repo.ts";
import type { Unit } from "./schema.ts";
import { pickLocated } from "./reach.ts";

interface Cached {
  version: number;
  checkedAt: number;
  locator: Locator;
  units: Map<string, Unit>;
}

let cached: Cached | undefined;
let building: Promise<Cached> | undefined;
const RECHECK_MS = 5_000;

/**
 * The spatial index of active unit boundaries (flatbush on bounding boxes + exact point in
 * polygon), kept per warm container and rebuilt when the tree version moves (checked at most
 * every 5 s with one GetItem).
 */
async function index(): Promise<Cached> {
  const now = Date.now();
  if (cached && now - cached.checkedAt < RECHECK_MS) return cached;
  const version = await treeVersion();
  if (cached && cached.version === version) {
    cached.checkedAt = now;
    return cached;
  }
  building ??= (async () => {
    const units = await subtree("/", { activeOnly: true });
    const entries = units.filter((u) => u.boundary).map((u) => ({ id: u.id, depth: u.depth, boundary: u.boundary! }));
    const next: Cached = { version, checkedAt: Date.now(), locator: buildLocator(entries), units: new Map(units.map((u) => [u.id, u])) };
    cached = next;
    return next;
  })().finally(() => {
    building = undefined;
  });
  return building;
}

/** The deepest active unit containing the point (as core/unit/reach.ts picks it), and its ancestors (root first). */
export async function locatePoint(lng: number, lat: number): Promise<{ unit: Unit; ancestors: Unit[] } | undefined> {
  const { locator, units } = await index();
  const picked = pickLocated(
    locator.locate(lng, lat).map((id) => units.get(id)!),
    (id) => Boolean(units.get(id)?.boundary),
  );
  if (!picked) return undefined;
  const unit = units.get(picked.id)!;
  const ancestors = unit.path
    .split("/")
    .filter(Boolean)
    .slice(0, -1)
    .map((id) => units.get(id))
    .filter((u): u is Unit => Boolean(u));
  return { unit, ancestors };
}

export function forgetLocator(): void {
  cached = undefined;
}
