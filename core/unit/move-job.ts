/**
 * The unit-move job (`unit-move` on the jobs queue): after a subtree's units moved (move.ts), its
 * records follow — open cases, households (and their visit state), people, places, key-list
 * entries, then staff role rows and users' assignments. Each phase repeatedly takes the next page
 * of records still stored under the old path and rewrites each one conditionally (its version, or
 * its old path), so a crashed run resumes where it stopped, a duplicate delivery cannot run
 * concurrently (the claim is guarded by the attempt count) and a record written twice is written
 * once. Progress: the job's `total` (counted at the start) and `done`. Reads stay correct
 * meanwhile through the move registry (paths.ts, move-registry.ts).
 */
import { GetCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { keys } from "../db/keys.ts";
import { strip } from "../db/items.ts";
import { isConditionFailure } from "../db/errors.ts";
import { auditPut } from "../audit/entry.ts";
import type { Clock } from "../clock.ts";
import { logger } from "../log.ts";
import { repathCase } from "../case/repath.ts";
import type { Case } from "../case/schema.ts";
import { addJobProgress, finishJob, getJob, updateJob } from "../job/repo.ts";
import { MAX_JOB_ATTEMPTS, TERMINAL, type Job } from "../job/schema.ts";
import { finishMove } from "./move-registry.ts";
import { subtree } from "./repo.ts";

export const UNIT_MOVE = "unit-move";
const PAGE = 25;

interface MoveInput {
  rootId: string;
  oldPath: string;
  newPath: string;
}

/** A phase: the records under a prefix (one gsi1 partition) and how to rewrite one. */
interface Phase {
  name: string;
  gsi1pk: string;
  rewrite: (raw: Record<string, unknown>, m: MoveInput, at: string) => Promise<boolean>;
}

const moved = (path: string, m: MoveInput) => m.newPath + path.slice(m.oldPath.length);

/** Conditional update: true when written, false when someone else wrote the record first. */
async function update(input: ConstructorParameters<typeof UpdateCommand>[0]): Promise<boolean> {
  try {
    await db().send(new UpdateCommand(input));
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

/** A versioned record keyed on gsi1 by its path: new path and index key, version + 1, only if unchanged. */
const versioned = (key: Record<string, string>, raw: Record<string, unknown>, gsi1sk: string, newPath: string, at: string) =>
  update({
    TableName: tableName(),
    Key: key,
    UpdateExpression: "SET unitPath = :np, gsi1sk = :sk, #v = #v + :one, updatedAt = :at",
    ConditionExpression: "#v = :v AND unitPath = :op",
    ExpressionAttributeNames: { "#v": "version" },
    ExpressionAttributeValues: { ":np": newPath, ":sk": gsi1sk, ":one": 1, ":at": at, ":v": raw.version, ":op": raw.unitPath },
  });

const PHASES: Phase[] = [
  {
    name: "cases",
    gsi1pk: "CASES#OPEN",
    rewrite: async (raw, m, at) => {
      const c = strip<Case>(raw)!;
      const next = repathCase(c, m.oldPath, m.newPath);
      const owner = keys.caseByOwner(next.owner.kind, next.owner.id, c.createdAt, c.id);
      return update({
        TableName: tableName(),
        Key: keys.case(c.id),
        UpdateExpression: "SET unitPath = :np, gsi1sk = :sk, #o = :o, gsi3pk = :g3, gsi3sk = :g3s, #v = #v + :one, updatedAt = :at" + (next.handler ? ", handler = :h" : ""),
        ConditionExpression: "#v = :v AND unitPath = :op",
        ExpressionAttributeNames: { "#v": "version", "#o": "owner" },
        ExpressionAttributeValues: {
          ":np": next.unitPath,
          ":sk": keys.caseByUnit(true, "", next.unitPath, c.createdAt, c.id).gsi1sk,
          ":o": next.owner,
          ":g3": owner.gsi3pk,
          ":g3s": owner.gsi3sk,
          ":one": 1,
          ":at": at,
          ":v": c.version,
          ":op": c.unitPath,
          ...(next.handler ? { ":h": next.handler } : {}),
        },
      });
    },
  },
  {
    name: "households",
    gsi1pk: "HOUSEHOLDS",
    rewrite: async (raw, m, at) => {
      const id = raw.id as string;
      const np = moved(raw.unitPath as string, m);
      const done = await versioned(keys.household(id), raw, keys.householdList(np, id).gsi1sk, np, at);
      // the household's visit state carries the path for the overdue filter
      await update({ TableName: tableName(), Key: keys.visitState(id), UpdateExpression: "SET unitPath = :np", ConditionExpression: "attribute_exists(pk) AND unitPath = :op", ExpressionAttributeValues: { ":np": np, ":op": raw.unitPath } });
      return done;
    },
  },
  {
    name: "people",
    gsi1pk: "PEOPLE",
    rewrite: async (raw, m, at) => {
      const np = moved(raw.unitPath as string, m);
      return versioned(keys.person(raw.id as string), raw, keys.personList(np, (raw.householdId as string | null) ?? null, raw.id as string).gsi1sk, np, at);
    },
  },
  {
    name: "places",
    gsi1pk: "PLACES",
    rewrite: async (raw, m, at) => {
      const np = moved(raw.unitPath as string, m);
      return versioned(keys.place(raw.id as string), raw, keys.placeList(np, raw.id as string).gsi1sk, np, at);
    },
  },
  ...["people", "places", "matters"].map(
    (list): Phase => ({
      name: `keylist-${list}`,
      gsi1pk: `KEYLIST#${list}`,
      rewrite: async (raw, m, at) => {
        const np = moved(raw.unitPath as string, m);
        return versioned(keys.keyEntry(raw.id as string), raw, keys.keyEntryList(list, np, raw.id as string).gsi1sk, np, at);
      },
    }),
  ),
];

async function page(gsi1pk: string, prefix: string, count = false) {
  let n = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)",
        ExpressionAttributeValues: { ":pk": gsi1pk, ":p": prefix },
        ...(count ? { Select: "COUNT" as const, ExclusiveStartKey: start } : { Limit: PAGE }),
      }),
    );
    if (!count) return out.Items ?? [];
    n += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return n;
}

