import { describe, it, expect } from "vitest";
import * as z from "zod";
import { routeKey, routes } from "../../functions/routes.ts";
import { buildOpenApi, expand, openApiPath } from "./document.ts";
import { ActionInput } from "../case/schema.ts";
import { routeDocs } from "./registry.ts";
import { checkOpenApi } from "./check.ts";
import { validate } from "./jsonschema.ts";
import { renderReference } from "./render.ts";

const doc = buildOpenApi(routes, routeDocs, { version: "test" }) as Record<string, any>;

/** Spectral's JS API when it is installed (`@stoplight/spectral-core` + `-rulesets` + `-parsers`), else undefined. */
async function loadSpectral(): Promise<((d: unknown) => Promise<Array<{ code: string | number; message: string; severity: number; path: unknown[] }>>) | undefined> {
  const names = ["@stoplight/spectral-core", "@stoplight/spectral-rulesets", "@stoplight/spectral-parsers"];
  try {
    const [core, rulesets, parsers] = await Promise.all(names.map((n) => import(/* @vite-ignore */ n)));
    return async (d) => {
      const spectral = new core.Spectral();
      spectral.setRuleset({ extends: [[rulesets.oas, "recommended"]] });
      return spectral.run(new core.Document(JSON.stringify(d), parsers.Json));
    };
  } catch {
    return undefined;
  }
}
const spectral = await loadSpectral();

