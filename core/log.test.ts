import { afterEach, describe, expect, it, vi } from "vitest";
import { Logger as Powertools } from "@aws-lambda-powertools/logger";
import { Logger } from "./log.ts";

/**
 * Our JSON logger (core/log.ts) against the Powertools Logger it replaces (a devDependency, for this
 * test only): the same calls through both, each line read back from stdout/stderr. Same fields, same
 * values (but the time and Powertools' `sampling_rate`, which we do not write), the same stream, the
 * same error serialisation (location, cause, own fields), the same level filtering from the
 * environment and setLogLevel, Lambda's level winning over both.
 */

interface Line {
  stream: "out" | "err";
  entry: Record<string, unknown>;
}

function capture(run: () => void): Line[] {
  const lines: Line[] = [];
  const grab = (stream: "out" | "err") => (chunk: unknown) => {
    for (const l of String(chunk).split("\n").filter(Boolean)) lines.push({ stream, entry: JSON.parse(l) as Record<string, unknown> });
    return true;
  };
  const spies = [vi.spyOn(process.stdout, "write").mockImplementation(grab("out") as never), vi.spyOn(process.stderr, "write").mockImplementation(grab("err") as never)];
  try {
    run();
  } finally {
    for (const s of spies) s.mockRestore();
  }
  return lines;
}

const ENV = ["POWERTOOLS_LOG_LEVEL", "LOG_LEVEL", "AWS_LAMBDA_LOG_LEVEL", "_X_AMZN_TRACE_ID", "POWERTOOLS_DEV"] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
afterEach(() => {
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});
const setEnv = (env: Partial<Record<(typeof ENV)[number], string>>) => {
  for (const k of ENV) delete process.env[k];
  Object.assign(process.env, env);
};

type AnyLogger = { debug(m: string, ...x: unknown[]): void; info(m: string, ...x: unknown[]): void; warn(m: string, ...x: unknown[]): void; error(m: string, ...x: unknown[]): void; setLogLevel(l: string): void };

/** The same calls through a fresh logger of each kind (created in the current environment). */
function both(calls: (l: AnyLogger) => void): { ours: Line[]; theirs: Line[] } {
  const ours = capture(() => calls(new Logger({ serviceName: "wangge" })));
  const theirs = capture(() => calls(new Powertools({ serviceName: "wangge" }) as unknown as AnyLogger));
  return { ours, theirs };
}

const comparable = (lines: Line[]) =>
  lines.map(({ stream, entry }) => {
    const { timestamp, sampling_rate: _s, ...rest } = entry;
    expect(String(timestamp)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    return { stream, entry: rest };
  });

class RefusedError extends Error {
  code = "E_REFUSED";
  status = 503;
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = "RefusedError";
  }
}

