import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { ConflictError } from "../errors.ts";
import { queryAll } from "../db/page.ts";
import type { MissedPatrol, Patrol } from "./patrols.ts";

/**
 * The patrols' table access (#16, the repo is the one door; core/duty/patrols.ts states the rules):
 * a patrol item `PATROL#<id>` indexed by user (gsi1), county day (gsi2) and unit, the missed-patrol
 * rows and the daily job's mark.
 */

function patrolItem(x: Patrol) {
  return item("Patrol", { ...keys.patrol(x.id), ...keys.patrolByUser(x.userId, x.startedAt, x.id), ...keys.patrolByDay(x.date, x.userId, x.id), ...keys.patrolByUnit(x.unitId, x.startedAt, x.id) }, x);
}

export async function getPatrol(id: string): Promise<Patrol | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.patrol(id), ConsistentRead: true }));
  return strip<Patrol>(out.Item);
}

/** The user's latest patrol (gsi1, newest first, one item). */
export async function latestPatrol(userId: string): Promise<Patrol | undefined> {
  const out = await db().send(
    new QueryCommand({ TableName: tableName(), IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": keys.patrolByUser(userId, "", "").gsi1pk }, ScanIndexForward: false, Limit: 1 }),
  );
  return strip<Patrol>(out.Items?.[0]);
}

/** Store a new patrol (never over an existing id). */
export async function putNewPatrol(x: Patrol): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: patrolItem(x), ConditionExpression: "attribute_not_exists(pk)" }));
}

/**
 * Append GPS points to the user's open patrol while it holds at most `max` − their number: the
 * new count. 409 when the patrol has ended or is full.
 */
export async function appendPatrolPoints(id: string, userId: string, points: Array<{ lng: number; lat: number; at: string }>, max: number): Promise<number> {
  try {
    const out = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.patrol(id),
        UpdateExpression: "SET #pts = list_append(#pts, :p), #pc = #pc + :n",
        ConditionExpression: "#uid = :me AND #end = :null AND #pc <= :max",
        ExpressionAttributeNames: { "#pts": "points", "#pc": "pointsCount", "#uid": "userId", "#end": "endedAt" },
        ExpressionAttributeValues: { ":p": points, ":n": points.length, ":me": userId, ":null": null, ":max": max - points.length },
        ReturnValues: "UPDATED_NEW",
      }),
    );
    return out.Attributes?.pointsCount as number;
  } catch (e) {
    if (isConditionFailure(e)) throw new ConflictError(`The patrol has ended or holds ${max} points already`);
    mapStorageError(e);
  }
}

/**
 * End the user's open patrol with what check-out measured, only while it still holds the `read`
 * points the distance was measured over (points appended meanwhile make it a retry): the patrol
 * as stored after. 409 when it has ended or points arrived meanwhile.
 */
export async function closePatrol(
  id: string,
  userId: string,
  read: number,
  end: { at: string; point: unknown; note: string | null; photos: unknown; extra: Array<{ lng: number; lat: number; at: string }>; distanceMeters: number; durationMinutes: number },
): Promise<Patrol | undefined> {
  try {
    const out = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.patrol(id),
        UpdateExpression: "SET #end = :at, #ep = :pt, #note = :note, #ph = :photos, #pts = list_append(#pts, :extra), #pc = #pc + :n, #dm = :dm, #dur = :dur",
        ConditionExpression: "#uid = :me AND #end = :null AND #pc = :read",
        ExpressionAttributeNames: { "#pts": "points", "#pc": "pointsCount", "#uid": "userId", "#end": "endedAt", "#ep": "endPoint", "#note": "note", "#ph": "photos", "#dm": "distanceMeters", "#dur": "durationMinutes" },
        ExpressionAttributeValues: { ":at": end.at, ":pt": end.point, ":note": end.note, ":photos": end.photos, ":extra": end.extra, ":n": end.extra.length, ":me": userId, ":null": null, ":read": read, ":dm": end.distanceMeters, ":dur": end.durationMinutes },
        ReturnValues: "ALL_NEW",
      }),
    );
    return strip<Patrol>(out.Attributes);
  } catch (e) {
    if (isConditionFailure(e)) throw new ConflictError("This patrol has ended, or points arrived meanwhile; retry");
    mapStorageError(e);
  }
}

/** A user's patrols of one county day (gsi2), or their latest 50 (gsi1, newest first): one Query. */
export async function patrolsOfUser(userId: string, date: string | undefined): Promise<Patrol[]> {
  const out = date
    ? await db().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: "gsi2",
          KeyConditionExpression: "gsi2pk = :pk AND begins_with(gsi2sk, :u)",
          ExpressionAttributeValues: { ":pk": keys.patrolByDay(date, "", "").gsi2pk, ":u": `${userId}#` },
        }),
      )
    : await db().send(
        new QueryCommand({ TableName: tableName(), IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": keys.patrolByUser(userId, "", "").gsi1pk }, ScanIndexForward: false, Limit: 50 }),
      );
  return (out.Items ?? []).map((r) => strip<Patrol>(r)!);
}

/** Every user with the fields the patrol duty needs (the user list, one gsi1 partition, read with a projection). */
export async function userRowsForPatrols(): Promise<Array<Record<string, any>>> {
  return queryAll({
    IndexName: "gsi1",
    KeyConditionExpression: "gsi1pk = :pk",
    ProjectionExpression: "#id, #un, #dn, #as, #ac",
    ExpressionAttributeNames: { "#id": "id", "#un": "username", "#dn": "displayName", "#as": "assignments", "#ac": "active" },
    ExpressionAttributeValues: { ":pk": keys.userList("").gsi1pk },
  });
}

/** A county day's patrols, summary fields only (gsi2 by day), read to the end. */
export async function patrolSummariesOfDay<T>(date: string): Promise<T[]> {
  return queryAll<T>({
    IndexName: "gsi2",
    KeyConditionExpression: "gsi2pk = :pk",
    ProjectionExpression: "#id, #uid, #st, #end, #dm",
    ExpressionAttributeNames: { "#id": "id", "#uid": "userId", "#st": "startedAt", "#end": "endedAt", "#dm": "distanceMeters" },
    ExpressionAttributeValues: { ":pk": keys.patrolByDay(date, "", "").gsi2pk },
  });
}

/** The last county day the patrol duty processed (strongly consistent); undefined before its first run. */
export async function patrolDutyMark(): Promise<string | undefined> {
  const mark = await db().send(new GetCommand({ TableName: tableName(), Key: keys.dutyJobMark("patrols"), ConsistentRead: true }));
  return mark.Item?.lastDate as string | undefined;
}

/** Record the last county day the patrol duty processed. */
export async function setPatrolDutyMark(lastDate: string, at: string): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: item("DutyJobMark", keys.dutyJobMark("patrols"), { lastDate, at }) }));
}

/** A worker's missed-patrol row of a day (`MISSEDPATROL#<date>`; a re-run rewrites it). */
export async function putMissedPatrol(date: string, m: MissedPatrol): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: item("MissedPatrol", keys.missedPatrol(date, m.userId), m) }));
}
