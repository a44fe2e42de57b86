import { describe, it, expect, beforeAll } from "vitest";
import fc from "fast-check";
import { writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { z } from "zod";
import { routes, routeKey, type Route } from "../../functions/routes.ts";
import { rolePermissions } from "../../core/auth/roles.ts";
import { apiUrl, call } from "../client.ts";
import { tokenFor } from "../fixtures.ts";
import { ownStack } from "../own-stack.ts";
import {
  MALFORMED_JSON,
  NASTY_IDS,
  NASTY_KEYS,
  NASTY_QUERIES,
  WRONG_CONTENT_TYPES,
  deepJson,
  nastyObject,
  oversizedBody,
  seedOf,
  wrongTypeBody,
} from "./nasty.ts";

/**
 * Fuzz every route of the route table (read at run time, so routes added later are covered) as
 * the county admin (broadest permissions) and anonymously, with hostile input. Every answer must
 * be a 4xx error in the API's error model — 2xx only on GET routes, where the input may happen to
 * be valid — never a 5xx, never a stack trace, and the data must be unchanged afterwards.
 * Runs on its own stack so other test files' writes cannot disturb the before/after comparison.
 * More inputs: WANGGE_FUZZ_RUNS=100 npx vitest run test/reliability/fuzz.test.ts
 */
const RUNS = Number(process.env.WANGGE_FUZZ_RUNS ?? 8);

const stack = ownStack();

interface Input {
  label: string;
  path: string;
  query?: Record<string, string>;
  body?: string;
  contentType?: string;
}

type RouteDocLike = { body?: z.ZodType; bodyTypes?: Record<string, unknown>; errors?: "platform" | "open311"; bodyOptional?: boolean };
let docFor: (key: string) => RouteDocLike | undefined = () => undefined;

const mutating = (r: Route) => r.method !== "GET";
const open311 = (r: Route) => r.path.startsWith("/open311/") || docFor(routeKey(r))?.errors === "open311";
const paramsOf = (path: string) => [...path.matchAll(/\{([A-Za-z0-9_]+)(\+?)\}/g)].map((m) => ({ name: m[1], greedy: m[2] === "+" }));

function fill(path: string, pick: (name: string, greedy: boolean) => string): string {
  return path.replace(/\{([A-Za-z0-9_]+)(\+?)\}/g, (_m, name: string, plus: string) => pick(name, plus === "+"));
}

const encodeParam = (v: string, greedy: boolean) => (greedy ? v.split("/").map(safeEncode).join("/") : safeEncode(v));
function safeEncode(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return v.replace(/[^\w.~-]/g, "_"); // lone surrogates cannot be percent-encoded as UTF-8
  }
}

/**
 * A body that the route's documented schema refuses, when the API reference knows the schema
 * (core/openapi/registry.ts): fuzzed objects that happen to be valid are not used on mutating
 * routes. Routes without a documented schema get only bodies no object schema accepts.
 */
function invalidForRoute(r: Route, candidate: string): boolean {
  const doc = docFor(routeKey(r));
  let value: unknown;
  try {
    value = JSON.parse(candidate);
  } catch {
    return true;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    // top-level arrays: only routes documenting an array body could accept them
    return !(Array.isArray(value) && doc?.body && (doc.body as z.ZodType).safeParse(value).success);
  }
  const schema = doc?.body as z.ZodType | undefined;
  if (!schema) return false;
  if (doc?.bodyTypes) return false; // several body types (files): only structural garbage
  return !schema.safeParse(value).success;
}

