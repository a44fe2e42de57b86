import { describe, it, expect } from "vitest";
import { formatOf, render, splitFile, toXml, w3cTime } from "./format.ts";
import { EVENT_LABEL, STATE_LABEL, open311Status } from "./labels.ts";
import { CaseState, EventType } from "../case/schema.ts";
import { attributesOf, queryWindow } from "./service.ts";

describe("Open311 formats", () => {
  it("writes instants with the county's offset (+08:00 for Asia/Shanghai) and Z for UTC", () => {
    expect(w3cTime("2026-03-01T01:30:00.000Z", "Asia/Shanghai")).toBe("2026-03-01T09:30:00+08:00");
    expect(w3cTime("2026-03-01T20:00:00.123Z", "Asia/Shanghai")).toBe("2026-03-02T04:00:00+08:00");
    expect(w3cTime("2026-07-01T12:00:00Z", "America/New_York")).toBe("2026-07-01T08:00:00-04:00");
    expect(w3cTime("2026-03-01T01:30:00Z", "UTC")).toBe("2026-03-01T01:30:00Z");
    expect(w3cTime(undefined, "UTC")).toBeNull();
  });

  it("reads the format from the resource name and splits ids that contain dots", () => {
    expect(formatOf("/open311/v2/services.json")).toBe("json");
    expect(formatOf("/open311/v2/services.XML")).toBe("xml");
    expect(splitFile("0101.json")).toEqual({ id: "0101", format: "json" });
    expect(splitFile("CG.01.xml")).toEqual({ id: "CG.01", format: "xml" });
    expect(splitFile("0101.html")).toBeUndefined();
    expect(splitFile(".json")).toBeUndefined();
  });

  it("writes XML like the spec's examples: declaration, list root, singular items, escaped text, empty nulls", () => {
    const xml = toXml("service_requests", [{ service_request_id: "01H", status_notes: null, description: "a < b & \"c\"", attributes: [{ code: "x", values: [{ key: "1", name: "一" }] }] }]);
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<service_requests>\n  <request>\n')).toBe(true);
    expect(xml).toContain("<status_notes></status_notes>");
    expect(xml).toContain("<description>a &lt; b &amp; &quot;c&quot;</description>");
    expect(xml).toContain("<attributes>\n      <attribute>");
    expect(xml).toContain("<values>\n          <value>\n            <key>1</key>");
    expect(toXml("errors", [{ code: 403, description: "no key" }])).toContain("<errors>\n  <error>\n    <code>403</code>");
    expect(render("json", "services", [{ a: 1 }])).toBe('[{"a":1}]');
  });

  it("drops characters XML cannot carry", () => {
    expect(toXml("x", "a\u0001b")).toContain("<x>ab</x>");
  });
});

describe("Open311 mapping", () => {
  it("names every case state and every timeline event, and closes exactly the terminal states", () => {
    for (const s of CaseState.options) expect(STATE_LABEL[s]).toBeTruthy();
    for (const e of EventType.options) expect(EVENT_LABEL[e]).toBeTruthy();
    expect(CaseState.options.filter((s) => open311Status(s) === "closed")).toEqual(["closed", "rejected"]);
  });

  it("reads attribute[code] and attribute[code][] form fields", () => {
    expect(attributesOf({ "attribute[grid_code]": " 350206001001001 ", "attribute[urgent][]": "true", api_key: "x", "attribute[bad code]": "y" })).toEqual({ grid_code: "350206001001001", urgent: "true" });
  });

  it("defaults the query window to the last 90 days and refuses longer or inverted ranges", () => {
    const now = new Date("2026-05-01T00:00:00Z");
    const w = queryWindow(undefined, undefined, now);
    expect(w.to).toEqual(now);
    expect(now.getTime() - w.from.getTime()).toBe(90 * 86_400_000);
    const fromStart = queryWindow("2026-04-01T00:00:00Z", undefined, now);
    expect(fromStart.to).toEqual(now);
    const fromEnd = queryWindow(undefined, "2026-03-01T00:00:00+08:00", now);
    expect(fromEnd.to.toISOString()).toBe("2026-02-28T16:00:00.000Z");
    expect(() => queryWindow("2026-01-01T00:00:00Z", "2026-04-15T00:00:00Z", now)).toThrow(/90 days/);
    expect(() => queryWindow("2026-04-02T00:00:00Z", "2026-04-01T00:00:00Z", now)).toThrow(/after/);
  });
});
