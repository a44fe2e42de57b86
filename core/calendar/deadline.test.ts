import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  addDuration,
  isWorkingDay,
  isWorkingMoment,
  nextWorkingMoment,
  workingMsBetween,
  workingPeriodsOn,
} from "./deadline.ts";
import { defaultCalendar } from "./schema.ts";
import type { Calendar, Duration, DurationUnit } from "./schema.ts";
import { toLocalParts, zonedTimeToUtc } from "./time.ts";

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

const CAL = defaultCalendar(2026);
const GMT8: Calendar = { ...CAL, timeZone: "Etc/GMT-8" };

/** "YYYY-MM-DD HH:MM" in the calendar's zone → instant. */
function at(s: string, cal: Calendar = CAL): Date {
  return zonedTimeToUtc(s.slice(0, 10), s.slice(11, 16), cal.timeZone);
}
/** Instant → "YYYY-MM-DD HH:MM" in the calendar's zone. */
function show(d: Date, cal: Calendar = CAL): string {
  const p = toLocalParts(d, cal.timeZone);
  return `${p.date} ${p.time}`;
}
const wh = (amount: number): Duration => ({ amount, unit: "working_hours" });
const wd = (amount: number): Duration => ({ amount, unit: "working_days" });

// ------------------------------------------------------------- hand-computed examples

