import { describe, it, expect } from "vitest";
import { call } from "./client.ts";
import { adminToken, tokenFor } from "./fixtures.ts";
import { ownStack } from "./own-stack.ts";
import { newIdNumber } from "../functions/registry/testing.ts";

/**
 * Issue #19: the county's privacy settings (`privacy.*`, docs/security.md) take effect when changed
 * over HTTP. Its own stack: changing county settings on the shared stack would change the quotas
 * every other file runs under.
 */
ownStack();

const why = { purpose: "identity_check", reason: "核实身份信息" };

async function putPrivacy(privacy: Record<string, number>) {
  const admin = await adminToken();
  const { updatedAt: _u, ...settings } = (await call("GET", "/v1/settings", { token: admin })).body;
  return call("PUT", "/v1/settings", { token: admin, body: { ...settings, privacy: { ...settings.privacy, ...privacy } } });
}

describe("privacy settings take effect (#19)", () => {
  it("a county that lowers privacy.searchesPerUserHour to 2 refuses a user's third exact search in the hour with 429 naming the new limit", async () => {
    const saved = await putPrivacy({ searchesPerUserHour: 2 });
    expect(saved.status).toBe(200);
    expect(saved.body.privacy).toMatchObject({ searchesPerUserHour: 2, revealsPerUserDay: 50, residentRetentionDays: 730, auditRetentionMonths: 36 });
    const worker = await tokenFor("worker1");
    const statuses = [];
    for (let i = 0; i < 2; i++) statuses.push((await call("POST", "/v1/registry/search", { token: worker, body: { idNumber: newIdNumber(), ...why } })).status);
    expect(statuses).toEqual([200, 200]);
    const third = await call("POST", "/v1/registry/search", { token: worker, body: { idNumber: newIdNumber(), ...why } });
    expect(third.status).toBe(429);
    expect(third.body.error.details).toMatchObject({ reason: "search_quota", quota: "searchesPerUserHour", limit: 2 });
    // raising it again lets the same user search on at once
    expect((await putPrivacy({ searchesPerUserHour: 5 })).status).toBe(200);
    expect((await call("POST", "/v1/registry/search", { token: worker, body: { idNumber: newIdNumber(), ...why } })).status).toBe(200);
  });

  it("saves the audit trail's retention within its bounds and refuses one below the legal minimum of 6 months", async () => {
    const saved = await putPrivacy({ auditRetentionMonths: 12 });
    expect(saved.status).toBe(200);
    expect(saved.body.privacy.auditRetentionMonths).toBe(12);
    const tooShort = await putPrivacy({ auditRetentionMonths: 3 });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.error.details.fields.map((f: { path: string }) => f.path)).toEqual(["privacy.auditRetentionMonths"]);
  });
});
