import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { call } from "../../test/client.ts";
import { apiTypes, TYPES_FILE } from "./types.ts";

describe("generated API types", () => {
  it("the committed core/openapi/schema.d.ts is what the live /v1/openapi.json generates (else: npm run api:types)", async () => {
    const live = await call("GET", "/v1/openapi.json");
    expect(live.status).toBe(200);
    const committed = readFileSync(resolve(import.meta.dirname, "../..", TYPES_FILE), "utf8");
    const generated = await apiTypes(live.body);
    // compare line by line first: a drift names the first lines that differ, not a 600 KB blob
    const a = committed.split("\n");
    const b = generated.split("\n");
    const first = a.findIndex((line, i) => line !== b[i]);
    const at = first === -1 ? Math.min(a.length, b.length) : first;
    expect(b.slice(at, at + 6).join("\n"), `${TYPES_FILE} differs from the live document at line ${at + 1}: run npm run api:types`).toBe(a.slice(at, at + 6).join("\n"));
    expect(generated === committed, `${TYPES_FILE} is stale: run npm run api:types`).toBe(true);
  });
});