describe("addDuration with the default 2026 calendar (08:30–12:00, 13:30–17:30, Mon–Fri)", () => {
  const cases: Array<[string, string, Duration, string]> = [
    // [what, start (Asia/Shanghai), duration, expected]
    ["Friday 16:00 + 4 working hours ends Monday 11:00", "2026-03-06 16:00", wh(4), "2026-03-09 11:00"],
    ["a deadline reaching the end of a period stays there", "2026-03-06 16:00", wh(1.5), "2026-03-06 17:30"],
    ["the morning can end exactly at noon", "2026-03-09 08:30", wh(3.5), "2026-03-09 12:00"],
    ["working time skips the lunch break", "2026-03-09 11:00", wh(2), "2026-03-09 14:30"],
    ["a start in the lunch break begins at 13:30", "2026-03-09 12:30", wh(1), "2026-03-09 14:30"],
    ["a start before opening begins at 08:30", "2026-03-09 07:00", wh(1), "2026-03-09 09:30"],
    ["a start after closing begins the next working day", "2026-03-09 18:00", wh(1), "2026-03-10 09:30"],
    ["a start on Sunday begins Monday", "2026-03-08 10:00", wh(1), "2026-03-09 09:30"],
    ["half an hour counts in minutes", "2026-03-09 11:45", wh(0.5), "2026-03-09 13:45"],
    ["a start on National Day begins after the holiday", "2026-10-01 09:00", wh(2), "2026-10-08 10:30"],
    ["a full day from a holiday ends on the first working day", "2026-10-03 09:00", wh(7.5), "2026-10-08 17:30"],
    ["the Saturday make-up day Oct 10 is worked", "2026-10-09 16:00", wh(4), "2026-10-10 11:00"],
    ["New Year: Jan 1–3 off, Sunday Jan 4 worked", "2025-12-31 16:00", wh(4), "2026-01-04 11:00"],
    ["Spring Festival: the Feb 14 make-up Saturday is worked", "2026-02-13 16:00", wh(8), "2026-02-14 16:30"],
    ["Spring Festival: Feb 15–23 are skipped", "2026-02-13 16:00", wh(12), "2026-02-24 11:30"],
    ["the Feb 28 make-up Saturday is worked", "2026-02-27 16:00", wh(4), "2026-02-28 11:00"],
    ["Labour Day May 1–5 is skipped, Saturday May 9 worked", "2026-04-30 16:00", wh(9), "2026-05-06 17:30"],
    ["Labour Day continued into the make-up Saturday", "2026-05-08 16:00", wh(4), "2026-05-09 11:00"],
    ["calendar hours ignore the calendar", "2026-02-13 16:00", { amount: 24, unit: "calendar_hours" }, "2026-02-14 16:00"],
    ["calendar hours run through a holiday night", "2026-10-01 03:10", { amount: 100, unit: "calendar_hours" }, "2026-10-05 07:10"],
    ["calendar days keep the wall-clock time", "2026-02-14 10:15", { amount: 3, unit: "calendar_days" }, "2026-02-17 10:15"],
    ["1 working day keeps the time of day", "2026-03-09 10:00", wd(1), "2026-03-10 10:00"],
    ["1 working day from Friday is Monday", "2026-03-06 10:00", wd(1), "2026-03-09 10:00"],
    ["1 working day from the weekend is the end of Monday", "2026-03-07 10:00", wd(1), "2026-03-09 17:30"],
    ["1 working day from opening time is the end of that day", "2026-03-09 08:30", wd(1), "2026-03-09 17:30"],
    ["1 working day from closing time is the end of the next day", "2026-03-09 17:30", wd(1), "2026-03-10 17:30"],
    ["1 working day from lunch is the next day at noon", "2026-03-09 12:30", wd(1), "2026-03-10 12:00"],
    ["working days count the make-up Saturday and skip Spring Festival", "2026-02-13 10:00", wd(2), "2026-02-24 10:00"],
    ["5 working days across National Day and its make-up Saturday", "2026-09-29 15:00", wd(5), "2026-10-12 15:00"],
  ];
  it.each(cases)("%s", (_what, start, d, expected) => {
    expect(show(addDuration(CAL, at(start), d))).toBe(expected);
  });

  it("gives the same result for a 2026 calendar and for the calendar of every bundled year", () => {
    expect(show(addDuration(defaultCalendar(), at("2026-02-13 16:00"), wh(12)))).toBe("2026-02-24 11:30");
  });

  it("refuses negative, infinite and fractional-day amounts", () => {
    expect(() => addDuration(CAL, at("2026-03-09 10:00"), wh(-1))).toThrow(/finite amount/);
    expect(() => addDuration(CAL, at("2026-03-09 10:00"), wh(Infinity))).toThrow(/finite amount/);
    expect(() => addDuration(CAL, at("2026-03-09 10:00"), wd(1.5))).toThrow(/whole number/);
    expect(() => addDuration(CAL, new Date(NaN), wh(1))).toThrow(/Invalid start/);
  });

  it("refuses a calendar without working time instead of looping", () => {
    const never: Calendar = { ...CAL, weekdays: [], workdays: [] };
    expect(() => addDuration(never, at("2026-03-09 10:00"), wh(1))).toThrow(/no working days/);
    const onlyOnce: Calendar = { ...CAL, weekdays: [], workdays: ["2026-03-09"] };
    expect(show(addDuration(onlyOnce, at("2026-03-01 10:00"), wh(7.5)))).toBe("2026-03-09 17:30");
    expect(() => addDuration(onlyOnce, at("2026-03-01 10:00"), wh(8))).toThrow(/no working time/);
  });
});

describe("workingMsBetween", () => {
  const cases: Array<[string, string, string, number]> = [
    ["Friday 16:00 to Monday 11:00 is 4 working hours", "2026-03-06 16:00", "2026-03-09 11:00", 4 * HOUR],
    ["the lunch break is not working time", "2026-03-09 12:00", "2026-03-09 13:30", 0],
    ["a whole working day is 7.5 hours", "2026-03-09 00:00", "2026-03-10 00:00", 7.5 * HOUR],
    ["a week is 37.5 hours", "2026-03-09 00:00", "2026-03-16 00:00", 37.5 * HOUR],
    ["Spring Festival only counts Feb 13 afternoon, the make-up Saturday and Feb 24 morning", "2026-02-13 16:00", "2026-02-24 11:30", 12 * HOUR],
    ["a span inside National Day is empty", "2026-10-01 08:00", "2026-10-07 23:00", 0],
    ["from a moment to itself is zero", "2026-03-09 10:00", "2026-03-09 10:00", 0],
  ];
  it.each(cases)("%s", (_what, a, b, expected) => {
    expect(workingMsBetween(CAL, at(a), at(b))).toBe(expected);
  });

  it("is negative when the end is before the start", () => {
    expect(workingMsBetween(CAL, at("2026-03-09 11:00"), at("2026-03-06 16:00"))).toBe(-4 * HOUR);
  });
});