/** Staff: role rows of the moved units and the users' stored assignments (tokens are read canonically meanwhile). */
async function repathStaff(m: MoveInput, at: string): Promise<number> {
  let n = 0;
  const units = await subtree(m.newPath);
  const users = new Set<string>();
  for (const u of units) {
    const out = await db().send(new QueryCommand({ TableName: tableName(), IndexName: "gsi2", KeyConditionExpression: "gsi2pk = :pk", ExpressionAttributeValues: { ":pk": keys.staffOfUnit(u.id, "").gsi2pk } }));
    for (const r of out.Items ?? []) {
      users.add(r.userId as string);
      if (typeof r.unitPath === "string" && r.unitPath.startsWith(m.oldPath)) {
        await update({ TableName: tableName(), Key: { pk: r.pk as string, sk: r.sk as string }, UpdateExpression: "SET unitPath = :np", ConditionExpression: "unitPath = :op", ExpressionAttributeValues: { ":np": moved(r.unitPath, m), ":op": r.unitPath } });
      }
    }
  }
  for (const id of users) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const u = (await db().send(new GetCommand({ TableName: tableName(), Key: keys.user(id), ConsistentRead: true }))).Item;
      const assignments = (u?.assignments ?? []) as Array<{ unitPath: string }>;
      if (!u || !assignments.some((a) => a.unitPath.startsWith(m.oldPath))) break;
      const next = assignments.map((a) => (a.unitPath.startsWith(m.oldPath) ? { ...a, unitPath: moved(a.unitPath, m) } : a));
      const ok = await update({ TableName: tableName(), Key: keys.user(id), UpdateExpression: "SET assignments = :a, #v = #v + :one, updatedAt = :at", ConditionExpression: "#v = :v", ExpressionAttributeNames: { "#v": "version" }, ExpressionAttributeValues: { ":a": next, ":one": 1, ":at": at, ":v": u.version } });
      if (ok) {
        n++;
        break;
      }
    }
  }
  return n;
}

/** Records still under the old path (the job's total at its start). */
export async function countToRepath(m: MoveInput): Promise<number> {
  let n = 0;
  for (const ph of PHASES) n += (await page(ph.gsi1pk, m.oldPath, true)) as number;
  return n;
}

/**
 * Run (or resume) a unit-move job. `opts.maxPages` stops after that many pages — a run cut short
 * as by a crash (tests use it to look at reads mid-way); the next delivery resumes.
 */
export async function runUnitMove(jobId: string, clock: Clock, opts: { maxPages?: number } = {}): Promise<void> {
  const job = await getJob(jobId, true);
  if (!job) {
    logger.warn("move job not found", { jobId });
    return;
  }
  if (TERMINAL.includes(job.status)) return;
  const started = clock.now().toISOString();
  const claimed = await updateJob(jobId, { status: "running", startedAt: job.startedAt ?? started, updatedAt: started }, { from: ["queued", "running"], addAttempt: true, attempts: job.attempts ?? 0 });
  if (!claimed) return;
  try {
    await repath(job, clock, opts);
  } catch (e) {
    if (job.attempts + 1 < MAX_JOB_ATTEMPTS) throw e;
    logger.error("move job failed", { jobId, error: (e as Error).message });
    const at = clock.now().toISOString();
    await finishJob(jobId, { status: "failed", errors: [{ line: 0, reason: "the move stopped on an internal error; repeat the move to resume it" }], errorCount: 1, updatedAt: at, finishedAt: at });
  }
}

async function repath(job: Job, clock: Clock, opts: { maxPages?: number }): Promise<void> {
  const m = job.input as unknown as MoveInput;
  if (!job.total) {
    const total = await countToRepath(m);
    await updateJob(job.id, { total, done: 0 });
  }
  let pages = 0;
  const counts: Record<string, number> = {};
  for (const ph of PHASES) {
    for (let stalled = 0; stalled < 3; ) {
      if (opts.maxPages !== undefined && pages >= opts.maxPages) return; // cut short: stays running
      const items = (await page(ph.gsi1pk, m.oldPath)) as Record<string, unknown>[];
      if (!items.length) break;
      pages++;
      const at = clock.now().toISOString();
      let written = 0;
      for (const raw of items) if (await ph.rewrite(raw, m, at)) written++;
      counts[ph.name] = (counts[ph.name] ?? 0) + written;
      if (written) await addJobProgress(job.id, written, at);
      stalled = written ? 0 : stalled + 1; // records that keep changing under us are left for a repeat
      // a record changed meanwhile is read again on the next page (it still carries the old path)
    }
  }
  const staff = await repathStaff(m, clock.now().toISOString());
  const now = clock.now();
  await finishMove(m.rootId, now);
  const fresh = (await getJob(job.id, true))!;
  await finishJob(
    job.id,
    { status: "succeeded", done: fresh.total, result: { ...counts, users: staff }, updatedAt: now.toISOString(), finishedAt: now.toISOString() },
    [auditPut({ actor: job.createdBy, action: "unit.move.repath", entity: "unit", entityId: m.rootId, summary: `records of ${m.oldPath} → ${m.newPath}: ${JSON.stringify(counts)}, ${staff} users` }, now)],
  );
}
