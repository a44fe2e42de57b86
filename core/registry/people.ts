import { ulid } from "ulid";
import * as keys from "../db/keys.ts";
import { failedConditionIndexes } from "../db/errors.ts";
import { queryPathPage } from "../unit/paths-query.ts";
import { Filters, queryPage, type Page } from "../db/page.ts";
import { strip } from "../db/items.ts";
import { ConflictError, InvalidError } from "../errors.ts";
import { actorOf, auditPut, diff } from "../audit/entry.ts";
import { scopesFor, type Principal } from "../auth/principal.ts";
import { parse } from "../validate.ts";
import { canRead, listRoot, requireWrite, unitInScope, visibleOr404 } from "./access.ts";
import { idInfo } from "./idcard.ts";
import { countyDay } from "../aggregate/county-time.ts";
import { getSettings } from "../settings/settings.ts";
import { openField, protectIdNumber, protectPhone, sealBirthDate } from "./protect.ts";
import { commit, del, getHousehold, getPerson, householdExists, movedAwayItem, peopleByIdHash, personIdRefItem, personItem, put, putAtVersion } from "./repo.ts";
import { putAuditRow } from "../audit/repo-row.ts";
import { shiftTally } from "./repo-tally.ts";
import { chargeQuota } from "./quota.ts";
import { CreatePerson, DeleteQuery, PersonQuery, UpdatePerson, type HouseholdRecord, type PersonRecord } from "./schema.ts";
import { currentMasks, personView, type PersonView } from "./views.ts";
import { showIdNumber } from "../crypto/mask.ts";

type Field = { path: string; message: string };
const invalid = (fields: Field[]) => new InvalidError("Invalid person", { fields });
/**
 * An ID number that is already registered (issue #19: no oracle). The answer is the same whether
 * the existing record lies inside the caller's scope or not — it never says "registered", names
 * the record or its unit — and the attempt is handled like an exact search: it is charged to the
 * caller's search quota (`privacy.searchesPerUserHour`, 429 beyond it) and audited as
 * `registry.search` (`details.by: "create"`, the ID's blind index, the matched record only when it
 * lies in the caller's scope). A caller looking for the person uses `POST /v1/registry/search`.
 */
async function duplicate(p: Principal, idNumberHash: string, now: Date): Promise<never> {
  const scope = [...scopesFor(p, "registry:read")].sort((a, b) => a.length - b.length)[0];
  await chargeQuota(p, "search", scope, now);
  const matched = (await peopleByIdHash(idNumberHash)).filter((x) => canRead(p, x.unitPath)).map((x) => ({ entity: "person", id: x.id }));
  await putAuditRow(
    auditPut(
      { actor: actorOf(p), action: "registry.search", entity: "registry", entityId: "search", unitPath: scope, summary: "ID number refused on create/update: already in use", details: { by: "create", queryHash: idNumberHash, matched } },
      now,
    ),
  );
  throw new ConflictError("This ID number cannot be registered here; search the registry for the person or ask the county's registry office", {
    reason: "id_unavailable",
    fields: [{ path: "idNumber", message: "cannot be registered here" }],
  });
}

/** Birth date and gender are written in the ID number: given ones must agree, missing ones are taken from it. */
function checkAgainstId(idNumber: string, given: { birthDate?: string; gender?: string }, now: Date, timeZone: string): { birthDate: string; gender: "male" | "female"; fields: Field[] } {
  const info = idInfo(idNumber);
  const fields: Field[] = [];
  // "today" is the county's day: a child born on 1 May in the county is registered at 00:30 county time (16:30 UTC on 30 April)
  if (info.birthDate > countyDay(now, timeZone)) fields.push({ path: "idNumber", message: "birth date in the ID number is in the future" });
  if (given.birthDate && given.birthDate !== info.birthDate) fields.push({ path: "birthDate", message: "does not match the ID number" });
  if (given.gender && given.gender !== info.gender) fields.push({ path: "gender", message: "does not match the ID number" });
  return { birthDate: info.birthDate, gender: info.gender, fields };
}

/** Where a person lives: their household's unit, or the unit given (in the caller's write scope). */
async function placement(p: Principal, householdId: string | null | undefined, unitId: string | undefined): Promise<{ unitId: string; unitPath: string; household?: HouseholdRecord }> {
  if (householdId) {
    const household = await getHousehold(householdId);
    if (!household || !canRead(p, household.unitPath)) throw invalid([{ path: "householdId", message: "unknown household" }]);
    requireWrite(p, household.unitPath);
    if (unitId && unitId !== household.unitId) throw invalid([{ path: "unitId", message: "the household is registered in another unit" }]);
    return { unitId: household.unitId, unitPath: household.unitPath, household };
  }
  if (!unitId) throw invalid([{ path: "unitId", message: "required when the person has no household" }]);
  const unit = await unitInScope(p, unitId, "registry:write");
  return { unitId: unit.id, unitPath: unit.path };
}