describe("working days and moments", () => {
  it("tells working days from weekends, holidays and make-up days", () => {
    expect(isWorkingDay(CAL, "2026-03-09")).toBe(true); // Monday
    expect(isWorkingDay(CAL, "2026-03-07")).toBe(false); // Saturday
    expect(isWorkingDay(CAL, "2026-02-16")).toBe(false); // Spring Festival Monday
    expect(isWorkingDay(CAL, "2026-02-14")).toBe(true); // make-up Saturday
    expect(isWorkingDay(CAL, "2026-01-04")).toBe(true); // make-up Sunday
    expect(isWorkingDay(CAL, "2026-10-01")).toBe(false);
  });

  it("finds the next working moment", () => {
    expect(show(nextWorkingMoment(CAL, at("2026-03-09 10:00")))).toBe("2026-03-09 10:00");
    expect(show(nextWorkingMoment(CAL, at("2026-03-09 12:00")))).toBe("2026-03-09 13:30");
    expect(show(nextWorkingMoment(CAL, at("2026-02-14 18:00")))).toBe("2026-02-24 08:30");
    expect(isWorkingMoment(CAL, at("2026-03-09 08:30"))).toBe(true);
    expect(isWorkingMoment(CAL, at("2026-03-09 17:30"))).toBe(false);
  });

  it("lists a day's working periods as instants", () => {
    expect(workingPeriodsOn(CAL, "2026-03-09").map((p) => [p.start.toISOString(), p.end.toISOString()])).toEqual([
      ["2026-03-09T00:30:00.000Z", "2026-03-09T04:00:00.000Z"],
      ["2026-03-09T05:30:00.000Z", "2026-03-09T09:30:00.000Z"],
    ]);
    expect(workingPeriodsOn(CAL, "2026-02-16")).toEqual([]);
  });

  it("honours configurable periods (three periods, one ending at midnight)", () => {
    const shifts: Calendar = {
      ...CAL,
      periods: [
        { start: "00:00", end: "06:00" },
        { start: "08:00", end: "12:00" },
        { start: "20:00", end: "24:00" },
      ],
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      holidays: [],
      workdays: [],
    };
    expect(show(addDuration(shifts, at("2026-03-09 22:00"), wh(3)))).toBe("2026-03-10 01:00");
    expect(show(addDuration(shifts, at("2026-03-09 22:00"), wh(2)))).toBe("2026-03-10 00:00");
    expect(workingMsBetween(shifts, at("2026-03-09 00:00"), at("2026-03-10 00:00"))).toBe(14 * HOUR);
  });

  it("adds 2,000 working hours to the right working day without walking minutes", () => {
    const start = at("2026-01-05 08:30"); // a Monday, first day after New Year
    const end = addDuration(CAL, start, wh(2000));
    // 2000 h = 266 full days of 7.5 h + 5 h: the 267th working day counting Jan 5 as the 1st, at 15:00.
    let date = "2026-01-05";
    for (let k = 1; k < 267; ) {
      date = new Date(Date.parse(date) + DAY).toISOString().slice(0, 10);
      if (naiveWorkingDay(date)) k++;
    }
    expect(show(end)).toBe(`${date} 15:00`);
    expect(workingMsBetween(CAL, start, end)).toBe(2000 * HOUR);
  });
});

// ------------------------------------------------------------- DST zones

