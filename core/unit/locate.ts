import { getS3Object, putS3Object } from "../s3-object.ts";
import { logger } from "../log.ts";
import type { LocatorEntry } from "../geo/index-locate.ts";
import { openPackedLocator, packLocator, PACKED_FORMAT, type PackedLocator } from "../geo/packed.ts";
import { getUnits, subtree, treeVersion } from "./repo.ts";
import { indexCheck, RECHECK_MS } from "./locate-check.ts";
import type { Unit } from "./schema.ts";
import { pickLocated } from "./reach.ts";

/** What the packed index keeps besides the geometry: nothing (ids, depths and rings are in the blob; paths come with the units). */
type Meta = Record<string, never>;

interface Cached {
  version: number;
  checkedAt: number;
  locator: PackedLocator<Meta>;
  /** full units fetched for answers, for this tree version */
  units: Map<string, Unit>;
  source: "s3" | "built";
}

let cached: Cached | undefined;
let building: Promise<Cached> | undefined;

/** Where the packed index of a tree version lives in the files bucket (a new blob format is a new key: rebuilt, never misread). */
export const packedIndexKey = (version: number) => `index/locate/f${PACKED_FORMAT}/v${version}.bin`;

/**
 * The spatial index of active unit boundaries (R-tree on bounding boxes + exact point in polygon),
 * kept per warm container and replaced when the tree version moves (checked at most every 5 s with
 * one GetItem). A new container does not read and index every boundary: it loads the prebuilt
 * packed index of the current version (core/geo/packed.ts) with ONE S3 GetObject. The first
 * container to see a new version builds it from the unit tree and stores it for the others
 * (same content whoever builds it: a repeated PutObject is harmless).
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
    const stored = await readPacked(version);
    const next: Cached = stored
      ? { version, checkedAt: Date.now(), locator: stored, units: new Map(), source: "s3" }
      : { version, checkedAt: Date.now(), locator: openPackedLocator<Meta>(await buildPacked(version)), units: new Map(), source: "built" };
    cached = next;
    indexCheck.current = next; // what core/unit/locate-check.ts treeRefresher marks checked
    return next;
  })().finally(() => {
    building = undefined;
  });
  return building;
}

/** Builds the packed index of the active units from the table and stores it (best effort). */
export async function buildPacked(version: number): Promise<Uint8Array> {
  const units = await subtree("/", { activeOnly: true });
  const withBoundary = units.filter((u) => u.boundary);
  const entries: LocatorEntry[] = withBoundary.map((u) => ({ id: u.id, depth: u.depth, boundary: u.boundary! }));
  const bytes = packLocator<Meta>(entries, version, {});
  if (process.env.WANGGE_BUCKET) {
    await putS3Object(packedIndexKey(version), bytes, "application/octet-stream").catch((e) => logger.warn("packed locate index not stored", { version, error: (e as Error).name }));
  }
  return bytes;
}

async function readPacked(version: number): Promise<PackedLocator<Meta> | undefined> {
  if (!process.env.WANGGE_BUCKET) return undefined;
  try {
    // one GetObject without the S3 client (core/s3-object.ts): undefined when not stored yet
    const bytes = await getS3Object(packedIndexKey(version));
    if (!bytes) return undefined;
    const locator = openPackedLocator<Meta>(bytes);
    return locator.version === version ? locator : undefined;
  } catch (e) {
    logger.warn("packed locate index not read; building it", { version, error: (e as Error).name });
    return undefined;
  }
}

/** The deepest active unit containing the point (as core/unit/reach.ts picks it), and its ancestors (root first). */
export async function locatePoint(lng: number, lat: number): Promise<{ unit: Unit; ancestors: Unit[] } | undefined> {
  const state = await index();
  const hits = state.locator.locate(lng, lat);
  if (!hits.length) return undefined;
  const known = async (ids: string[]) => {
    const missing = ids.filter((id) => !state.units.has(id));
    if (missing.length) for (const [id, u] of await getUnits(missing)) state.units.set(id, u);
  };
  await known(hits);
  const picked = pickLocated(
    hits.map((id) => state.units.get(id)).filter((u): u is Unit => Boolean(u)),
    (id) => state.locator.has(id),
  );
  if (!picked) return undefined;
  const chain = picked.path.split("/").filter(Boolean); // root … self
  await known(chain);
  const unit = state.units.get(picked.id);
  if (!unit) return undefined;
  const ancestors = chain
    .slice(0, -1)
    .map((id) => state.units.get(id))
    .filter((u): u is Unit => Boolean(u));
  return { unit, ancestors };
}

/** How the current index was obtained (tests, bench). */
export function locatorSource(): "s3" | "built" | undefined {
  return cached?.source;
}

export function forgetLocator(): void {
  cached = undefined;
  indexCheck.current = undefined;
}
