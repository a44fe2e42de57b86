import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ACCESS_LOG_FIELDS } from "../../../stacks/access-log.ts";
import { accessLogLine, lambdaPlatformLines, METADATA_BYTES_PER_EVENT, storedBytes } from "./log-lines.ts";

describe("the log lines AWS writes beside ours, rendered for the bill", () => {
  it("Lambda's START, END and REPORT lines of one invocation, in the text format", () => {
    const id = "6bd7e41c-3b4a-4d2e-8f0a-2f3d2c1b0a9e";
    expect(lambdaPlatformLines({ requestId: id, durationMs: 23.456, memoryMb: 512, maxMemoryUsedMb: 97.6 })).toEqual([
      `START RequestId: ${id} Version: $LATEST\n`,
      `END RequestId: ${id}\n`,
      `REPORT RequestId: ${id}\tDuration: 23.46 ms\tBilled Duration: 24 ms\tMemory Size: 512 MB\tMax Memory Used: 98 MB\t\n`,
    ]);
    expect(lambdaPlatformLines({ requestId: id, durationMs: 0.2, memoryMb: 512, maxMemoryUsedMb: 90, initMs: 180.123 })[2]).toContain("Billed Duration: 1 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB\tInit Duration: 180.12 ms\t");
  });

  it("the access line has the stack's fields, API Gateway's time format, and `-` where a variable is empty", () => {
    const line = accessLogLine({ requestId: "Ab1Cd2EfgAMEbQw=", time: new Date("2026-12-06T01:02:03Z"), ip: "203.0.113.100", method: "GET", path: "/v1/cases/01ABC", routeKey: "GET /v1/cases/{id}", status: 200, responseLength: 1834, latencyMs: 41.6, integrationLatencyMs: 38.2, userAgent: "ua" });
    const parsed = JSON.parse(line);
    expect(Object.keys(parsed)).toEqual(Object.keys(ACCESS_LOG_FIELDS));
    expect(parsed).toMatchObject({ time: "06/Dec/2026:01:02:03 +0000", routeKey: "GET /v1/cases/{id}", status: "200", responseLength: "1834", latencyMs: "42", integrationError: "-", error: "-", userAgent: "ua" });
    expect(line.endsWith("}\n")).toBe(true);
  });

  it("stored bytes: gzip level 6 of the events in blocks, plus 26 bytes each", () => {
    const events = Array.from({ length: 400 }, (_, i) => `{"level":"INFO","message":"request","route":"GET /v1/cases","status":200,"ms":${i % 50}}\n`);
    const raw = events.join("");
    const s = storedBytes(events, 1 << 20);
    expect(s.raw).toBe(Buffer.byteLength(raw));
    expect(s.stored).toBe(gzipSync(Buffer.from(raw), { level: 6 }).length + METADATA_BYTES_PER_EVENT * 400);
    expect(s.stored).toBeLessThan(s.raw / 2);
    // smaller blocks compress worse
    expect(storedBytes(events, 1024).stored).toBeGreaterThan(s.stored);
  });
});