describe("zones with daylight saving time", () => {
  const NY: Calendar = {
    timeZone: "America/New_York",
    periods: [
      { start: "01:00", end: "03:30" },
      { start: "09:00", end: "17:00" },
    ],
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    holidays: [],
    workdays: [],
  };

  it("shortens a period crossing the spring-forward gap by the hour that does not exist", () => {
    // 2026-03-08: 02:00 EST jumps to 03:00 EDT.
    const p = workingPeriodsOn(NY, "2026-03-08");
    expect(p[0].start.toISOString()).toBe("2026-03-08T06:00:00.000Z");
    expect(p[0].end.toISOString()).toBe("2026-03-08T07:30:00.000Z");
    expect(workingMsBetween(NY, at("2026-03-08 00:00", NY), at("2026-03-09 00:00", NY))).toBe(9.5 * HOUR);
  });

  it("lengthens a period crossing the fall-back overlap by the repeated hour", () => {
    // 2026-11-01: 02:00 EDT falls back to 01:00 EST.
    const p = workingPeriodsOn(NY, "2026-11-01");
    expect(p[0].start.toISOString()).toBe("2026-11-01T05:00:00.000Z");
    expect(p[0].end.toISOString()).toBe("2026-11-01T08:30:00.000Z");
    expect(workingMsBetween(NY, at("2026-11-01 00:00", NY), at("2026-11-02 00:00", NY))).toBe(11.5 * HOUR);
  });

  it("adds working hours across the gap in real elapsed time", () => {
    expect(show(addDuration(NY, at("2026-03-08 01:30", NY), wh(1)), NY)).toBe("2026-03-08 03:30");
    expect(show(addDuration(NY, at("2026-03-08 01:30", NY), wh(1.5)), NY)).toBe("2026-03-08 09:30");
  });

  it("keeps the wall-clock time for calendar days but not for calendar hours", () => {
    expect(show(addDuration(NY, at("2026-03-07 10:00", NY), { amount: 1, unit: "calendar_days" }), NY)).toBe("2026-03-08 10:00");
    expect(show(addDuration(NY, at("2026-03-07 10:00", NY), { amount: 24, unit: "calendar_hours" }), NY)).toBe("2026-03-08 11:00");
  });

  const nyStart = fc.integer({ min: Date.parse("2026-02-20T00:00:00Z"), max: Date.parse("2026-11-20T00:00:00Z") }).map((ms) => new Date(ms));
  const nyHours = fc.integer({ min: 1, max: 300 * 60 }).map((m) => m / 60);

  it("round-trips working hours and stays monotonic in a DST zone", () => {
    fc.assert(
      fc.property(nyStart, nyHours, nyHours, (s, h1, h2) => {
        const r1 = addDuration(NY, s, wh(h1));
        const r2 = addDuration(NY, s, wh(h2));
        expect(workingMsBetween(NY, s, r1)).toBe(Math.round(h1 * HOUR));
        // monotonic: the longer duration never ends earlier
        expect(Math.sign(r2.getTime() - r1.getTime()) * Math.sign(h2 - h1)).toBeGreaterThanOrEqual(0);
        expect(addDuration(NY, r1, wh(h2)).getTime()).toBe(addDuration(NY, s, wh(h1 + h2)).getTime());
      }),
      { numRuns: 200 },
    );
  });
});

// ------------------------------------------------------------- properties

/** Independent model of the default 2026 calendar (no Intl, UTC+8 by arithmetic). */
const HOLIDAYS = new Set(CAL.holidays);
const MAKEUP = new Set(CAL.workdays);
function naiveWorkingDay(date: string): boolean {
  if (HOLIDAYS.has(date)) return false;
  if (MAKEUP.has(date)) return true;
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return wd >= 1 && wd <= 5;
}
function naiveWorkingMinute(t: number): boolean {
  const local = new Date(t + 8 * HOUR);
  const date = local.toISOString().slice(0, 10);
  const m = local.getUTCHours() * 60 + local.getUTCMinutes();
  return naiveWorkingDay(date) && ((m >= 510 && m < 720) || (m >= 810 && m < 1050));
}
/** Earliest instant by which `minutes` working minutes have elapsed from a minute-aligned start. */
function naiveAdd(start: number, minutes: number): number {
  let t = start;
  let rem = minutes;
  if (rem === 0) {
    while (!naiveWorkingMinute(t)) t += MIN;
    return t;
  }
  for (;;) {
    if (naiveWorkingMinute(t) && --rem === 0) return t + MIN;
    t += MIN;
  }
}
function naiveBetween(a: number, b: number): number {
  let n = 0;
  for (let t = a; t < b; t += MIN) if (naiveWorkingMinute(t)) n++;
  return n * MIN;
}

