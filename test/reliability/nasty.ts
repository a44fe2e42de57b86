import fc from "fast-check";
import type { Route } from "../../functions/routes.ts";

/**
 * Hostile inputs for the fuzz test: hand-made nasties plus fast-check arbitraries. Everything is
 * derived from a route's method, path and body limit, so routes added later are fuzzed too.
 */

/** Ids that exist nowhere and try to escape their key or path: traversal, key injection, query languages, unicode. */
export const NASTY_IDS: string[] = [
  "zz-no-such-id",
  "../../etc/passwd",
  "..%2F..%2Fadmin",
  "%2e%2e%2f%2e%2e%2f",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "' OR '1'='1",
  "1; DROP TABLE cases;--",
  '{"$ne":null}',
  "$where",
  "CASE#01ARZ3NDEKTSV4RRFFQ69G5FAV",
  "USER#admin#META",
  "01ARZ3NDEKTSV4RRFFQ69G5FAV",
  "🙂𝕏\u202e\u200b",
  "\u0000",
  "a".repeat(3000),
  "-1",
  "99999999999999999999999999",
  "NaN",
  "null",
  "undefined",
  "*",
  "%",
  "%ZZ",
];

/** Values for `{key+}` path parameters (S3 keys): traversal with real slashes. */
export const NASTY_KEYS: string[] = ["../../../etc/passwd", "uploads/../../secrets", "cases/x/../../../y", "/", "%2F..%2F..", "a/".repeat(400)];

/** Strings that look like code in other languages (SQL, NoSQL, templates, scripts, paths). */
const INJECTIONS = [
  "' OR 1=1 --",
  "\"; DROP TABLE units; --",
  '{"$gt": ""}',
  "$ne",
  "${7*7}",
  "{{constructor.constructor('return process')()}}",
  "<script>alert(1)</script>",
  "../../../../etc/passwd",
  "\\\\server\\share",
  "%00",
  "\u0000",
  "\ud83d", // lone surrogate
  "\u202e\u0644\u0627",
  "𠜎𠜱𠝹",
  "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
  "\r\nSet-Cookie: x=1",
  "a".repeat(70_000),
];

const NUMBERS = [-1, 0, -0, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 1.5, -999999999999];

/** Query parameters a list or lookup might read, with values outside their domains. */
export const NASTY_QUERIES: Array<Record<string, string>> = [
  { limit: "-1" },
  { limit: "0" },
  { limit: "1e309" },
  { limit: "abc" },
  { limit: "99999999999999999999" },
  { limit: "1.5", cursor: "" },
  { cursor: "garbage" },
  { cursor: "%%%" },
  { cursor: Buffer.from('{"pk":"USER#x","sk":"META"}').toString("base64url") },
  { cursor: Buffer.from('{"pk":"CONFIG","sk":"SETTINGS","gsi1pk":"UNITS","gsi1sk":"/"}').toString("base64url") },
  { cursor: Buffer.from('{"__proto__":{"pk":"x"}}').toString("base64url") },
  { cursor: Buffer.from("{").toString("base64url") },
  { cursor: "A".repeat(5000) },
  { from: "not-a-date", to: "2026-13-45T99:99:99Z" },
  { state: "__proto__", unitId: "../../x" },
  { q: "' OR 1=1 --", parentId: '{"$ne":null}' },
  { lat: "91", lng: "-181" },
  { lat: "NaN", lng: "Infinity" },
  { month: "2026-13", period: "0000-00" },
  { start_date: "yesterday", end_date: "2999-01-01T00:00:00Z", api_key: "wg_' OR 1=1" },
  JSON.parse('{"__proto__":"1","constructor":"x","hasOwnProperty":"y"}'),
  { format: "../../etc/passwd", mode: "rm -rf" },
];

const nastyString = fc.oneof(fc.constantFrom(...INJECTIONS), fc.string({ unit: "binary" }), fc.string({ unit: "grapheme", maxLength: 40 }));
const nastyNumber = fc.oneof(fc.constantFrom(...NUMBERS), fc.double(), fc.integer());
const nastyKey = fc.oneof(fc.constantFrom("__proto__", "constructor", "prototype", "$where", "$gt", "toString", "hasOwnProperty", "", " ", "a.b", "a[0]"), fc.string({ maxLength: 12 }));
const fieldName = fc.constantFrom(
  "name", "code", "id", "version", "description", "location", "unitId", "parentId", "categoryId", "username", "password", "displayName",
  "permissions", "url", "eventTypes", "phone", "refreshToken", "note", "reason", "data", "attachments", "assignments", "roles", "active",
  "lng", "lat", "boundary", "calendar", "settings", "limit", "to", "from", "state", "level", "points", "uploadKey", "format", "mode",
);
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  nastyNumber,
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.oneof(nastyString, nastyNumber), { maxLength: 4 }),
  fc.dictionary(nastyKey, fc.oneof(nastyString, nastyNumber), { maxKeys: 3 }),
);

/** JSON objects with plausible field names holding wrong or hostile values, and hostile keys. */
export const nastyObject: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(fc.dictionary(fieldName, nastyValue, { minKeys: 1, maxKeys: 6 }), fc.dictionary(nastyKey, nastyValue, { maxKeys: 3 }))
  .map(([a, b]) => Object.assign(JSON.parse(JSON.stringify(b)), a));

/** Bodies no object schema accepts: JSON of the wrong type. */
export const wrongTypeBody: fc.Arbitrary<string> = fc
  .oneof(nastyString, nastyNumber, fc.constant(null), fc.boolean(), fc.array(nastyValue, { maxLength: 5 }))
  .map((v) => JSON.stringify(v) ?? "null");

/** Text that is not JSON at all. */
export const MALFORMED_JSON: string[] = ['{"a":', "{'single': 1}", "undefined", "NaN", '{"a":1}}', "\u0000", '{"__proto__":', "\uFEFF{}", "{\"a\": 01}", "[1,]", "{\"a\":\"\\x41\"}", "𝕏"];

/** Deeply nested JSON: arrays at the top level (no object schema accepts them) and objects under plausible fields. */
export function deepJson(depth: number, kind: "array" | "object"): string {
  if (kind === "array") return "[".repeat(depth) + "]".repeat(depth);
  const inner = '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
  return `{"name":${inner},"data":${inner},"location":${inner},"version":${inner},"description":${inner},"unitId":${inner}}`;
}

export const DEFAULT_MAX_BODY = 256 * 1024;

/** A JSON body one byte over the route's limit. */
export function oversizedBody(route: Route): string {
  const limit = route.maxBody ?? DEFAULT_MAX_BODY;
  const head = '{"description":"';
  const tail = '"}';
  return head + "x".repeat(limit + 1 - head.length - tail.length) + tail;
}

/** Content types no JSON route accepts. */
export const WRONG_CONTENT_TYPES = ["application/xml", "multipart/form-data; boundary=x", "image/png", "application/octet-stream", "text/html"];

/** Deterministic seed per route, so a failure names an input that can be replayed. */
export function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
