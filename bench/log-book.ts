import { randomBytes, randomUUID } from "node:crypto";
import { compileRoutes, matchRoute } from "../functions/match.ts";
import { routeKey, routes } from "../functions/routes.ts";
import { accessLogLine, bytes, lambdaPlatformLines, storedBytes } from "../core/ops/cost/log-lines.ts";
import { round } from "./harness.ts";
import type { CallSeen } from "./log-capture.ts";

/**
 * The capacity bench's log figures (docs/cost.md "Logs"): per operation, what its handlers logged
 * (measured: the lines core/log.ts wrote while the call and then its consumers ran) and, for the
 * stream as CloudWatch would get it, the lines AWS writes beside them, rendered with each call's own
 * values (core/ops/cost/log-lines.ts): Lambda's START/END/REPORT per invocation (an API call; each
 * consumed event, as the bill counts invocations; each scheduled run) and the HTTP API's access
 * line per call. `summary` gives what `npm run cost` reads, stored bytes measured on that stream.
 */

/** A browser's user agent (the console; ASSUMED for every call: the access line's longest value). */
const USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const compiled = compileRoutes(routes);

export function logBook(memoryMb: number) {
  const stream: string[] = [];
  const ops = new Map<string, { calls: number; ownBytes: number; ownEvents: number; events: number; consumerBytes: number; consumerEvents: number }>();
  let platformBytes = 0;
  let invocations = 0;
  let accessBytes = 0;
  let accessLines = 0;
  const sched = { runs: 0, bytes: 0, events: 0 };
  const maxMemory = () => Math.min(memoryMb, process.memoryUsage().rss / 2 ** 20);
  /** one invocation: START, the handler's own lines, END, REPORT */
  const invoke = (own: readonly string[], ms: number) => {
    const [start, end, report] = lambdaPlatformLines({ requestId: randomUUID(), durationMs: ms, memoryMb, maxMemoryUsedMb: maxMemory() });
    stream.push(start, ...own, end, report);
    platformBytes += bytes(start) + bytes(end) + bytes(report);
    invocations++;
  };
  const sum = (lines: readonly string[]) => lines.reduce((n, l) => n + bytes(l), 0);

  return {
    /** One operation: its API calls with the lines logged meanwhile, then its consumers' lines for `events` events over `consumerMs`. */
    note(op: string, calls: readonly CallSeen[], apiLines: readonly string[], consumerLines: readonly string[], events: number, consumerMs: number) {
      const o = ops.get(op) ?? { calls: 0, ownBytes: 0, ownEvents: 0, events: 0, consumerBytes: 0, consumerEvents: 0 };
      o.calls += calls.length;
      o.ownBytes += sum(apiLines);
      o.ownEvents += apiLines.length;
      o.events += events;
      o.consumerBytes += sum(consumerLines);
      o.consumerEvents += consumerLines.length;
      ops.set(op, o);
      calls.forEach((c, i) => {
        invoke(i === 0 ? apiLines : [], c.ms);
        const route = matchRoute(compiled, c.method, c.path)?.route;
        const line = accessLogLine({ requestId: randomBytes(12).toString("base64"), time: new Date(), ip: "203.0.113.100", method: c.method, path: c.path, routeKey: route ? routeKey(route) : "$default", status: c.status, responseLength: c.bytes, latencyMs: c.ms, integrationLatencyMs: c.ms, userAgent: USER_AGENT });
        stream.push(line);
        accessBytes += bytes(line);
        accessLines++;
      });
      for (let i = 0; i < events; i++) invoke(i === 0 ? consumerLines : [], consumerMs / events);
      if (!events && consumerLines.length) stream.push(...consumerLines);
    },
    /** One scheduled run (a sweep with nothing to do: every minute's). */
    schedule(lines: readonly string[], ms: number) {
      sched.runs++;
      sched.bytes += sum(lines);
      sched.events += lines.length;
      invoke(lines, ms);
    },
    /**
     * An operation's own log bytes and events: per API call (`logBytes`) and per consumed event; an operation
     * without API calls (a due timer) has its consumers' lines per event as its own.
     */
    perOp(op: string): { logBytes: number; logEvents: number; consumerLogBytesPerEvent: number; consumerLogEventsPerEvent: number } | Record<string, never> {
      const o = ops.get(op);
      if (!o) return {};
      if (!o.calls) return { logBytes: o.events ? round(o.consumerBytes / o.events, 1) : 0, logEvents: o.events ? round(o.consumerEvents / o.events, 2) : 0, consumerLogBytesPerEvent: 0, consumerLogEventsPerEvent: 0 };
      return {
        logBytes: round(o.ownBytes / o.calls, 1),
        logEvents: round(o.ownEvents / o.calls, 2),
        consumerLogBytesPerEvent: o.events ? round(o.consumerBytes / o.events, 1) : 0,
        consumerLogEventsPerEvent: o.events ? round(o.consumerEvents / o.events, 2) : 0,
      };
    },
    summary() {
      const stored = storedBytes(stream);
      return {
        platformBytesPerInvocation: round(platformBytes / invocations, 1),
        platformEventsPerInvocation: 3,
        accessLogBytesPerCall: round(accessBytes / accessLines, 1),
        scheduleRunLogBytes: sched.runs ? round(sched.bytes / sched.runs, 1) : 0,
        scheduleRunLogEvents: sched.runs ? round(sched.events / sched.runs, 2) : 0,
        storedPerRawByte: round(stored.stored / stored.raw, 4),
        sample: { events: stored.events, rawBytes: stored.raw, storedBytes: stored.stored, invocations, accessLines, userAgent: USER_AGENT },
      };
    },
  };
}

export type LogSummary = ReturnType<ReturnType<typeof logBook>["summary"]>;