describe("the JSON logger against Powertools'", () => {
  it("writes the same lines: fields, extra keys, errors (location, cause, own fields), empty values left out, the trace id", () => {
    setEnv({ _X_AMZN_TRACE_ID: "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1" });
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    // the errors made once, so both loggers see the same stacks
    const typeError = new TypeError("x is not a function");
    const refused = new RefusedError("refused", new Error("socket hang up"));
    const refusedPlainCause = new RefusedError("refused", { reason: "quota" });
    const { ours, theirs } = both((l) => {
      l.info("request", { requestId: "r-1", route: "GET /v1/cases", status: 200, ms: 12, caller: { kind: "user", id: "u1" } });
      l.warn("storage unavailable after retries", { requestId: "r-2", error: "ProvisionedThroughputExceededException" });
      l.error("unhandled error", { requestId: "r-3", error: typeError });
      l.error("job failed", refused);
      l.error("cause not an error", { error: refusedPlainCause });
      l.info("empty values", { a: undefined, b: null, c: "", d: 0, e: false, f: [], g: {} });
      l.info("kinds", { at: new Date(Date.UTC(2026, 11, 5, 3, 4, 5)), n: 10n, list: [1, "两", { x: null }], cyclic });
      l.info("a string extra", "just text");
      l.info("reserved keys", { level: "X", message: "other", service: "other", timestamp: "then", xray_trace_id: "t", kept: 1 });
      l.info("网格 ✓ \"quoted\"\nnext line");
    });
    // Powertools warns once per reserved key it drops; we drop them without a word
    const warned = theirs.filter((l) => String(l.entry.message).includes("is a reserved key"));
    expect(warned).toHaveLength(4); // level, message, service, timestamp (xray_trace_id is not reserved: the entry's wins)
    expect(comparable(ours)).toEqual(comparable(theirs.filter((l) => !warned.includes(l))));
    expect(ours).toHaveLength(10);
    // spelled out, so the comparison is not of two equal mistakes
    const err = ours[2].entry.error as Record<string, unknown>;
    expect(Object.keys(ours[2].entry)).toEqual(["level", "message", "timestamp", "service", "xray_trace_id", "requestId", "error"]);
    expect([ours[2].stream, ours[2].entry.level, ours[2].entry.xray_trace_id]).toEqual(["err", "ERROR", "1-5759e988-bd862e3fe1be46a994272793"]);
    // location: the first stack frame written "(file:line:col)", as Powertools finds it
    const frame = /\(([^()]*?):(\d+?):\d+?\)$/m.exec(String(typeError.stack))!;
    expect([err.name, err.message, err.location]).toEqual(["TypeError", "x is not a function", `${frame[1]}:${frame[2]}`]);
    expect(String(err.stack)).toMatch(/^TypeError: x is not a function\n\s+at /);
    expect(ours[3].entry.error).toMatchObject({ name: "RefusedError", code: "E_REFUSED", status: 503, cause: { name: "Error", message: "socket hang up" } });
    expect(ours[0]).toMatchObject({ stream: "out", entry: { level: "INFO", service: "wangge", caller: { kind: "user", id: "u1" } } });
  });

  it("filters by level as Powertools does: INFO by default, POWERTOOLS_LOG_LEVEL / LOG_LEVEL, setLogLevel, and Lambda's AWS_LAMBDA_LOG_LEVEL over all of them", () => {
    const levels = (l: AnyLogger) => {
      l.debug("d");
      l.info("i");
      l.warn("w");
      l.error("e");
    };
    const seen = (lines: Line[]) => lines.map((l) => `${l.stream}:${String(l.entry.level)}`);
    const cases: Array<[string, Partial<Record<(typeof ENV)[number], string>>, string | undefined, string[]]> = [
      ["default", {}, undefined, ["out:INFO", "err:WARN", "err:ERROR"]],
      ["POWERTOOLS_LOG_LEVEL=WARN", { POWERTOOLS_LOG_LEVEL: "WARN" }, undefined, ["err:WARN", "err:ERROR"]],
      ["POWERTOOLS_LOG_LEVEL=debug (lower case is no level: INFO)", { POWERTOOLS_LOG_LEVEL: "debug" }, undefined, ["out:INFO", "err:WARN", "err:ERROR"]],
      ["LOG_LEVEL=ERROR", { LOG_LEVEL: "ERROR" }, undefined, ["err:ERROR"]],
      ["POWERTOOLS_LOG_LEVEL before LOG_LEVEL", { POWERTOOLS_LOG_LEVEL: "DEBUG", LOG_LEVEL: "ERROR" }, undefined, ["out:DEBUG", "out:INFO", "err:WARN", "err:ERROR"]],
      ["an unknown level: INFO", { POWERTOOLS_LOG_LEVEL: "LOUD" }, undefined, ["out:INFO", "err:WARN", "err:ERROR"]],
      ["setLogLevel(DEBUG)", { POWERTOOLS_LOG_LEVEL: "ERROR" }, "DEBUG", ["out:DEBUG", "out:INFO", "err:WARN", "err:ERROR"]],
      ["SILENT", { POWERTOOLS_LOG_LEVEL: "SILENT" }, undefined, []],
      ["Lambda's level", { AWS_LAMBDA_LOG_LEVEL: "WARN", POWERTOOLS_LOG_LEVEL: "DEBUG" }, undefined, ["err:WARN", "err:ERROR"]],
      ["Lambda's level, setLogLevel ignored", { AWS_LAMBDA_LOG_LEVEL: "ERROR" }, "DEBUG", ["err:ERROR"]],
      ["Lambda's FATAL", { AWS_LAMBDA_LOG_LEVEL: "FATAL" }, undefined, []],
    ];
    for (const [label, env, set, expected] of cases) {
      setEnv(env);
      const { ours, theirs } = both((l) => {
        if (set) l.setLogLevel(set);
        levels(l);
      });
      // Powertools warns that Lambda's level is above the one asked for (a WARN of its own): not ours
      const theirsShown = theirs.filter((l) => !String(l.entry.message).includes("Advanced Logging Controls"));
      expect(seen(ours), label).toEqual(expected);
      expect(seen(ours), label).toEqual(seen(theirsShown));
    }
    setEnv({});
    expect(() => new Logger({ serviceName: "wangge" }).setLogLevel("LOUD")).toThrow("Invalid log level: LOUD");
    expect(() => new Powertools({ serviceName: "wangge" }).setLogLevel("LOUD" as never)).toThrow("Invalid log level: LOUD");
  });
});
