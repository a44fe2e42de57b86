import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  addDaysToDate,
  FIXED_ZONES,
  isLocalDate,
  isValidTimeZone,
  localDateOf,
  minutesOfTime,
  toLocalParts,
  weekdayOfDate,
  zonedDate,
  zonedSecondOfDay,
  zonedTimeToUtc,
} from "./time.ts";

describe("county-local time", () => {
  it("reads the local date, time, weekday and offset of an instant", () => {
    expect(toLocalParts(new Date("2026-03-08T17:05:30.250Z"), "Asia/Shanghai")).toEqual({
      date: "2026-03-09",
      time: "01:05",
      minuteOfDay: 65,
      msOfDay: 65 * 60_000 + 30_250,
      weekday: 1,
      offsetMinutes: 480,
    });
    expect(localDateOf(new Date("2026-03-08T15:59:59.999Z"), "Asia/Shanghai")).toBe("2026-03-08");
    expect(toLocalParts(new Date("2026-03-08T12:00:00Z"), "America/New_York").offsetMinutes).toBe(-240);
  });

  it("converts a local date and time to the instant", () => {
    expect(zonedTimeToUtc("2026-02-14", "08:30", "Asia/Shanghai").toISOString()).toBe("2026-02-14T00:30:00.000Z");
    expect(zonedTimeToUtc("2026-02-14", "24:00", "Asia/Shanghai").toISOString()).toBe("2026-02-14T16:00:00.000Z");
    expect(zonedTimeToUtc("2026-07-01", "12:00", "Europe/London").toISOString()).toBe("2026-07-01T11:00:00.000Z");
  });

  it("maps a time in a DST gap to the end of the gap and an ambiguous time to the earlier instant", () => {
    expect(zonedTimeToUtc("2026-03-08", "02:30", "America/New_York").toISOString()).toBe("2026-03-08T07:00:00.000Z");
    expect(zonedTimeToUtc("2026-11-01", "01:30", "America/New_York").toISOString()).toBe("2026-11-01T05:30:00.000Z");
    expect(zonedTimeToUtc("2026-03-29", "02:30", "Europe/Berlin").toISOString()).toBe("2026-03-29T01:00:00.000Z");
  });

  it("round-trips local parts and instants in zones with and without DST", () => {
    const zones = ["Asia/Shanghai", "Etc/GMT-8", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "UTC"];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.parse("2020-01-01"), max: Date.parse("2030-01-01") }), (tz, ms) => {
        const minute = Math.floor(ms / 60_000) * 60_000;
        const p = toLocalParts(new Date(minute), tz);
        const back = zonedTimeToUtc(p.date, p.time, tz).getTime();
        // Exact, except for the repeated hour of a fall-back, which maps to its earlier instant.
        expect(back === minute || (back < minute && toLocalParts(new Date(back), tz).time === p.time)).toBe(true);
      }),
    );
  });

  it("is monotonic in the local time", () => {
    fc.assert(
      fc.property(fc.constantFrom("America/New_York", "Europe/Berlin", "Australia/Lord_Howe"), fc.integer({ min: 0, max: 3 * 365 * 1440 }), fc.integer({ min: 0, max: 600 }), (tz, m, d) => {
        const local = (x: number) => {
          const date = new Date(Date.parse("2025-01-01T00:00:00Z") + Math.floor(x / 1440) * 86_400_000).toISOString().slice(0, 10);
          const t = x % 1440;
          return zonedTimeToUtc(date, `${String(Math.floor(t / 60)).padStart(2, "0")}:${String(t % 60).padStart(2, "0")}`, tz).getTime();
        };
        expect(local(m)).toBeLessThanOrEqual(local(m + d));
      }),
    );
  });

  it("validates dates, times and zones", () => {
    expect(isLocalDate("2026-02-28")).toBe(true);
    expect(isLocalDate("2026-02-29")).toBe(false);
    expect(isLocalDate("2028-02-29")).toBe(true);
    expect(isLocalDate("2026-2-1")).toBe(false);
    expect(isValidTimeZone("Asia/Shanghai")).toBe(true);
    expect(isValidTimeZone("Etc/GMT-8")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(isValidTimeZone("+08:00")).toBe(false);
    expect(minutesOfTime("08:30")).toBe(510);
    expect(minutesOfTime("24:00")).toBe(1440);
    expect(() => minutesOfTime("24:30")).toThrow(/Invalid time/);
    expect(() => zonedTimeToUtc("2026-13-01", "08:00", "Asia/Shanghai")).toThrow(/Invalid date/);
    expect(() => zonedTimeToUtc("2026-01-01", "08:00", "Mars/Olympus")).toThrow(/Unknown time zone/);
  });

  it("computes weekdays and date offsets without a zone", () => {
    expect(weekdayOfDate("2026-02-14")).toBe(6);
    expect(weekdayOfDate("2026-01-04")).toBe(7);
    expect(weekdayOfDate("1969-12-29")).toBe(1);
    expect(addDaysToDate("2026-02-27", 2)).toBe("2026-03-01");
    expect(addDaysToDate("2026-01-01", -1)).toBe("2025-12-31");
  });
});

