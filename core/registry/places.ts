import { ulid } from "ulid";
import { queryPathPage } from "../unit/paths-query.ts";
import * as keys from "../db/keys.ts";
import { Filters, queryPage, type Page } from "../db/page.ts";
import { strip } from "../db/items.ts";
import { ConflictError } from "../errors.ts";
import { actorOf, auditPut, diff } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import { parse } from "../validate.ts";
import { listRoot, requireWrite, unitInScope, visibleOr404 } from "./access.ts";
import { protectPhone } from "./protect.ts";
import { commit, del, getPlace, placeItem, put, putAtVersion } from "./repo.ts";
import { shiftTally } from "./repo-tally.ts";
import { CreatePlace, DeleteQuery, PlaceQuery, UpdatePlace, type PlaceRecord } from "./schema.ts";
import { currentMasks, placeView, type PlaceView } from "./views.ts";

async function ownerPhone(id: string, phone: string): Promise<Pick<PlaceRecord, "ownerPhoneSealed" | "ownerPhoneMasked" | "ownerPhoneHash">> {
  const f = await protectPhone("place", id, "ownerPhone", phone);
  return { ownerPhoneSealed: f.sealed, ownerPhoneMasked: f.masked, ownerPhoneHash: f.hash };
}

/** A place (shop, restaurant, school…) registered in its venue grid. */
export async function createPlace(p: Principal, input: unknown, now: Date): Promise<PlaceView> {
  const data = parse(CreatePlace, input, "place");
  const unit = await unitInScope(p, data.unitId, "registry:write");
  const id = ulid(now.getTime());
  const at = now.toISOString();
  const place: PlaceRecord = {
    id,
    unitId: unit.id,
    unitPath: unit.path,
    name: data.name,
    kind: data.kind,
    address: data.address,
    ownerName: data.ownerName,
    ...(await ownerPhone(id, data.ownerPhone)),
    licenseNo: data.licenseNo,
    notes: data.notes,
    version: 1,
    createdAt: at,
    updatedAt: at,
    createdBy: p.id,
  };
  await commit([
    put(placeItem(place), "attribute_not_exists(pk)"),
    auditPut({ actor: actorOf(p), action: "place.create", entity: "place", entityId: id, unitPath: place.unitPath, summary: `${place.kind} ${place.name}` }, now),
  ]);
  await shiftTally("places", null, place.unitPath);
  return placeView(place, await currentMasks());
}

export async function readPlace(p: Principal, id: string): Promise<PlaceView> {
  return placeView(visibleOr404(p, await getPlace(id), "Place", id), await currentMasks());
}

const stale = async (id: string): Promise<never> => {
  const now = await getPlace(id, true);
  throw new ConflictError("The place was changed by someone else; reload and retry", { current: now ? placeView(now, await currentMasks()) : null });
};

export async function updatePlace(p: Principal, id: string, input: unknown, now: Date): Promise<PlaceView> {
  const { version, ...changes } = parse(UpdatePlace, input, "place update");
  const current = visibleOr404(p, await getPlace(id), "Place", id);
  requireWrite(p, current.unitPath);
  if (current.version !== version) await stale(id);
  const unit = changes.unitId && changes.unitId !== current.unitId ? await unitInScope(p, changes.unitId, "registry:write") : undefined;
  const next: PlaceRecord = {
    ...current,
    ...(unit ? { unitId: unit.id, unitPath: unit.path } : {}),
    name: changes.name ?? current.name,
    kind: changes.kind ?? current.kind,
    address: changes.address ?? current.address,
    ownerName: changes.ownerName ?? current.ownerName,
    ...(changes.ownerPhone ? await ownerPhone(id, changes.ownerPhone) : {}),
    licenseNo: changes.licenseNo === null ? undefined : (changes.licenseNo ?? current.licenseNo),
    notes: changes.notes === null ? undefined : (changes.notes ?? current.notes),
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
  const m = await currentMasks();
  await commit(
    [
      putAtVersion(placeItem(next), version),
      auditPut({ actor: actorOf(p), action: "place.update", entity: "place", entityId: id, unitPath: next.unitPath, summary: `${next.kind} ${next.name}`, changes: diff(placeView(current, m), placeView(next, m)) }, now),
    ],
    () => stale(id),
  );
  if (next.unitPath !== current.unitPath) await shiftTally("places", current.unitPath, next.unitPath);
  return placeView(next, m);
}

export async function deletePlace(p: Principal, id: string, query: unknown, now: Date): Promise<void> {
  const { version } = parse(DeleteQuery, query, "query");
  const current = visibleOr404(p, await getPlace(id), "Place", id);
  requireWrite(p, current.unitPath);
  if (current.version !== version) await stale(id);
  await commit(
    [
      del(keys.place(id), "#v = :v", { ":v": version }, { "#v": "version" }),
      auditPut({ actor: actorOf(p), action: "place.delete", entity: "place", entityId: id, unitPath: current.unitPath, summary: `${current.kind} ${current.name}` }, now),
    ],
    () => stale(id),
  );
  await shiftTally("places", current.unitPath, null);
}

export async function listPlaces(p: Principal, input: unknown): Promise<Page<PlaceView>> {
  const q = parse(PlaceQuery, input, "query");
  const root = await listRoot(p, q.unitId);
  if (!root) return { items: [], nextCursor: null };
  const m = await currentMasks();
  const f = new Filters();
  if (q.kind) f.add("#k = :k", { ":k": q.kind }, { "#k": "kind" });
  if (q.q) f.add("(contains(#n, :q) OR contains(#a, :q))", { ":q": q.q }, { "#n": "name", "#a": "address" });
  // also where a moved subtree's records still are while they are re-pathed (core/unit/paths-query.ts)
  return queryPathPage<PlaceView>(
    root,
    (stored) => ({ IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)", ...f.build({ ":pk": "PLACES", ":p": stored }) }),
    q,
    { map: (raw) => placeView(strip<PlaceRecord>(raw)!, m), pathOf: (raw) => String(raw.unitPath) },
  );
}
