import { ulid } from "ulid";
import * as keys from "../db/keys.ts";
import { queryPage, type Page } from "../db/page.ts";
import { queryPathPage } from "../unit/paths-query.ts";
import { strip } from "../db/items.ts";
import { ConflictError, InvalidError } from "../errors.ts";
import { actorOf, auditPut, diff } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import { getUser } from "../user/repo.ts";
import { parse } from "../validate.ts";
import { canRead, listRoot, requireWrite, unitInScope, visibleOr404 } from "./access.ts";
import { commit, getKeyEntry, getPerson, getPlace, keyEntryItem, put, putAtVersion } from "./repo.ts";
import { CreateKeyEntry, KeyEntryQuery, UpdateKeyEntry, type KeyEntry } from "./schema.ts";

/**
 * The three lists (重点人员、重点场所、重点事项): tagged entries with a reason, a period and the
 * worker responsible, about a registered person or place (or, for matters, a unit).
 */
type Field = { path: string; message: string };
const invalid = (fields: Field[]) => new InvalidError("Invalid key list entry", { fields });

/** The responsible worker must be an active user whose assignment covers the entry's unit. */
async function checkResponsible(userId: string, unitPath: string): Promise<void> {
  const u = await getUser(userId);
  if (!u || !u.active) throw invalid([{ path: "responsibleUserId", message: "unknown user" }]);
  if (!u.assignments.some((a) => unitPath.startsWith(a.unitPath))) throw invalid([{ path: "responsibleUserId", message: "not assigned to this unit" }]);
}

function checkPeriod(start: string, end: string | null | undefined): void {
  if (end && end < start) throw invalid([{ path: "endDate", message: "before startDate" }]);
}

export async function createKeyEntry(p: Principal, input: unknown, now: Date): Promise<KeyEntry> {
  const data = parse(CreateKeyEntry, input, "key list entry");
  checkPeriod(data.startDate, data.endDate);
  let unitId: string;
  let unitPath: string;
  let title = data.title;
  if (data.list === "matters") {
    if (data.subjectId) throw invalid([{ path: "subjectId", message: "matters have no subject; name the unit" }]);
    if (!data.unitId) throw invalid([{ path: "unitId", message: "required for a matter" }]);
    if (!title) throw invalid([{ path: "title", message: "required for a matter" }]);
    const unit = await unitInScope(p, data.unitId, "registry:write");
    [unitId, unitPath] = [unit.id, unit.path];
  } else {
    if (!data.subjectId) throw invalid([{ path: "subjectId", message: `required: the ${data.list === "people" ? "person" : "place"}` }]);
    const subject = data.list === "people" ? await getPerson(data.subjectId) : await getPlace(data.subjectId);
    if (!subject || !canRead(p, subject.unitPath)) throw invalid([{ path: "subjectId", message: "unknown subject" }]);
    requireWrite(p, subject.unitPath);
    [unitId, unitPath] = [subject.unitId, subject.unitPath];
    title ??= subject.name;
  }
  await checkResponsible(data.responsibleUserId, unitPath);
  const id = ulid(now.getTime());
  const at = now.toISOString();
  const entry: KeyEntry = {
    id,
    list: data.list,
    subjectId: data.subjectId ?? null,
    title: title!,
    unitId,
    unitPath,
    reason: data.reason,
    tags: data.tags,
    startDate: data.startDate,
    endDate: data.endDate ?? null,
    responsibleUserId: data.responsibleUserId,
    status: "active",
    notes: data.notes,
    version: 1,
    createdAt: at,
    updatedAt: at,
    createdBy: p.id,
  };
  await commit([
    put(keyEntryItem(entry), "attribute_not_exists(pk)"),
    auditPut({ actor: actorOf(p), action: "keylist.create", entity: "keylist", entityId: id, unitPath: entry.unitPath, summary: `${entry.list}: ${entry.title}` }, now),
  ]);
  return entry;
}

export async function readKeyEntry(p: Principal, id: string): Promise<KeyEntry> {
  return visibleOr404(p, await getKeyEntry(id), "Key list entry", id);
}

export async function updateKeyEntry(p: Principal, id: string, input: unknown, now: Date): Promise<KeyEntry> {
  const { version, ...changes } = parse(UpdateKeyEntry, input, "key list entry update");
  const current = await readKeyEntry(p, id);
  requireWrite(p, current.unitPath);
  const stale = async (): Promise<never> => {
    throw new ConflictError("The entry was changed by someone else; reload and retry", { current: (await getKeyEntry(id, true)) ?? null });
  };
  if (current.version !== version) await stale();
  const next: KeyEntry = {
    ...current,
    ...changes,
    endDate: changes.endDate === undefined ? current.endDate : changes.endDate,
    notes: changes.notes === null ? undefined : (changes.notes ?? current.notes),
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
  checkPeriod(next.startDate, next.endDate);
  if (changes.responsibleUserId && changes.responsibleUserId !== current.responsibleUserId) await checkResponsible(changes.responsibleUserId, current.unitPath);
  await commit(
    [
      putAtVersion(keyEntryItem(next), version),
      auditPut({ actor: actorOf(p), action: "keylist.update", entity: "keylist", entityId: id, unitPath: next.unitPath, summary: `${next.list}: ${next.title}`, changes: diff(current, next) }, now),
    ],
    stale,
  );
  return next;
}

/** One list under a unit (or the caller's scope), or the entries of a responsible worker or subject. */
export async function listKeyEntries(p: Principal, input: unknown): Promise<Page<KeyEntry>> {
  const q = parse(KeyEntryQuery, input, "query");
  const visible = (raw: Record<string, unknown>) => {
    const e = raw as unknown as KeyEntry;
    if (!canRead(p, e.unitPath) || e.list !== q.list || (q.status && e.status !== q.status)) return undefined;
    return strip<KeyEntry>(raw);
  };
  if (q.responsibleUserId) {
    return queryPage<KeyEntry>(
      { IndexName: "gsi2", KeyConditionExpression: "gsi2pk = :pk AND begins_with(gsi2sk, :l)", ExpressionAttributeValues: { ":pk": keys.keyEntryByResponsible(q.responsibleUserId, "", "").gsi2pk, ":l": `${q.list}#` } },
      q,
      { map: visible },
    );
  }
  if (q.subjectId) {
    return queryPage<KeyEntry>({ IndexName: "gsi3", KeyConditionExpression: "gsi3pk = :pk", ExpressionAttributeValues: { ":pk": keys.keyEntryBySubject(q.subjectId, "").gsi3pk } }, q, { map: visible });
  }
  const root = await listRoot(p, q.unitId);
  if (!root) return { items: [], nextCursor: null };
  // also where a moved subtree's entries still are while they are re-pathed (core/unit/paths-query.ts)
  return queryPathPage<KeyEntry>(
    root,
    (stored) => ({
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)",
      FilterExpression: q.status ? "#s = :s" : undefined,
      ExpressionAttributeNames: q.status ? { "#s": "status" } : undefined,
      ExpressionAttributeValues: { ":pk": keys.keyEntryList(q.list, "", "").gsi1pk, ":p": stored, ...(q.status ? { ":s": q.status } : {}) },
    }),
    q,
    { map: visible, pathOf: (raw) => String(raw.unitPath) },
  );
}
