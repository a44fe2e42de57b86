import { GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { queryPage, type Page } from "../db/page.ts";
import { atVersion } from "../db/conditions.ts";
import { ConflictError } from "../errors.ts";
import type { Refresher } from "../config/repo.ts";
import type { AuditEntry, auditPut } from "../audit/entry.ts";
import { defaultCalendar, type Calendar } from "./schema.ts";

/** The county calendar as served: the calendar, its version (0 = the bundled default, never saved). */
export type CalendarRecord = Calendar & { version: number; updatedAt?: string };

/** One saved version, kept for ever so that a deadline computed with it stays explainable. */
export interface CalendarVersion {
  version: number;
  calendar: Calendar;
  savedAt: string;
  savedBy: AuditEntry["actor"];
}

export function defaultCalendarRecord(): CalendarRecord {
  return { ...defaultCalendar(), version: 0 };
}

export function calendarItem(c: CalendarRecord) {
  return item("Calendar", keys.calendar(), c);
}

export function calendarVersionItem(v: CalendarVersion) {
  return item("CalendarVersion", keys.calendarVersion(v.version), v);
}

/** The stored current calendar, or undefined when the county still uses the default. */
export async function getStoredCalendar(consistent = false): Promise<CalendarRecord | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.calendar(), ConsistentRead: consistent }));
  return strip<CalendarRecord>(out.Item);
}

/** A past (or the current) version; version 0 is the bundled default. */
export async function getCalendarVersion(version: number): Promise<Calendar | undefined> {
  if (version === 0) return { ...defaultCalendar(), version: 0 };
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.calendarVersion(version) }));
  const v = strip<CalendarVersion>(out.Item);
  return v ? { ...v.calendar, version: v.version } : undefined;
}

let cache: { at: number; value: CalendarRecord } | undefined;
/** How long a warm container trusts the calendar it read. */
export const CALENDAR_TTL_MS = 30_000;

/** The calendar's refresh, for a read the request makes anyway (core/config/repo.ts `readWithConfig`; #16). */
export const calendarRefresher: Refresher = {
  name: "calendar",
  key: keys.calendar(),
  due: (_now, early = false) => !cache || Date.now() < cache.at || Date.now() - cache.at >= (early ? CALENDAR_TTL_MS / 2 : CALENDAR_TTL_MS),
  apply: (raw) => {
    cache = { at: Date.now(), value: strip<CalendarRecord>(raw) ?? defaultCalendarRecord() };
  },
};

/**
 * The county calendar for deadline arithmetic (with its `version`, to record next to a deadline).
 * Cached for 30 s per warm container (the case loop refreshes it with the case read); `fresh` reads through.
 */
export async function getCalendar(fresh = false): Promise<CalendarRecord> {
  if (!fresh && cache && Date.now() - cache.at < CALENDAR_TTL_MS && Date.now() >= cache.at) return cache.value;
  const value = (await getStoredCalendar(fresh)) ?? defaultCalendarRecord();
  cache = { at: Date.now(), value };
  return value;
}

export function forgetCalendar(): void {
  cache = undefined;
}

/**
 * Store a new calendar version: the current calendar (only while the stored version is still
 * `expected`; undefined: none is stored yet), its own version item (never overwritten) and the
 * audit row, in one transaction. 409 with the current calendar when someone saved meanwhile.
 */
export async function saveCalendarVersion(next: CalendarRecord, saved: CalendarVersion, expected: number | undefined, audit: ReturnType<typeof auditPut>): Promise<void> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: calendarItem(next), ...atVersion(expected) } },
          { Put: { TableName: tableName(), Item: calendarVersionItem(saved), ConditionExpression: "attribute_not_exists(pk)" } },
          audit,
        ],
      }),
    );
  } catch (e) {
    if (isConditionFailure(e)) throw new ConflictError("The calendar was changed by someone else; reload and retry", { current: await getStoredCalendar(true) });
    mapStorageError(e);
  }
}

/** Saved versions, newest first (`Query pk = CALENDAR`, descending). */
export async function calendarVersionsPage(page: { limit: number; cursor?: string }): Promise<Page<CalendarVersion>> {
  return queryPage<CalendarVersion>(
    {
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.calendarVersion(0).pk },
      ScanIndexForward: false,
    },
    page,
  );
}
