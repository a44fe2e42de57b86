/**
 * Bounds for the OpenAPI document (issue 17, Spectral's OWASP API Security ruleset): every string
 * a `maxLength`, every array a `maxItems`, every integer a `format` and both bounds.
 *
 * The zod schemas are the source: a `.max()`, `.length()`, `.int().min().max()` of a schema is
 * what the document says, and it is enforced where the handler parses. Every string and array of
 * a JSON or form request body and of a query has its own zod bound ({@link missingBounds}, tested).
 * Where a schema states no tighter bound — answers, raw text/binary bodies, path parameters — the
 * document gives the bound that is enforced anyway, never an invented one:
 *
 * - in a request body: the route's body limit (functions/http.ts answers 413 above it), so no
 *   string can be longer than that many bytes and no array hold more than half as many items
 *   (each item and its comma take at least two bytes);
 * - a path parameter: 512 bytes (1 024 for a greedy S3 key), refused with 404 above it
 *   (functions/http.ts `checkParams`); a query parameter: {@link QUERY_VALUE_BYTES}, refused with 400;
 * - in a response: the largest answer a Lambda function can return ({@link RESPONSE_BYTES}).
 *
 * Integers: `int32` when both bounds fit, else `int64`; zod's `.int()` already refuses anything
 * outside the safe integers, which are the bounds written when the schema states none.
 */

type Json = Record<string, unknown>;

/** Lambda's synchronous response payload limit: no answer, hence no string or list in one, is larger. */
export const RESPONSE_BYTES = 6 * 1024 * 1024;
/** The longest query parameter value the API reads (functions/http.ts refuses longer ones with 400). */
export const QUERY_VALUE_BYTES = 8192;
export const PATH_PARAM_BYTES = 512;
export const GREEDY_PATH_PARAM_BYTES = 1024;

const INT32 = 2 ** 31;
const SAFE = Number.MAX_SAFE_INTEGER;

const hasType = (node: Json, t: string) => node.type === t || (Array.isArray(node.type) && node.type.includes(t));

/** Fill the missing bounds of a JSON schema (a copy), with `maxLength`/`maxItems` as the fallbacks. */
export function bound(node: unknown, limits: { maxLength: number; maxItems: number }): unknown {
  if (Array.isArray(node)) return node.map((n) => bound(n, limits));
  if (!node || typeof node !== "object") return node;
  const o: Json = {};
  for (const [k, v] of Object.entries(node)) {
    // `properties`, `$defs`, `patternProperties` are maps of schemas, not schemas
    if ((k === "properties" || k === "$defs" || k === "patternProperties") && v && typeof v === "object" && !Array.isArray(v)) {
      o[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, bound(s, limits)]));
    } else if (k === "enum" || k === "const" || k === "required" || k === "examples" || k === "default") o[k] = v;
    else o[k] = bound(v, limits);
  }
  if (hasType(o, "string") && o.maxLength === undefined && o.enum === undefined && o.const === undefined) o.maxLength = limits.maxLength;
  if (hasType(o, "array") && o.maxItems === undefined) o.maxItems = limits.maxItems;
  if (hasType(o, "integer")) {
    const min = typeof o.minimum === "number" ? o.minimum : typeof o.exclusiveMinimum === "number" ? o.exclusiveMinimum + 1 : undefined;
    const max = typeof o.maximum === "number" ? o.maximum : typeof o.exclusiveMaximum === "number" ? o.exclusiveMaximum - 1 : undefined;
    if (min === undefined) o.minimum = -SAFE;
    if (max === undefined) o.maximum = SAFE;
    if (o.format === undefined) o.format = (min ?? -SAFE) >= -INT32 && (max ?? SAFE) < INT32 ? "int32" : "int64";
  }
  return o;
}

/** Bounds of a request body under a route's body limit. */
export const bodyBounds = (limitBytes: number) => ({ maxLength: limitBytes, maxItems: Math.floor(limitBytes / 2) });
/** Bounds of anything in an answer. */
export const responseBounds = { maxLength: RESPONSE_BYTES, maxItems: Math.floor(RESPONSE_BYTES / 2) };

/**
 * Where a JSON schema generated from an input's zod schema (a request body, the query) lacks a
 * bound of its own: a string without `maxLength` (enum and const excepted), an array without
 * `maxItems`. Every input is bounded per field in zod (issue 17: the bounds are real input limits,
 * checked where the handler parses); the route-level fallbacks above are for answers and raw
 * (text/binary) bodies. core/openapi/owasp.test.ts asserts this list is empty for every route.
 */
export function missingBounds(node: unknown, at = ""): string[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => missingBounds(n, `${at}[${i}]`));
  if (!node || typeof node !== "object") return [];
  const o = node as Json;
  const out: string[] = [];
  if (hasType(o, "string") && o.maxLength === undefined && o.enum === undefined && o.const === undefined) out.push(`${at || "(root)"}: string without maxLength`);
  if (hasType(o, "array") && o.maxItems === undefined) out.push(`${at || "(root)"}: array without maxItems`);
  for (const [k, v] of Object.entries(o)) {
    if ((k === "properties" || k === "$defs" || k === "patternProperties") && v && typeof v === "object" && !Array.isArray(v)) {
      for (const [name, s] of Object.entries(v)) out.push(...missingBounds(s, `${at}.${name}`));
    } else if (k !== "enum" && k !== "const" && k !== "required" && k !== "examples" && k !== "default") out.push(...missingBounds(v, `${at}/${k}`));
  }
  return out;
}
