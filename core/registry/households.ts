import { ulid } from "ulid";
import { queryPathPage } from "../unit/paths-query.ts";
import * as keys from "../db/keys.ts";
import { Filters, queryPage, type Page } from "../db/page.ts";
import { strip } from "../db/items.ts";
import { ConflictError } from "../errors.ts";
import { actorOf, auditPut, diff } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import { parse } from "../validate.ts";
import { visitStateDelete, visitStateItem, visitStateSync } from "../duty/state.ts";
import { listRoot, requireWrite, unitInScope, visibleOr404 } from "./access.ts";
import { protectPhone } from "./protect.ts";
import { commit, del, getHousehold, householdItem, householdMembers, personItem, put, putAtVersion } from "./repo.ts";
import { shiftTally } from "./repo-tally.ts";
import { CreateHousehold, DeleteQuery, HouseholdQuery, UpdateHousehold, type HouseholdRecord } from "./schema.ts";
import { currentMasks, householdView, type HouseholdView } from "./views.ts";

const MAX_MEMBERS_MOVED = 80;

async function contactFields(id: string, phone: string | null | undefined): Promise<Partial<HouseholdRecord>> {
  if (!phone) return { contactPhoneSealed: undefined, contactPhoneMasked: undefined, contactPhoneHash: undefined };
  const f = await protectPhone("household", id, "contactPhone", phone);
  return { contactPhoneSealed: f.sealed, contactPhoneMasked: f.masked, contactPhoneHash: f.hash };
}

export async function createHousehold(p: Principal, input: unknown, now: Date): Promise<HouseholdView> {
  const data = parse(CreateHousehold, input, "household");
  const unit = await unitInScope(p, data.unitId, "registry:write");
  const id = ulid(now.getTime());
  const at = now.toISOString();
  const h: HouseholdRecord = {
    id,
    unitId: unit.id,
    unitPath: unit.path,
    address: data.address,
    membersCount: data.membersCount,
    contactName: data.contactName,
    ...(await contactFields(id, data.contactPhone)),
    class: data.class,
    needs: data.needs,
    notes: data.notes,
    version: 1,
    createdAt: at,
    updatedAt: at,
    createdBy: p.id,
  };
  await commit([
    put(householdItem(h), "attribute_not_exists(pk)"),
    put(visitStateItem(h)),
    auditPut({ actor: actorOf(p), action: "household.create", entity: "household", entityId: id, unitPath: h.unitPath, summary: `household in ${unit.code} ${unit.name}` }, now),
  ]);
  await shiftTally("households", null, h.unitPath);
  return householdView(h, await currentMasks());
}

export async function readHousehold(p: Principal, id: string): Promise<HouseholdView> {
  return householdView(visibleOr404(p, await getHousehold(id), "Household", id), await currentMasks());
}

const stale = async (id: string): Promise<never> => {
  const now = await getHousehold(id, true);
  throw new ConflictError("The household was changed by someone else; reload and retry", { current: now ? householdView(now, await currentMasks()) : null });
};

export async function updateHousehold(p: Principal, id: string, input: unknown, now: Date): Promise<HouseholdView> {
  const { version, ...changes } = parse(UpdateHousehold, input, "household update");
  const current = visibleOr404(p, await getHousehold(id), "Household", id);
  requireWrite(p, current.unitPath);
  if (current.version !== version) await stale(id);
  const unit = changes.unitId && changes.unitId !== current.unitId ? await unitInScope(p, changes.unitId, "registry:write") : undefined;
  const next: HouseholdRecord = {
    ...current,
    ...(unit ? { unitId: unit.id, unitPath: unit.path } : {}),
    address: changes.address ?? current.address,
    membersCount: changes.membersCount ?? current.membersCount,
    contactName: changes.contactName === null ? undefined : (changes.contactName ?? current.contactName),
    ...(changes.contactPhone !== undefined ? await contactFields(id, changes.contactPhone) : {}),
    class: changes.class ?? current.class,
    needs: changes.needs ?? current.needs,
    notes: changes.notes === null ? undefined : (changes.notes ?? current.notes),
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
  const m = await currentMasks();
  const moves: any[] = [];
  if (unit) {
    // members follow their household to the new unit (their list key holds the unit path)
    const members = await householdMembers(current);
    if (members.length > MAX_MEMBERS_MOVED) throw new ConflictError(`The household has ${members.length} members; move at most ${MAX_MEMBERS_MOVED} at once`);
    for (const m of members) moves.push(putAtVersion(personItem({ ...m, unitId: unit.id, unitPath: unit.path, version: m.version + 1, updatedAt: next.updatedAt }), m.version));
  }
  await commit(
    [
      putAtVersion(householdItem(next), version),
      visitStateSync(next),
      auditPut({ actor: actorOf(p), action: "household.update", entity: "household", entityId: id, unitPath: next.unitPath, summary: `household ${id}`, changes: diff(householdView(current, m), householdView(next, m)) }, now),
      ...moves,
    ],
    () => stale(id),
  );
  if (unit) await Promise.all([shiftTally("households", current.unitPath, next.unitPath), shiftTally("people", current.unitPath, next.unitPath, moves.length)]);
  return householdView(next, m);
}

export async function deleteHousehold(p: Principal, id: string, query: unknown, now: Date): Promise<void> {
  const { version } = parse(DeleteQuery, query, "query");
  const current = visibleOr404(p, await getHousehold(id), "Household", id);
  requireWrite(p, current.unitPath);
  if (current.version !== version) await stale(id);
  const members = await householdMembers(current);
  if (members.length) throw new ConflictError(`${members.length} people are still registered in this household; move or delete them first`, { reason: "members", count: members.length });
  await commit(
    [
      del(keys.household(id), "#v = :v", { ":v": version }, { "#v": "version" }),
      visitStateDelete(id),
      auditPut({ actor: actorOf(p), action: "household.delete", entity: "household", entityId: id, unitPath: current.unitPath, summary: `household ${id}` }, now),
    ],
    () => stale(id),
  );
  await shiftTally("households", current.unitPath, null);
}

export async function listHouseholds(p: Principal, input: unknown): Promise<Page<HouseholdView>> {
  const q = parse(HouseholdQuery, input, "query");
  const root = await listRoot(p, q.unitId);
  if (!root) return { items: [], nextCursor: null };
  const m = await currentMasks();
  const f = new Filters();
  if (q.class) f.add("#c = :c", { ":c": q.class }, { "#c": "class" });
  if (q.q) f.add("contains(#a, :q)", { ":q": q.q }, { "#a": "address" });
  // also where a moved subtree's records still are while they are re-pathed (core/unit/paths-query.ts)
  return queryPathPage<HouseholdView>(
    root,
    (stored) => ({ IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)", ...f.build({ ":pk": "HOUSEHOLDS", ":p": stored }) }),
    q,
    { map: (raw) => householdView(strip<HouseholdRecord>(raw)!, m), pathOf: (raw) => String(raw.unitPath) },
  );
}
