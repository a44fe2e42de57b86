import { describe, it, expect } from "vitest";
import { DEFAULT_PATROL_RULE, heldForDay, judgePatrols, trackMeters } from "./patrol-rules.ts";

const at = (hhmm: string) => `2026-03-02T${hhmm}:00.000Z`;
const walk = (id: string, from: string, to: string | null, meters = 800) => ({ id, startedAt: at(from), endedAt: to ? at(to) : null, distanceMeters: meters });

describe("patrol rule", () => {
  it.each([
    ["two instant patrols", [walk("a", "01:00", "01:00"), walk("b", "01:01", "01:01")], [false, false]],
    ["a real round and one too soon after it", [walk("a", "01:00", "01:30"), walk("b", "02:00", "02:30")], [true, false]],
    ["two real rounds two hours apart", [walk("a", "01:00", "01:30"), walk("b", "03:30", "04:00")], [true, true]],
    ["a long stroll that goes nowhere", [walk("a", "01:00", "02:00", 120)], [false]],
    ["an open patrol", [walk("a", "01:00", null)], [false]],
    // the gap is measured from the last patrol that counted, not from a rejected one
    ["gap after a rejected patrol", [walk("a", "01:00", "01:30"), walk("b", "02:00", "02:05"), walk("c", "03:30", "04:00")], [true, false, true]],
  ])("%s", (_name, patrols, counts) => {
    expect(judgePatrols(patrols, DEFAULT_PATROL_RULE).map((v) => v.counts)).toEqual(counts);
  });

  it("measures legacy patrols from their track", () => {
    const points = [{ lng: 118.09, lat: 24.49 }, { lng: 118.095, lat: 24.49 }, { lng: 118.1, lat: 24.49 }];
    expect(trackMeters(points)).toBeGreaterThan(1000);
    expect(trackMeters(points)).toBeLessThan(1030);
    const [v] = judgePatrols([{ id: "a", startedAt: at("01:00"), endedAt: at("01:30"), points }], DEFAULT_PATROL_RULE);
    expect(v).toMatchObject({ counts: true, durationMinutes: 30 });
  });

  it("counts a day only if the grid was given early enough to meet the requirement", () => {
    const dayEnd = "2026-03-02T16:00:00.000Z"; // 24:00 in Shanghai
    expect(heldForDay(undefined, dayEnd, 2, DEFAULT_PATROL_RULE)).toBe(true);
    expect(heldForDay("2026-03-02T01:00:00.000Z", dayEnd, 2, DEFAULT_PATROL_RULE)).toBe(true);
    expect(heldForDay("2026-03-02T14:30:00.000Z", dayEnd, 2, DEFAULT_PATROL_RULE)).toBe(false); // 22:30: 160 minutes do not fit
    expect(heldForDay("2026-03-02T13:20:00.000Z", dayEnd, 2, DEFAULT_PATROL_RULE)).toBe(true); // 21:20: exactly fits
  });
});
