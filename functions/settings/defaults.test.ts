import { describe, it, expect, beforeAll } from "vitest";
import { call } from "../../test/client.ts";
import { adminToken } from "../../test/fixtures.ts";
import { ownStack } from "../../test/own-stack.ts";

// changing the county defaults changes every case's deadlines: on a stack of its own
ownStack();

let admin: string;
beforeAll(async () => {
  admin = await adminToken();
});

describe("county case defaults and the effective deadlines of a category", () => {
  it("serves the built-in defaults until saved, applies saved ones, and names the source of each deadline", async () => {
    const s = (await call("GET", "/v1/settings", { token: admin })).body;
    expect(s.caseDefaults).toEqual({
      deadlines: {
        accept: { amount: 2, unit: "working_hours" },
        claim: { amount: 1, unit: "working_hours" },
        dispatch: { amount: 4, unit: "working_hours" },
        handle: { amount: 5, unit: "working_days" },
        verify: { amount: 1, unit: "working_days" },
        evaluate: { amount: 3, unit: "calendar_days" },
      },
      superviseAfterHours: 24,
    });

    const parent = (await call("POST", "/v1/categories", { token: admin, body: { code: "T9", name: "测试大类", deadlines: { verify: { amount: 8, unit: "working_hours" } } } })).body;
    const child = await call("POST", "/v1/categories", { token: admin, body: { code: "T901", name: "测试小类", parentId: parent.id, deadlines: { handle: { amount: 4, unit: "working_hours" } } } });
    expect(child.status).toBe(201);

    const bad = await call("PUT", "/v1/settings", { token: admin, body: { ...s, caseDefaults: { ...s.caseDefaults, deadlines: { ...s.caseDefaults.deadlines, handle: { amount: 0, unit: "working_days" } } } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].path).toMatch(/^caseDefaults\.deadlines\.handle/);

    const put = await call("PUT", "/v1/settings", {
      token: admin,
      body: { ...s, caseDefaults: { deadlines: { ...s.caseDefaults.deadlines, accept: { amount: 3, unit: "working_hours" } }, superviseAfterHours: 12 } },
    });
    expect(put.status).toBe(200);
    expect(put.body.caseDefaults.superviseAfterHours).toBe(12);

    const got = (await call("GET", `/v1/categories/${child.body.id}`, { token: admin })).body;
    expect(got.effective.deadlines).toEqual({
      accept: { amount: 3, unit: "working_hours" },
      claim: { amount: 1, unit: "working_hours" },
      dispatch: { amount: 4, unit: "working_hours" },
      handle: { amount: 4, unit: "working_hours" },
      verify: { amount: 8, unit: "working_hours" },
      evaluate: { amount: 3, unit: "calendar_days" },
    });
    expect(got.effective.sources.deadlines).toEqual({ accept: "county", claim: "county", dispatch: "county", handle: "category", verify: "parent", evaluate: "county" });

    const audit = await call("GET", "/v1/audit?entity=settings&entityId=county&limit=5", { token: admin });
    expect(audit.body.items[0].changes).toHaveProperty("caseDefaults");
  });
});
