import * as z from "zod/mini";
import { distanceMeters } from "../geo/measure.ts";

/**
 * What makes a patrol count towards the daily requirement (一日双巡), configurable per county in
 * the duty configuration (`patrolRule`): a minimum duration, a minimum distance walked (along the
 * GPS track) and a minimum gap since the end of the previous patrol that counted. See
 * docs/registry.md ("Duty rules").
 */
export const PatrolRule = z.strictObject({
    minMinutes: z.number().check(z.int(), z.gte(0), z.lte(600)),
    minMeters: z.number().check(z.int(), z.gte(0), z.lte(100_000)),
    minGapMinutes: z.number().check(z.int(), z.gte(0), z.lte(1440)),
  });
export type PatrolRule = z.infer<typeof PatrolRule>;

/** 20 minutes, 500 m, and two hours after the previous counted patrol (a morning and an afternoon round). */
export const DEFAULT_PATROL_RULE: PatrolRule = { minMinutes: 20, minMeters: 500, minGapMinutes: 120 };

export type TrackPoint = { lng: number; lat: number; at?: string };

/** Length of a GPS track in metres (great-circle between consecutive points). */
export function trackMeters(points: readonly TrackPoint[]): number {
  let m = 0;
  for (let i = 1; i < points.length; i++) m += distanceMeters([points[i - 1].lng, points[i - 1].lat], [points[i].lng, points[i].lat]);
  return Math.round(m);
}

export interface PatrolFacts {
  id: string;
  startedAt: string;
  endedAt: string | null;
  /** stored at check-out; legacy patrols without it are measured from their points */
  distanceMeters?: number;
  points?: readonly TrackPoint[];
}

export type PatrolVerdict = { id: string; counts: boolean; reason: "open" | "too_short" | "too_little_distance" | "too_soon" | null; durationMinutes: number; distanceMeters: number };

/**
 * Judge one worker's patrols of one day, in start order: each finished patrol counts if it lasted
 * long enough, covered enough ground, and started at least `minGapMinutes` after the end of the
 * previous patrol that counted.
 */
export function judgePatrols(patrols: readonly PatrolFacts[], rule: PatrolRule): PatrolVerdict[] {
  const sorted = [...patrols].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  let lastCountedEnd: number | undefined;
  return sorted.map((x) => {
    const distance = x.distanceMeters ?? trackMeters(x.points ?? []);
    if (!x.endedAt) return { id: x.id, counts: false, reason: "open", durationMinutes: 0, distanceMeters: distance };
    const start = Date.parse(x.startedAt);
    const minutes = (Date.parse(x.endedAt) - start) / 60_000;
    const durationMinutes = Math.round(minutes * 10) / 10;
    let reason: PatrolVerdict["reason"] = null;
    if (minutes < rule.minMinutes) reason = "too_short";
    else if (distance < rule.minMeters) reason = "too_little_distance";
    else if (lastCountedEnd !== undefined && start - lastCountedEnd < rule.minGapMinutes * 60_000) reason = "too_soon";
    if (!reason) lastCountedEnd = Date.parse(x.endedAt);
    return { id: x.id, counts: !reason, reason, durationMinutes, distanceMeters: distance };
  });
}

/** Patrols that count, per the rule. */
export const countedPatrols = (patrols: readonly PatrolFacts[], rule: PatrolRule) => judgePatrols(patrols, rule).filter((v) => v.counts).length;

/**
 * Did the worker hold the grid on this county day? A day counts if the grid was assigned
 * (`since`) early enough that day to meet the requirement: `required` patrols of the minimum
 * duration with the minimum gaps between them fit before the day ends. Assignments made before
 * `since` was recorded count as always held. `dayEndIso` is the day's end in county time.
 */
export function heldForDay(since: string | undefined, dayEndIso: string, required: number, rule: PatrolRule): boolean {
  if (!since) return true;
  const needed = required * rule.minMinutes + Math.max(0, required - 1) * rule.minGapMinutes;
  return Date.parse(since) + needed * 60_000 <= Date.parse(dayEndIso);
}
