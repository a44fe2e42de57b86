/** The county working calendar and durations, as validated data. */
import * as z from "zod/mini";
import { isLocalDate, isValidTimeZone, minutesOfTime } from "./time.ts";

/** Minutes of "HH:MM", or NaN when malformed (the field's own check reports that). */
function minutesOrNaN(time: string): number {
  try {
    return minutesOfTime(time);
  } catch {
    return NaN;
  }
}

/** A wall-clock time "HH:MM", 00:00 … 23:59. */
export const TimeOfDay = z.string().check(z.maxLength(5), z.regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, "Expected a time HH:MM (00:00–23:59)"));
export type TimeOfDay = z.infer<typeof TimeOfDay>;

/** A county-local calendar date "YYYY-MM-DD". */
export const LocalDate = z.string().check(z.maxLength(10), z.regex(/^\d{4}-\d{2}-\d{2}$/, "Expected a date YYYY-MM-DD"), z.refine(isLocalDate, "Not a real calendar date"));
export type LocalDate = z.infer<typeof LocalDate>;

/** One working period of a day, e.g. 08:30–12:00. `end` may be "24:00" (end of the day). */
export const WorkPeriod = z.object({
    start: TimeOfDay,
    end: z.union([TimeOfDay, z.literal("24:00")]),
  }).check(z.refine((p) => !(minutesOrNaN(p.start) >= minutesOrNaN(p.end)), {
    message: "A working period must start before it ends",
    path: ["end"],
  }));
export type WorkPeriod = z.infer<typeof WorkPeriod>;

/** The working periods of a day: 1 to 4, sorted, not overlapping (one may end when the next starts). */
export const WorkPeriods = z.array(WorkPeriod).check(z.minLength(1, "At least one working period per day"), z.maxLength(4, "At most four working periods per day"), z.superRefine((periods, ctx) => {
    for (let i = 1; i < periods.length; i++) {
      if (minutesOrNaN(periods[i].start) < minutesOrNaN(periods[i - 1].end)) {
        ctx.addIssue({
          code: "custom",
          message: "Working periods must be in order and must not overlap",
          path: [i, "start"],
        });
      }
    }
  }));

export const DEFAULT_TIME_ZONE = "Asia/Shanghai";
/** The shape of an IANA zone name (Asia/Shanghai, Etc/GMT-8, UTC); whether the zone exists is checked by Intl. */
export const TIME_ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;
/** Dates a calendar lists as holidays or as make-up days: ten years of every day is more than any county keeps. */
export const MAX_CALENDAR_DATES = 3660;
export const DEFAULT_PERIODS: readonly WorkPeriod[] = [
  { start: "08:30", end: "12:00" },
  { start: "13:30", end: "17:30" },
];
export const DEFAULT_WEEKDAYS: readonly number[] = [1, 2, 3, 4, 5];

export const Calendar = z.object({
    /** IANA zone of the county. China has no DST, but any zone works. */
    timeZone: z._default(z.string().check(z.maxLength(64), z.regex(TIME_ZONE_NAME, "Unknown time zone, expected an IANA name such as Asia/Shanghai"), z.refine(isValidTimeZone, "Unknown time zone, expected an IANA name such as Asia/Shanghai")), DEFAULT_TIME_ZONE),
    periods: z._default(WorkPeriods, () => DEFAULT_PERIODS.map((p) => ({ ...p }))),
    /** Regular working weekdays, 1 = Monday … 7 = Sunday. */
    weekdays: z._default(z.array(z.number().check(z.int(), z.gte(1), z.lte(7))).check(z.minLength(1, "At least one working weekday"), z.maxLength(7, "Weekdays must not repeat"), z.refine((w) => new Set(w).size === w.length, "Weekdays must not repeat")), () => [...DEFAULT_WEEKDAYS]),
    /** Dates off (statutory holidays and county days off), any year. */
    holidays: z._default(z.array(LocalDate).check(z.maxLength(MAX_CALENDAR_DATES)), () => []),
    /** Make-up working days (调休): dates, usually weekends, that are working days. */
    workdays: z._default(z.array(LocalDate).check(z.maxLength(MAX_CALENDAR_DATES)), () => []),
    version: z.optional(z.number().check(z.int(), z.nonnegative())),
  }).check(z.superRefine((cal, ctx) => {
    const holidays = new Set(cal.holidays);
    cal.workdays.forEach((d, i) => {
      if (holidays.has(d)) {
        ctx.addIssue({
          code: "custom",
          message: `${d} cannot be both a holiday and a make-up working day`,
          path: ["workdays", i],
        });
      }
    });
  }));