async function phoneFields(id: string, phone: string | null | undefined): Promise<Partial<PersonRecord>> {
  if (!phone) return { phoneSealed: undefined, phoneMasked: undefined, phoneHash: undefined };
  const f = await protectPhone("person", id, "phone", phone);
  return { phoneSealed: f.sealed, phoneMasked: f.masked, phoneHash: f.hash };
}

async function idFields(id: string, idNumber: string, birthDate: string): Promise<Pick<PersonRecord, "idNumberSealed" | "idNumberMasked" | "idNumberHash" | "birthDateSealed" | "birthYear">> {
  const [f, sealedDate] = await Promise.all([protectIdNumber(id, idNumber), sealBirthDate(id, birthDate)]);
  return { idNumberSealed: f.sealed, idNumberMasked: f.masked, idNumberHash: f.hash, birthDateSealed: sealedDate, birthYear: Number(birthDate.slice(0, 4)) };
}

export async function createPerson(p: Principal, input: unknown, now: Date): Promise<PersonView> {
  const data = parse(CreatePerson, input, "person");
  const derived = checkAgainstId(data.idNumber, data, now, (await getSettings()).timeZone);
  if (derived.fields.length) throw invalid(derived.fields);
  const where = await placement(p, data.householdId, data.unitId);
  const m = await currentMasks();
  const id = ulid(now.getTime());
  const at = now.toISOString();
  const person: PersonRecord = {
    id,
    unitId: where.unitId,
    unitPath: where.unitPath,
    householdId: data.householdId ?? null,
    name: data.name,
    ...(await idFields(id, data.idNumber, derived.birthDate)),
    ...(await phoneFields(id, data.phone)),
    gender: derived.gender,
    ...(data.relationship ? { relationship: data.relationship } : {}),
    tags: data.tags,
    notes: data.notes,
    version: 1,
    createdAt: at,
    updatedAt: at,
    createdBy: p.id,
  };
  await commit(
    [
      put(personIdRefItem(person.idNumberHash, id), "attribute_not_exists(pk)"),
      put(personItem(person), "attribute_not_exists(pk)"),
      auditPut({ actor: actorOf(p), action: "person.create", entity: "person", entityId: id, unitPath: person.unitPath, summary: `person ${showIdNumber(person.idNumberMasked, m)}` }, now),
      ...(person.householdId ? [householdExists(person.householdId)] : []),
    ],
    async (e) => {
      if (failedConditionIndexes(e).includes(0)) await duplicate(p, person.idNumberHash, now);
      throw new ConflictError("The household was removed meanwhile", { fields: [{ path: "householdId", message: "unknown household" }] });
    },
  );
  await shiftTally("people", null, person.unitPath);
  return personView(person, m);
}

export async function readPerson(p: Principal, id: string): Promise<PersonView> {
  return personView(visibleOr404(p, await getPerson(id), "Person", id), await currentMasks());
}

const stale = async (id: string): Promise<never> => {
  const now = await getPerson(id, true);
  throw new ConflictError("The person was changed by someone else; reload and retry", { current: now ? personView(now, await currentMasks()) : null });
};