/** The inputs for one route: hand-made nasties (rotated by route so each appears on many routes) plus generated ones. */
function inputsFor(r: Route, index: number): Input[] {
  const seed = seedOf(routeKey(r));
  const params = paramsOf(r.path);
  const pathWith = (i: number) => fill(r.path, (name, greedy) => encodeParam(greedy ? NASTY_KEYS[(i + index) % NASTY_KEYS.length] : NASTY_IDS[(i * 7 + index + name.length) % NASTY_IDS.length], greedy));
  const out: Input[] = [];
  const baseline = fill(r.path, (_n, greedy) => (greedy ? "uploads/zz/none.jpg" : "zz-no-such-id"));
  for (let i = 0; i < Math.max(3, params.length * 3); i++) out.push({ label: `nasty path #${i}`, path: pathWith(i) });
  for (let i = 0; i < 3; i++) out.push({ label: `nasty query #${i}`, path: baseline, query: NASTY_QUERIES[(index * 3 + i) % NASTY_QUERIES.length] });
  const queries = fc.sample(fc.dictionary(fc.oneof(fc.constantFrom("limit", "cursor", "state", "from", "to", "q", "unitId", "month", "format", "scale", "api_key", "__proto__"), fc.string({ maxLength: 8 })), fc.string({ unit: "binary", maxLength: 60 }), { maxKeys: 4 }), { numRuns: RUNS, seed });
  queries.forEach((query, i) => out.push({ label: `generated query #${i}`, path: i % 2 ? baseline : pathWith(i + 11), query }));
  if (mutating(r)) {
    out.push({ label: "body over the limit", path: baseline, body: oversizedBody(r), contentType: "application/json" });
    out.push({ label: "malformed JSON", path: baseline, body: MALFORMED_JSON[index % MALFORMED_JSON.length], contentType: "application/json" });
    out.push({ label: "malformed JSON (2)", path: baseline, body: MALFORMED_JSON[(index + 5) % MALFORMED_JSON.length], contentType: "application/json; charset=utf-8" });
    out.push({ label: "wrong content type", path: baseline, body: '{"name":"x"}', contentType: WRONG_CONTENT_TYPES[index % WRONG_CONTENT_TYPES.length] });
    out.push({ label: "deep array nesting", path: baseline, body: deepJson(5000, "array"), contentType: "application/json" });
    const deep = deepJson(200, "object");
    if (invalidForRoute(r, deep)) out.push({ label: "deep object nesting", path: baseline, body: deep, contentType: "application/json" });
    for (const [i, body] of fc.sample(wrongTypeBody, { numRuns: RUNS, seed }).entries()) {
      if (invalidForRoute(r, body)) out.push({ label: `wrong-type body #${i}`, path: i % 2 ? baseline : pathWith(i), body, contentType: "application/json" });
    }
    for (const [i, obj] of fc.sample(nastyObject, { numRuns: RUNS * 2, seed: seed + 1 }).entries()) {
      const body = JSON.stringify(obj);
      if (invalidForRoute(r, body)) out.push({ label: `nasty object #${i}`, path: i % 2 ? baseline : pathWith(i + 3), body, contentType: "application/json" });
    }
  }
  return out;
}

async function send(r: Route, input: Input, token: string | undefined) {
  const qs = input.query ? new URLSearchParams(input.query).toString() : "";
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (input.contentType) headers["content-type"] = input.contentType;
  const res = await fetch(`${apiUrl()}${input.path}${qs ? `?${qs}` : ""}`, { method: r.method, headers, body: input.body });
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text(), retryAfter: res.headers.get("retry-after") };
}

const STACK_FRAME = /\n\s+at \S|\bat [\w$.<>]+ \([^)]*:\d+:\d+\)|file:\/\/\/|\/work\/|node_modules/;

/** What is wrong with an answer, or undefined. */
/** What a body over the limit gets: authentication and the route's permission are checked before the body is read (functions/http.ts). */
function oversizedStatus(r: Route, caller: Caller): number {
  if (r.permission === "public" || r.permission === "authenticated") return caller === "anonymous" && r.permission !== "public" ? 401 : 413;
  if (caller === "anonymous") return 401;
  return (rolePermissions.county_admin as readonly string[]).includes(r.permission) ? 413 : 403;
}