const FROM = Date.parse("2025-12-20T00:00:00+08:00");
const TO = Date.parse("2026-12-31T00:00:00+08:00");
/** Any instant (millisecond precision) from late 2025 to the end of 2026. */
const anyInstant = fc.integer({ min: FROM, max: TO }).map((ms) => new Date(ms));
/** Minute-aligned instants, biased towards the holiday blocks. */
const minuteInstant = fc.oneof(
  fc.integer({ min: FROM / MIN, max: TO / MIN }).map((m) => new Date(m * MIN)),
  fc
    .constantFrom("2025-12-31", "2026-02-12", "2026-02-27", "2026-04-02", "2026-04-30", "2026-06-18", "2026-09-18", "2026-09-30")
    .chain((d) => fc.integer({ min: 0, max: 4 * 24 * 60 }).map((m) => new Date(Date.parse(`${d}T00:00:00+08:00`) + m * MIN))),
);
/** Working hours as whole minutes, up to 2,000 hours. */
const hours = fc.integer({ min: 1, max: 2000 * 60 }).map((m) => m / 60);
const smallMinutes = fc.integer({ min: 0, max: 40 * 60 });
const days = fc.integer({ min: 1, max: 300 });
const units: DurationUnit[] = ["working_hours", "calendar_hours", "working_days", "calendar_days"];
const anyDuration = fc.constantFrom(...units).chain((unit) =>
  (unit.endsWith("days") ? days : hours).map((amount): Duration => ({ amount, unit })),
);

function insideWorkingPeriodOrAtItsEnd(d: Date): boolean {
  const p = toLocalParts(d, CAL.timeZone);
  if (!isWorkingDay(CAL, p.date)) return false;
  return [
    [510, 720],
    [810, 1050],
  ].some(([s, e]) => p.msOfDay >= s * MIN && p.msOfDay <= e * MIN);
}

describe("addDuration properties", () => {
  it("matches a minute-by-minute model of the calendar", () => {
    fc.assert(
      fc.property(minuteInstant, smallMinutes, (s, m) => {
        const expected = naiveAdd(s.getTime(), m);
        expect(addDuration(CAL, s, wh(m / 60)).getTime()).toBe(expected);
        expect(addDuration(GMT8, s, wh(m / 60)).getTime()).toBe(expected);
      }),
      { numRuns: 150 },
    );
  });

  it("is monotonic in the amount", () => {
    fc.assert(
      fc.property(anyInstant, anyDuration, fc.integer({ min: 0, max: 100 }), (s, d, extra) => {
        const more = { ...d, amount: d.amount + extra };
        expect(addDuration(CAL, s, d).getTime()).toBeLessThanOrEqual(addDuration(CAL, s, more).getTime());
      }),
    );
  });

  it("is monotonic in the start", () => {
    fc.assert(
      fc.property(anyInstant, fc.integer({ min: 0, max: 30 * DAY }), anyDuration, (s, delta, d) => {
        const later = new Date(s.getTime() + delta);
        expect(addDuration(CAL, s, d).getTime()).toBeLessThanOrEqual(addDuration(CAL, later, d).getTime());
      }),
    );
  });

  it("always lands inside a working period or at its end for working units", () => {
    fc.assert(
      fc.property(anyInstant, fc.constantFrom<DurationUnit>("working_hours", "working_days"), fc.integer({ min: 1, max: 2000 }), (s, unit, n) => {
        const amount = unit === "working_days" ? Math.ceil(n / 8) : n / 7;
        expect(insideWorkingPeriodOrAtItsEnd(addDuration(CAL, s, { amount, unit }))).toBe(true);
      }),
    );
  });

  it("round-trips: the working time between a start and its deadline is the amount", () => {
    fc.assert(
      fc.property(anyInstant, hours, (s, h) => {
        expect(workingMsBetween(CAL, s, addDuration(CAL, s, wh(h)))).toBe(Math.round(h * HOUR));
      }),
    );
  });

  it("adding a and then b equals adding a+b", () => {
    fc.assert(
      fc.property(anyInstant, fc.constantFrom(...units), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), (s, unit, x, y) => {
        const days = unit.endsWith("days");
        const a = days ? Math.ceil(x / 5) : x / 4;
        const b = days ? Math.ceil(y / 5) : y / 4;
        const stepwise = addDuration(CAL, addDuration(CAL, s, { amount: a, unit }), { amount: b, unit });
        expect(stepwise.getTime()).toBe(addDuration(CAL, s, { amount: a + b, unit }).getTime());
      }),
    );
  });

  it("counts N working days as N × 7.5 working hours", () => {
    fc.assert(
      fc.property(anyInstant, days, (s, n) => {
        expect(addDuration(CAL, s, wd(n)).getTime()).toBe(addDuration(CAL, s, wh(n * 7.5)).getTime());
      }),
    );
  });

  it("gives the same results for Asia/Shanghai and the fixed-offset zone Etc/GMT-8", () => {
    fc.assert(
      fc.property(anyInstant, anyDuration, (s, d) => {
        expect(addDuration(GMT8, s, d).getTime()).toBe(addDuration(CAL, s, d).getTime());
      }),
    );
  });
});

