import { describe, it, expect } from "vitest";
import fc from "fast-check";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { publicApi } from "./http.ts";
import { registerRoutes } from "./route-registry.ts";

/*
 * The request body path of the one HTTP wrapper (functions/http.ts parseBody → core/json.ts →
 * core/json-errors.ts, the locator that replaced jsonc-parser) fed thousands of random byte strings
 * and mutated JSON texts: never a 5xx, every refusal a 4xx JSON {error:{code,message,details}}, and
 * the error never echoes more than a short excerpt of the body (details.near, at most 41 characters).
 * The route is this test's own (registered as an area's router registers its slice); the wrapper,
 * the parser and the locator are the real ones.
 */
const ROUTE = { method: "POST", path: "/v1/_body-fuzz", handler: "functions/_body-fuzz.handler", permission: "public" } as const;
registerRoutes([ROUTE]);
const handler = publicApi(async (req) => ({ received: typeof req.body }));

const event = (body: string, isBase64Encoded: boolean, contentType = "application/json") =>
  ({
    version: "2.0",
    routeKey: `${ROUTE.method} ${ROUTE.path}`,
    rawPath: ROUTE.path,
    rawQueryString: "",
    headers: { "content-type": contentType },
    body,
    isBase64Encoded,
    requestContext: { requestId: "body-fuzz", http: { method: "POST", path: ROUTE.path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "vitest" } },
  }) as unknown as APIGatewayProxyEventV2;

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** The answer's shape: 200 for a JSON text (or an empty body), else 400 `invalid` with a bounded excerpt; never anything else. */
function check(res: APIGatewayProxyStructuredResultV2, text: string) {
  expect(res.headers?.["content-type"]).toBe("application/json; charset=utf-8");
  const body = JSON.parse(res.body ?? "");
  if (text === "" || isJson(text)) {
    expect(res.statusCode).toBe(200);
    expect(body).toEqual({ received: text === "" ? "undefined" : typeof JSON.parse(text) });
    return;
  }
  expect(res.statusCode).toBe(400);
  expect(Object.keys(body)).toEqual(["error"]);
  expect(Object.keys(body.error).sort()).toEqual(["code", "details", "message"]);
  expect(body.error.code).toBe("invalid");
  expect(body.error.details.problem).toBe("invalid_json");
  expect(typeof body.error.details.syntax).toBe("string");
  expect(Number.isInteger(body.error.details.line) && Number.isInteger(body.error.details.column)).toBe(true);
  expect(body.error.details.near.length).toBeLessThanOrEqual(41);
  // the message names the problem and where, never the body
  expect(body.error.message).toMatch(/^Request body is not valid JSON: .+ at line \d+, column \d+$/);
  expect(res.body!.length).toBeLessThan(700);
}

describe("request bodies through the HTTP wrapper: 4xx JSON on any input, never a 5xx, never the body echoed", () => {
  it("random byte strings, sent raw (UTF-8 decoded) and base64-encoded (seeded)", async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 600 }), fc.boolean(), async (bytes, b64) => {
        const buf = Buffer.from(bytes);
        const res = await handler(event(b64 ? buf.toString("base64") : buf.toString("latin1"), b64));
        const text = b64 ? buf.toString("utf8") : buf.toString("latin1");
        check(res, text);
        if (res.statusCode === 400) refused++;
      }),
      { numRuns: 2500, seed: Number(process.env.BODY_FUZZ_SEED ?? 20261205) },
    );
    expect(refused).toBeGreaterThan(2000);
  });

  it("mutated JSON texts (nearly valid: the locator's whole grammar is reached) and large ones (seeded)", async () => {
    const base = fc.json({ depthSize: "medium" });
    const mutation = fc.record({ at: fc.nat(2000), op: fc.constantFrom("replace", "insert", "delete"), ch: fc.constantFrom(..."{}[]:,\"\\/*-+.eE0123456789 \t\n\rtrufalsn\u0000\u2028\uFEFFé中") });
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(base, fc.array(mutation, { maxLength: 3 }), fc.nat(3), async (json, ms, repeat) => {
        let t = repeat ? `[${Array(repeat * 400).fill(json).join(",")}]` : json;
        for (const m of ms) {
          const at = m.at % (t.length + 1);
          t = m.op === "replace" ? t.slice(0, at) + m.ch + t.slice(at + 1) : m.op === "insert" ? t.slice(0, at) + m.ch + t.slice(at) : t.slice(0, at) + t.slice(at + 1);
        }
        if (Buffer.byteLength(t) > 256 * 1024) return;
        const res = await handler(event(t, false));
        check(res, t);
        if (res.statusCode === 200) accepted++;
        else refused++;
      }),
      { numRuns: 1000, seed: Number(process.env.BODY_FUZZ_SEED ?? 20261205) },
    );
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(500);
  });

  it("deep nesting, a long broken line and the size limit: 400 with a short excerpt, 413 over the limit, 415 for another type", async () => {
    const deep = "[".repeat(200_000);
    check(await handler(event(deep, false)), deep);
    // a word after the string (jsonc-parser's scanner: a word runs to the next delimiter) is the error, 20 characters either side shown
    const longLine = `{"a":"${"x".repeat(200_000)}"${"y".repeat(20)}}`;
    const res = await handler(event(longLine, false));
    check(res, longLine);
    expect(JSON.parse(res.body!).error.details).toMatchObject({ syntax: "InvalidSymbol", line: 1, column: 200_008, near: `${"x".repeat(19)}"${"y".repeat(20)}}` });
    const big = await handler(event(`"${"x".repeat(256 * 1024)}"`, false));
    expect(big.statusCode).toBe(413);
    expect(JSON.parse(big.body!).error.code).toBe("payload_too_large");
    const other = await handler(event("{}", false, "application/xml"));
    expect(other.statusCode).toBe(415);
    expect(JSON.parse(other.body!).error).toEqual({ code: "unsupported_media_type", message: "Content type application/xml is not accepted", details: null });
  });
});
