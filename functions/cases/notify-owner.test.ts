import { describe, it, expect } from "vitest";
import { call, queuesIdle } from "../../test/client.ts";
import { tokenFor } from "../../test/fixtures.ts";
import { must, report } from "../../test/cases.ts";

/** Issue 14: notifications go to the real owner of the case at that moment, never to the one who acted, once per event. */

async function inboxFor(username: string, caseId: string): Promise<string[]> {
  const r = await call("GET", "/v1/me/notifications?limit=200", { token: await tokenFor(username) });
  expect(r.status).toBe(200);
  return r.body.items.filter((n: any) => n.caseId === caseId).map((n: any) => n.type).sort();
}

describe("notifications to the real owner", () => {
  it("tells the center of a report but not the reporter, and the case's grid (not its community or the handler) of a handled case", async () => {
    const { case: c } = await report("worker1");
    await must("center", c.id, "accept");
    await must("dept1", c.id, "claim");
    await must("dept1", c.id, "handle", { note: "已清运" });
    await queuesIdle();
    expect(await inboxFor("center", c.id)).toEqual(["reported"]);
    // the grid of a micro-grid case verifies: its worker, leader and instructor are told, once
    for (const u of ["worker1", "leader1", "instructor1"]) expect(await inboxFor(u, c.id)).toEqual(["handled"]);
    expect(await inboxFor("community1", c.id)).toEqual([]);
    // the department was told of the claim window, not of its own claim and handling
    expect(await inboxFor("dept1", c.id)).toEqual(["claim_opened"]);
  });
});