/** The offset as the runtime's own zone data gives it, with a formatter of the test's own (not time.ts's). */
function intlOffset(timeZone: string, ms: number): number {
  const f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]));
  const sec = Math.floor(ms / 1000) * 1000;
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - sec;
}

describe("zones with a fixed offset, without Intl (a cold start's first formatter is 20–40 ms)", () => {
  const until2100 = Date.UTC(2100, 0, 1);

  it("has, for each fixed zone, the offset Intl gives from its `since` to 2100 (every 169 hours: every hour of the day and weekday)", () => {
    for (const [zone, { since, offsetMs }] of Object.entries(FIXED_ZONES)) {
      const f = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
      const start = Math.max(since, Date.UTC(1900, 0, 1));
      let wrong: string | undefined;
      for (let t = start; t < until2100 && !wrong; t += 169 * 3_600_000) {
        const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
        if (Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - t !== offsetMs) wrong = `${zone} at ${new Date(t).toISOString()}`;
      }
      expect(wrong).toBeUndefined();
      expect(toLocalParts(new Date(start), zone).offsetMinutes * 60_000).toBe(offsetMs);
    }
  });

  it("starts each China zone's fixed offset at its last transition: a second earlier Intl gives another offset", () => {
    for (const zone of ["Asia/Shanghai", "Asia/Urumqi"]) {
      const { since, offsetMs } = FIXED_ZONES[zone];
      expect(intlOffset(zone, since)).toBe(offsetMs);
      expect(intlOffset(zone, since - 1000)).not.toBe(offsetMs);
      // before `since` the answer is Intl's, not the fixed one
      expect(toLocalParts(new Date(since - 1000), zone).offsetMinutes * 60_000).toBe(intlOffset(zone, since - 1000));
    }
  });

  it("gives the county date, month and second of day as the Intl formatters did, in fixed zones and zones with DST", () => {
    const zones = ["Asia/Shanghai", "Asia/Urumqi", "Etc/GMT-8", "UTC", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham", "Europe/Berlin"];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(1900, 0, 1), max: until2100 }), fc.constantFrom("date", "iso", "ms"), (tz, ms, form) => {
        const at = form === "date" ? new Date(ms) : form === "iso" ? new Date(ms).toISOString() : ms;
        const day = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(at));
        const month = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit" }).formatToParts(new Date(at));
        const [h, m, s] = new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).format(new Date(at)).split(":").map(Number);
        expect(zonedDate(at, tz)).toBe(day);
        expect(zonedDate(at, tz).slice(0, 7)).toBe(`${month.find((p) => p.type === "year")!.value}-${month.find((p) => p.type === "month")!.value}`);
        expect(zonedDate(at, tz).slice(0, 4)).toBe(new Intl.DateTimeFormat("en", { timeZone: tz, year: "numeric" }).format(new Date(at)));
        expect(zonedSecondOfDay(at, tz)).toBe(h * 3600 + m * 60 + s);
      }),
      { numRuns: 500 },
    );
    // the edges of a county day
    expect(zonedDate("2026-03-31T15:59:59.999Z", "Asia/Shanghai")).toBe("2026-03-31");
    expect(zonedDate("2026-03-31T16:00:00.000Z", "Asia/Shanghai")).toBe("2026-04-01");
    expect(zonedSecondOfDay("2026-03-31T15:59:59.999Z", "Asia/Shanghai")).toBe(86_399);
  });

  it("throws Intl's RangeError for an unknown zone or an invalid instant", () => {
    expect(() => zonedDate(new Date(), "Mars/Olympus")).toThrow(RangeError);
    expect(() => zonedDate("not a date", "Asia/Shanghai")).toThrow(RangeError);
    expect(() => zonedDate("not a date", "America/New_York")).toThrow(RangeError);
    expect(() => zonedSecondOfDay(new Date(NaN), "Asia/Shanghai")).toThrow(RangeError);
    expect(isValidTimeZone("Asia/Shanghai")).toBe(true);
    expect(isValidTimeZone("hasOwnProperty")).toBe(false);
  });
});