describe("consistency across holiday boundaries", () => {
  it("any start inside the Spring Festival block behaves like a start on Feb 24 at 08:30", () => {
    const blockStart = at("2026-02-14 17:30").getTime();
    const blockEnd = at("2026-02-24 08:30").getTime();
    fc.assert(
      fc.property(fc.integer({ min: blockStart, max: blockEnd }), hours, (ms, h) => {
        expect(addDuration(CAL, new Date(ms), wh(h)).getTime()).toBe(addDuration(CAL, new Date(blockEnd), wh(h)).getTime());
        expect(workingMsBetween(CAL, new Date(blockStart), new Date(ms))).toBe(0);
      }),
    );
  });

  it("working time between instants adds up over any split point", () => {
    fc.assert(
      fc.property(anyInstant, anyInstant, anyInstant, (x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime());
        expect(workingMsBetween(CAL, a, b) + workingMsBetween(CAL, b, c)).toBe(workingMsBetween(CAL, a, c));
      }),
    );
  });

  it("matches a minute-by-minute count of working time", () => {
    fc.assert(
      fc.property(minuteInstant, fc.integer({ min: 0, max: 12 * 24 * 60 }), (a, m) => {
        const b = new Date(a.getTime() + m * MIN);
        expect(workingMsBetween(CAL, a, b)).toBe(naiveBetween(a.getTime(), b.getTime()));
      }),
      { numRuns: 60 },
    );
  });

  it("an extra holiday or a dropped make-up day never brings a deadline forward", () => {
    const anyDate = fc.integer({ min: 0, max: 364 }).map((i) => new Date(Date.parse("2026-01-01T00:00:00Z") + i * DAY).toISOString().slice(0, 10));
    fc.assert(
      fc.property(anyInstant, hours, anyDate, fc.constantFrom(...CAL.workdays), (s, h, extra, dropped) => {
        const base = addDuration(CAL, s, wh(h)).getTime();
        const moreHolidays: Calendar = { ...CAL, holidays: [...CAL.holidays, extra], workdays: CAL.workdays.filter((d) => d !== extra) };
        const fewerMakeups: Calendar = { ...CAL, workdays: CAL.workdays.filter((d) => d !== dropped) };
        expect(addDuration(moreHolidays, s, wh(h)).getTime()).toBeGreaterThanOrEqual(base);
        expect(addDuration(fewerMakeups, s, wh(h)).getTime()).toBeGreaterThanOrEqual(base);
      }),
    );
  });

  it("next working moment is idempotent and never earlier than the instant", () => {
    fc.assert(
      fc.property(anyInstant, (s) => {
        const n = nextWorkingMoment(CAL, s);
        expect(n.getTime()).toBeGreaterThanOrEqual(s.getTime());
        expect(nextWorkingMoment(CAL, n).getTime()).toBe(n.getTime());
        expect(isWorkingMoment(CAL, n)).toBe(true);
        expect(workingMsBetween(CAL, s, n)).toBe(0);
      }),
    );
  });
});
