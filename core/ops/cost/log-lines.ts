import { gzipSync } from "node:zlib";
import { ACCESS_LOG_FIELDS } from "../../../stacks/access-log.ts";

/**
 * What a county's logs weigh in CloudWatch (docs/cost.md "Logs"). Our own lines are measured (the
 * capacity bench captures what the handlers write); the lines AWS writes beside them are rendered
 * here in AWS's formats with a request's own values:
 * - Lambda's START, END and REPORT lines around every invocation (the text log format: the stacks
 *   set a log group, not `logFormat`, stacks/hardening.ts);
 * - the HTTP API's access log line, the JSON of stacks/access-log.ts with API Gateway's values.
 * What CloudWatch keeps: archived (stored) data is billed compressed (gzip level 6) plus 26 bytes of
 * metadata per log event; `storedBytes` measures that on the lines themselves.
 */

/** Bytes CloudWatch adds to every log event (PutLogEvents' per-event size; archived data carries the same). */
export const METADATA_BYTES_PER_EVENT = 26;

export const bytes = (s: string): number => Buffer.byteLength(s, "utf8");

/** The three lines Lambda writes around one invocation (text format), each one log event. */
export function lambdaPlatformLines(o: { requestId: string; durationMs: number; memoryMb: number; maxMemoryUsedMb: number; initMs?: number }): string[] {
  const id = o.requestId;
  const init = o.initMs === undefined ? "" : `Init Duration: ${o.initMs.toFixed(2)} ms\t`;
  return [
    `START RequestId: ${id} Version: $LATEST\n`,
    `END RequestId: ${id}\n`,
    `REPORT RequestId: ${id}\tDuration: ${o.durationMs.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(o.durationMs))} ms\tMemory Size: ${o.memoryMb} MB\tMax Memory Used: ${Math.round(o.maxMemoryUsedMb)} MB\t${init}\n`,
  ];
}

/** API Gateway's `$context.requestTime`: `06/Dec/2026:01:23:45 +0000`. */
function requestTime(d: Date): string {
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export interface AccessValues {
  /** API Gateway's request id (16 characters, e.g. `Ab1Cd2EfgAMEbQw=`) */
  requestId: string;
  time: Date;
  ip: string;
  method: string;
  path: string;
  routeKey: string;
  status: number;
  responseLength: number;
  latencyMs: number;
  integrationLatencyMs: number;
  userAgent: string;
}

/** The HTTP API's access log line for one request (stacks/access-log.ts; an empty variable is `-`, as API Gateway writes it). */
export function accessLogLine(v: AccessValues): string {
  const values: Record<string, string> = {
    "$context.requestId": v.requestId,
    "$context.requestTime": requestTime(v.time),
    "$context.identity.sourceIp": v.ip,
    "$context.httpMethod": v.method,
    "$context.path": v.path,
    "$context.routeKey": v.routeKey,
    "$context.status": String(v.status),
    "$context.protocol": "HTTP/1.1",
    "$context.responseLength": String(v.responseLength),
    "$context.responseLatency": String(Math.round(v.latencyMs)),
    "$context.integrationLatency": String(Math.round(v.integrationLatencyMs)),
    "$context.integrationStatus": String(v.status),
    "$context.identity.userAgent": v.userAgent,
  };
  const line: Record<string, string> = {};
  for (const [k, variable] of Object.entries(ACCESS_LOG_FIELDS)) line[k] = values[variable] ?? "-";
  return `${JSON.stringify(line)}\n`;
}

/**
 * What CloudWatch bills as stored for these log events: gzip level 6 of their bytes, compressed in
 * blocks of `blockBytes` in the order written (CloudWatch does not publish its blocks; a smaller
 * block compresses worse), plus 26 bytes of metadata per event.
 */
export function storedBytes(events: readonly string[], blockBytes = 64 * 1024): { raw: number; stored: number; events: number } {
  let raw = 0;
  let stored = 0;
  let block: string[] = [];
  let blockSize = 0;
  const flush = () => {
    if (!block.length) return;
    stored += gzipSync(Buffer.from(block.join(""), "utf8"), { level: 6 }).length;
    block = [];
    blockSize = 0;
  };
  for (const e of events) {
    const n = bytes(e);
    raw += n;
    if (blockSize + n > blockBytes) flush();
    block.push(e);
    blockSize += n;
  }
  flush();
  return { raw, stored: stored + METADATA_BYTES_PER_EVENT * events.length, events: events.length };
}