function problemWith(r: Route, input: Input, res: Awaited<ReturnType<typeof send>>, caller: Caller): string | undefined {
  if (res.status >= 500) return `${res.status} ${res.text.slice(0, 300)}`;
  if (STACK_FRAME.test(res.text)) return `stack trace or internal path in body: ${res.text.slice(0, 300)}`;
  // a route whose body is optional (resident logout: the cookie, or nothing left to sign out) is valid without one:
  // path and query variations of a body-less request are not invalid input there
  const validWithoutBody = input.body === undefined && docFor(routeKey(r))?.bodyOptional === true;
  if (res.status < 300 && res.status >= 200) return mutating(r) && !validWithoutBody ? `2xx (${res.status}) on a mutating route with invalid input` : undefined;
  if (res.status === 303 || res.status === 304) return r.method === "GET" ? undefined : `${res.status} on ${r.method}`;
  if (res.status < 400) return `unexpected status ${res.status}`;
  if (input.label === "body over the limit" && res.status !== oversizedStatus(r, caller)) return `expected ${oversizedStatus(r, caller)} for a body over the limit, got ${res.status}`;
  if (open311(r)) {
    if (res.type.includes("xml")) return /<errors>[\s\S]*<code>\d+<\/code>/.test(res.text) ? undefined : `Open311 XML error expected: ${res.text.slice(0, 200)}`;
    try {
      const body = JSON.parse(res.text);
      if (Array.isArray(body) && body.every((e) => typeof e.code === "number" && typeof e.description === "string")) return undefined;
      if (typeof body?.error?.code === "string") return undefined;
    } catch {
      /* fall through */
    }
    return `Open311 error expected: ${res.text.slice(0, 200)}`;
  }
  if (!res.type.startsWith("application/json")) return `error is not JSON (${res.type}): ${res.text.slice(0, 200)}`;
  let body: any;
  try {
    body = JSON.parse(res.text);
  } catch {
    return `error body does not parse: ${res.text.slice(0, 200)}`;
  }
  if (typeof body?.error?.code !== "string" || typeof body.error.message !== "string" || !("details" in body.error)) return `not the error model: ${res.text.slice(0, 200)}`;
  if ((res.status === 429 || res.status === 503) && !res.retryAfter) return `${res.status} without Retry-After`;
  return undefined;
}