describe("OpenAPI document", () => {
  it("has a registry entry for every route of the route table, and none for routes that do not exist", () => {
    const keys = routes.map(routeKey);
    expect(keys.filter((k) => !routeDocs[k])).toEqual([]);
    expect(Object.keys(routeDocs).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it("documents every route as one operation with a unique operationId", () => {
    const ops = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([p, item]) => Object.entries(item).map(([m, op]) => ({ key: `${m.toUpperCase()} ${p}`, op })));
    const expected = routes.flatMap((r) => expand(r, routeDocs[routeKey(r)]).map(([x]) => `${x.method} ${openApiPath(x.path)}`));
    expect(ops.map((o) => o.key).sort()).toEqual(expected.sort());
    expect(new Set(ops.map((o) => o.op.operationId)).size).toBe(ops.length);
  });

  it("documents each case action as its own operation with exactly the body that action accepts", () => {
    expect(doc.paths["/v1/cases/{id}/{action}"]).toBeUndefined();
    const sendable = ActionInput.def.options.map((o) => o.shape.action.def.values[0]).filter((a) => a !== "report" && a !== "timeout");
    const actionPaths = Object.keys(doc.paths).filter((p) => /^\/v1\/cases\/\{id\}\/(?!attachments)[a-z_]+$/.test(p));
    expect(actionPaths.sort()).toEqual(sendable.map((a) => `/v1/cases/{id}/${a}`).sort());
    for (const a of sendable) {
      const op = doc.paths[`/v1/cases/{id}/${a}`].post;
      expect(op.operationId).toBe(`cases.act.${a}`);
      expect(op.summary).not.toMatch(/^Case action/);
      expect(op.parameters.filter((p: any) => p.in === "path").map((p: any) => p.name)).toEqual(["id"]);
      const body = op.requestBody.content["application/json"].schema;
      expect(body.additionalProperties).toBe(false);
      expect(Object.keys(body.properties ?? {})).not.toContain("action");
    }
    const dispatch = doc.paths["/v1/cases/{id}/dispatch"].post.requestBody.content["application/json"].schema;
    expect(Object.keys(dispatch.properties).sort()).toEqual(["reason", "to"]);
    expect(dispatch.required.sort()).toEqual(["reason", "to"]);
    const accept = doc.paths["/v1/cases/{id}/accept"].post.requestBody.content["application/json"].schema;
    expect(Object.keys(accept.properties)).toEqual(["note"]);
    expect(accept.required ?? []).toEqual([]);
    expect(doc.paths["/v1/cases/{id}/report"]).toBeUndefined();
    expect(doc.paths["/v1/cases/{id}/timeout"]).toBeUndefined();
  });

  it("documents JSON request bodies as closed objects, as the API refuses unknown fields", () => {
    const report = doc.paths["/v1/cases"].post.requestBody.content["application/json"].schema;
    expect(report.additionalProperties).toBe(false);
    expect(report.properties.location.additionalProperties).toBe(false);
    expect(report.properties.attachments.items.additionalProperties).toBe(false);
  });

  it("lists a route without a registry entry as not yet documented (served document), and refuses it in strict mode naming it", () => {
    const extra = [...routes, { method: "GET" as const, path: "/v1/nowhere", handler: "functions/x/y.handler", permission: "public" as const }];
    expect((buildOpenApi(extra, routeDocs, { version: "t" }) as any).paths["/v1/nowhere"].get.summary).toMatch(/not yet documented/);
    expect(() => buildOpenApi(extra, routeDocs, { version: "t", strict: true })).toThrow(/GET \/v1\/nowhere/);
  });

  it.runIf(spectral)("passes Spectral's recommended OpenAPI rules without errors (Spectral installed)", async () => {
    const results = await spectral!(doc);
    expect(results.filter((r) => r.severity === 0).map((r) => `${r.code} ${r.path.join(".")}: ${r.message}`)).toEqual([]);
  });

  it(`passes the structural OpenAPI 3.1 check${spectral ? "" : " (Spectral is not installed: this structural check stands in for it)"}`, () => {
    expect(checkOpenApi(doc)).toEqual([]);
  });

  it("the structural check catches undeclared path parameters, dangling refs and duplicate operation ids", () => {
    const broken = structuredClone(doc);
    const op = broken.paths["/v1/units/{id}"].get;
    op.parameters = [];
    op.responses["418"] = { $ref: "#/components/responses/Nope" };
    broken.paths["/v1/units"].get.operationId = broken.paths["/v1/units"].post.operationId;
    const problems = checkOpenApi(broken).join("\n");
    expect(problems).toMatch(/\{id\} is not declared/);
    expect(problems).toMatch(/Nope does not resolve/);
    expect(problems).toMatch(/not unique/);
  });

  it("declares bearer JWT, X-Api-Key and the Open311 api_key parameter, and uses them by permission", () => {
    const s = doc.components.securitySchemes;
    expect(s.bearer).toMatchObject({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
    expect(s.apiKey).toMatchObject({ type: "apiKey", in: "header", name: "X-Api-Key" });
    expect(doc.paths["/v1/health"].get.security).toEqual([]);
    expect(doc.paths["/v1/cases"].post.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
    expect(doc.paths["/open311/v2/requests.json"].post.security).toEqual([{ apiKeyParam: [] }, { apiKey: [] }]);
  });

  it("documents the error model {error:{code,message,details}} for 4xx answers, and Open311's list on Open311 routes", () => {
    const err = doc.components.schemas.Error;
    expect(validate(err, { error: { code: "invalid", message: "Invalid report", details: { fields: [] } } }, doc)).toEqual([]);
    expect(validate(err, { message: "x" }, doc)).not.toEqual([]);
    expect(doc.paths["/v1/units/{id}"].get.responses["404"]).toEqual({ $ref: "#/components/responses/Error404" });
    expect(doc.components.responses.Error429.headers["Retry-After"]).toBeDefined();
    expect(doc.paths["/open311/v2/requests.xml"].post.responses["403"]).toEqual({ $ref: "#/components/responses/Open311Error403" });
    expect(validate(doc.components.schemas.Open311Errors, [{ code: 403, description: "Invalid api_key" }], doc)).toEqual([]);
  });

  it("documents inputs as callers send them: defaulted fields are optional, query parameters are strings", () => {
    const body = doc.paths["/v1/cases"].post.requestBody.content["application/json"].schema;
    expect(body.required).toEqual(expect.arrayContaining(["categoryId", "description", "location"]));
    expect(body.required).not.toContain("attachments");
    const limit = doc.paths["/v1/cases"].get.parameters.find((p: any) => p.name === "limit");
    expect(limit).toMatchObject({ in: "query", required: false });
    expect(doc.paths["/v1/cases/{id}/attachments/{key}"].get.parameters.map((p: any) => p.name)).toEqual(["id", "key"]);
    expect(doc.paths["/open311/v2/requests.json"].post.requestBody.content["application/x-www-form-urlencoded"].schema.required).toEqual(["service_code"]);
  });

  it("renders a self-contained HTML reference with every operation and no external resources", () => {
    const html = renderReference(doc);
    for (const item of Object.values(doc.paths as Record<string, Record<string, any>>)) for (const op of Object.values(item)) expect(html).toContain(`id="${op.operationId}"`);
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=["']https?:/);
  });
});

describe("JSON Schema check", () => {
  const S = z.toJSONSchema(
    z.object({
      id: z.string().min(2),
      n: z.number().int().max(3).optional(),
      kind: z.enum(["a", "b"]),
      at: z.iso.datetime(),
      tags: z.array(z.string()).max(2),
      pair: z.tuple([z.number(), z.number()]),
      either: z.union([z.string(), z.null()]),
    }),
    { io: "output" },
  ) as Record<string, any>;

  it("accepts a value that matches and reports each mismatch with its path", () => {
    const ok = { id: "ab", kind: "a", at: "2026-01-01T00:00:00.000Z", tags: ["x"], pair: [1, 2], either: null };
    expect(validate(S, ok)).toEqual([]);
    const bad = validate(S, { id: "a", n: 1.5, kind: "c", at: "yesterday", tags: ["x", "y", "z"], pair: [1, "2"], either: 3, extra: true });
    const paths = bad.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["id", "n", "kind", "at", "tags", "pair[1]", "either", "extra"]));
  });

  it("follows local $refs", () => {
    const root = { $defs: { A: { type: "string" } }, type: "object", properties: { a: { $ref: "#/$defs/A" } } };
    expect(validate(root, { a: "x" })).toEqual([]);
    expect(validate(root, { a: 1 })).toEqual([{ path: "a", message: "expected string, got integer" }]);
  });
});