export async function updatePerson(p: Principal, id: string, input: unknown, now: Date): Promise<PersonView> {
  const { version, ...changes } = parse(UpdatePerson, input, "person update");
  const current = visibleOr404(p, await getPerson(id), "Person", id);
  requireWrite(p, current.unitPath);
  if (current.version !== version) await stale(id);

  let idPart: Partial<PersonRecord> = {};
  let gender = current.gender;
  if (changes.idNumber) {
    const derived = checkAgainstId(changes.idNumber, changes, now, (await getSettings()).timeZone);
    if (derived.fields.length) throw invalid(derived.fields);
    idPart = await idFields(id, changes.idNumber, derived.birthDate);
    gender = derived.gender;
  } else if (changes.birthDate || changes.gender) {
    const fields: Field[] = [];
    if (changes.gender && changes.gender !== current.gender) fields.push({ path: "gender", message: "does not match the ID number" });
    if (changes.birthDate && changes.birthDate !== (await openField("person", id, "birthDate", current.birthDateSealed))) fields.push({ path: "birthDate", message: "does not match the ID number" });
    if (fields.length) throw invalid(fields);
  }
  const householdId = changes.householdId === undefined ? current.householdId : changes.householdId;
  const moving = householdId !== current.householdId || (changes.unitId !== undefined && changes.unitId !== current.unitId);
  const where = moving ? await placement(p, householdId, changes.unitId ?? (householdId ? undefined : current.unitId)) : undefined;
  const next: PersonRecord = {
    ...current,
    ...(where ? { unitId: where.unitId, unitPath: where.unitPath, householdId: where.household?.id ?? null } : {}),
    name: changes.name ?? current.name,
    ...idPart,
    ...(changes.phone !== undefined ? await phoneFields(id, changes.phone) : {}),
    gender,
    relationship: changes.relationship === null ? undefined : (changes.relationship ?? current.relationship),
    tags: changes.tags ?? current.tags,
    notes: changes.notes === null ? undefined : (changes.notes ?? current.notes),
    // moved away (the daily retention job deletes the person privacy.movedAwayRetentionDays later) or back
    movedAwayAt: changes.movedAway === undefined ? current.movedAwayAt : changes.movedAway ? (current.movedAwayAt ?? now.toISOString()) : undefined,
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
  const m = await currentMasks();
  const idChanged = next.idNumberHash !== current.idNumberHash;
  await commit(
    [
      putAtVersion(personItem(next), version),
      auditPut({ actor: actorOf(p), action: "person.update", entity: "person", entityId: id, unitPath: next.unitPath, summary: `person ${showIdNumber(next.idNumberMasked, m)}`, changes: diff(personView(current, m), personView(next, m)) }, now),
      ...(idChanged
        ? [put(personIdRefItem(next.idNumberHash, id), "attribute_not_exists(pk)"), del(keys.personIdRef(current.idNumberHash), "personId = :id", { ":id": id })]
        : []),
      ...(next.householdId && next.householdId !== current.householdId ? [householdExists(next.householdId)] : []),
      ...(next.movedAwayAt && !current.movedAwayAt ? [put(movedAwayItem(next.movedAwayAt, id), "attribute_not_exists(pk)")] : []),
      ...(current.movedAwayAt && !next.movedAwayAt ? [del(keys.movedAway(current.movedAwayAt, id))] : []),
    ],
    async (e) => {
      if (idChanged && failedConditionIndexes(e).includes(2)) await duplicate(p, next.idNumberHash, now);
      return stale(id);
    },
  );
  if (next.unitPath !== current.unitPath) await shiftTally("people", current.unitPath, next.unitPath);
  return personView(next, m);
}

export async function deletePerson(p: Principal, id: string, query: unknown, now: Date): Promise<void> {
  const { version } = parse(DeleteQuery, query, "query");
  const current = visibleOr404(p, await getPerson(id), "Person", id);
  requireWrite(p, current.unitPath);
  if (current.version !== version) await stale(id);
  await commit(
    [
      del(keys.person(id), "#v = :v", { ":v": version }, { "#v": "version" }),
      del(keys.personIdRef(current.idNumberHash), "personId = :id", { ":id": id }),
      ...(current.movedAwayAt ? [del(keys.movedAway(current.movedAwayAt, id))] : []),
      auditPut({ actor: actorOf(p), action: "person.delete", entity: "person", entityId: id, unitPath: current.unitPath, summary: `person ${showIdNumber(current.idNumberMasked, await currentMasks())}` }, now),
    ],
    () => stale(id),
  );
  await shiftTally("people", current.unitPath, null);
}

export async function listPeople(p: Principal, input: unknown): Promise<Page<PersonView>> {
  const q = parse(PersonQuery, input, "query");
  let prefix: string | null;
  if (q.householdId) {
    const h = visibleOr404(p, await getHousehold(q.householdId), "Household", q.householdId);
    prefix = `${h.unitPath}#${h.id}#`;
  } else prefix = await listRoot(p, q.unitId);
  if (!prefix) return { items: [], nextCursor: null };
  const m = await currentMasks();
  const f = new Filters();
  if (q.tag) f.add("contains(#t, :t)", { ":t": q.tag }, { "#t": "tags" });
  if (q.q) f.add("contains(#n, :q)", { ":q": q.q }, { "#n": "name" });
  if (prefix.includes("#")) {
    return queryPage<PersonView>({ IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)", ...f.build({ ":pk": "PEOPLE", ":p": prefix }) }, q, { map: (raw) => personView(strip<PersonRecord>(raw)!, m) });
  }
  // a subtree: also where a moved subtree's people still are while they are re-pathed (core/unit/paths-query.ts)
  return queryPathPage<PersonView>(
    prefix,
    (stored) => ({ IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)", ...f.build({ ":pk": "PEOPLE", ":p": stored }) }),
    q,
    { map: (raw) => personView(strip<PersonRecord>(raw)!, m), pathOf: (raw) => String(raw.unitPath) },
  );
}