export type Calendar = z.infer<typeof Calendar>;
export type CalendarInput = z.input<typeof Calendar>;

export const DurationUnit = z.enum(["working_hours", "calendar_hours", "working_days", "calendar_days"]);
export type DurationUnit = z.infer<typeof DurationUnit>;

/** Upper bounds keep a bad configuration from turning one call into a long loop. */
export const MAX_HOURS = 100_000;
export const MAX_DAYS = 10_000;

export const Duration = z.object({
    amount: z.number().check(z.positive()),
    unit: DurationUnit,
  }).check(z.superRefine((d, ctx) => {
    const days = d.unit === "working_days" || d.unit === "calendar_days";
    if (days && !Number.isInteger(d.amount)) {
      ctx.addIssue({ code: "custom", message: "A number of days must be a whole number", path: ["amount"] });
    }
    const max = days ? MAX_DAYS : MAX_HOURS;
    if (d.amount > max) {
      ctx.addIssue({ code: "custom", message: `At most ${max} ${days ? "days" : "hours"}`, path: ["amount"] });
    }
  }));
export type Duration = z.infer<typeof Duration>;

/**
 * China's statutory holidays and make-up working days (调休) as published by the State Council.
 * These are only the default data: every county may edit its calendar (add local days off,
 * drop or add make-up days) in its configuration, and must add each new year's list when it
 * is published (usually in November of the year before).
 */
export const CHINA_STATUTORY_DAYS: Readonly<Record<number, { holidays: readonly string[]; workdays: readonly string[] }>> = {
  2026: {
    holidays: [
      // New Year's Day 元旦
      "2026-01-01", "2026-01-02", "2026-01-03",
      // Spring Festival 春节
      "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
      "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
      // Qingming 清明节
      "2026-04-04", "2026-04-05", "2026-04-06",
      // Labour Day 劳动节
      "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",
      // Dragon Boat Festival 端午节
      "2026-06-19", "2026-06-20", "2026-06-21",
      // Mid-Autumn Festival 中秋节
      "2026-09-25", "2026-09-26", "2026-09-27",
      // National Day 国庆节
      "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07",
    ],
    workdays: [
      "2026-01-04", // New Year
      "2026-02-14", "2026-02-28", // Spring Festival
      "2026-05-09", // Labour Day
      "2026-09-20", "2026-10-10", // National Day
    ],
  },
};

/**
 * The default county calendar: Asia/Shanghai, 08:30–12:00 and 13:30–17:30, Monday to Friday,
 * with China's statutory holidays and make-up days. With `year`, only that year's statutory
 * days (none if the year is not bundled); without, every bundled year.
 */
export function defaultCalendar(year?: number): Calendar {
  const years = year === undefined ? Object.keys(CHINA_STATUTORY_DAYS).map(Number) : [year];
  const holidays: string[] = [];
  const workdays: string[] = [];
  for (const y of years.sort((a, b) => a - b)) {
    const data = CHINA_STATUTORY_DAYS[y];
    if (!data) continue;
    holidays.push(...data.holidays);
    workdays.push(...data.workdays);
  }
  return {
    timeZone: DEFAULT_TIME_ZONE,
    periods: DEFAULT_PERIODS.map((p) => ({ ...p })),
    weekdays: [...DEFAULT_WEEKDAYS],
    holidays,
    workdays,
  };
}