/** What the fuzzing must not change: the unit tree, the audit trail, configuration lists. */
async function snapshot(token: string) {
  const pageAll = async (path: string) => {
    const items: unknown[] = [];
    let cursor: string | null | undefined;
    for (let i = 0; i < 200; i++) {
      const r = await call("GET", `${path}${path.includes("?") ? "&" : "?"}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { token });
      if (r.status !== 200) return { status: r.status };
      items.push(...(r.body.items ?? []));
      cursor = r.body.nextCursor;
      if (!cursor) break;
    }
    return items;
  };
  const keys = new Set(routes.map(routeKey));
  const out: Record<string, unknown> = {
    units: (await call("GET", "/v1/units?limit=200", { token })).body,
    auditCount: ((await pageAll("/v1/audit")) as unknown[]).length,
  };
  for (const path of ["/v1/users", "/v1/departments", "/v1/categories", "/v1/api-keys", "/v1/webhooks", "/v1/jobs"]) {
    if (keys.has(`GET ${path}`)) out[path] = await pageAll(path);
  }
  for (const path of ["/v1/settings", "/v1/calendar"]) if (keys.has(`GET ${path}`)) out[path] = (await call("GET", path, { token })).body;
  return out;
}

/**
 * Every item of the table, read raw (a Scan through the SDK, not the API), as one hash per item and
 * a hash of the whole table (items in key order, attributes in name order). Left out, and only
 * these: the rolling-window counters (`RATE#…`), which hostile requests are meant to move (each
 * anonymous request to a limited route counts against its sender's quota).
 */
async function tableHash(): Promise<{ hash: string; items: number; byKey: Map<string, string> }> {
  const env = stack.get().env;
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, region: env.AWS_REGION, credentials: { accessKeyId: "local", secretAccessKey: "local" } }));
  const canonical = (v: unknown): unknown =>
    v instanceof Set ? [...v].map(String).sort() : Array.isArray(v) ? v.map(canonical) : v && typeof v === "object" && !(v instanceof Uint8Array) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v;
  const byKey = new Map<string, string>();
  try {
    let start: Record<string, unknown> | undefined;
    do {
      const r = await doc.send(new ScanCommand({ TableName: env.WANGGE_TABLE, ConsistentRead: true, ExclusiveStartKey: start }));
      for (const item of r.Items ?? []) {
        if (String(item.pk).startsWith("RATE#")) continue;
        byKey.set(`${item.pk}|${item.sk}`, createHash("sha256").update(JSON.stringify(canonical(item))).digest("hex"));
      }
      start = r.LastEvaluatedKey;
    } while (start);
  } finally {
    doc.destroy();
  }
  const whole = createHash("sha256");
  for (const k of [...byKey.keys()].sort()) whole.update(`${k}\n${byKey.get(k)}\n`);
  return { hash: whole.digest("hex"), items: byKey.size, byKey };
}

let adminToken: string;
let before: Awaited<ReturnType<typeof snapshot>>;
let tableBefore: Awaited<ReturnType<typeof tableHash>>;

beforeAll(async () => {
  try {
    docFor = (await import("../../core/openapi/registry.ts")).docFor as typeof docFor;
  } catch {
    /* no API reference: only structurally invalid bodies on mutating routes */
  }
  adminToken = await tokenFor("admin");
  before = await snapshot(adminToken);
  tableBefore = await tableHash();
}, 120_000);

type Caller = "county admin" | "anonymous";

describe("fuzzing every route of the route table", () => {
  it("covers every route (the table is read at run time)", () => {
    expect(routes.length).toBeGreaterThan(10);
    const keys = routes.map(routeKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  for (const caller of ["county admin", "anonymous"] as const) {
    it(`never answers 5xx, a stack trace or a non-error-model 4xx (${caller})`, async () => {
      const token = caller === "anonymous" ? undefined : adminToken;
      const problems: string[] = [];
      let sent = 0;
      for (const [i, r] of routes.entries()) {
        for (const input of inputsFor(r, i)) {
          if (r.method === "GET" && input.body !== undefined) continue;
          const res = await send(r, input, token);
          sent++;
          const p = problemWith(r, input, res, caller);
          if (p) problems.push(`${routeKey(r)} [${input.label}] ${input.path}${input.query ? ` ?${JSON.stringify(input.query).slice(0, 120)}` : ""}${input.body ? ` body=${input.body.slice(0, 120)}` : ""} → ${p}`);
          // a path that URL normalization (`..`) sent to no route at all answers the router's 404
          const unrouted = res.status === 404 && res.text.includes("No route for");
          if (caller === "anonymous" && r.permission !== "public" && res.status !== 401 && !unrouted) problems.push(`${routeKey(r)} [${input.label}] anonymous → ${res.status}, expected 401`);
        }
      }
      if (process.env.WANGGE_FUZZ_REPORT) writeFileSync(`${process.env.WANGGE_FUZZ_REPORT}.${caller.replace(" ", "-")}.json`, JSON.stringify(problems, null, 1));
      expect(sent).toBeGreaterThan(routes.length * 5);
      expect(problems).toEqual([]);
    }, 600_000);
  }

  it("leaves the data unchanged (units, audit trail, configuration)", async () => {
    expect(await snapshot(adminToken)).toEqual(before);
  }, 120_000);

  it("leaves every item of the table byte-identical (a hash of the whole raw table before and after)", async () => {
    const after = await tableHash();
    const changed = [...new Set([...tableBefore.byKey.keys(), ...after.byKey.keys()])].filter((k) => tableBefore.byKey.get(k) !== after.byKey.get(k));
    expect(changed.sort()).toEqual([]);
    expect(after.items).toBe(tableBefore.items);
    expect(after.items).toBeGreaterThan(100);
    expect(after.hash).toBe(tableBefore.hash);
    console.log(`table unchanged: ${after.items} items, sha256 ${after.hash}`);
  }, 120_000);
});
