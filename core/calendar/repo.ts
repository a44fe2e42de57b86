import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { keys } from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import type { Refresher } from "../config/repo.ts";
import type { AuditEntry } from "../audit/entry.ts";
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
