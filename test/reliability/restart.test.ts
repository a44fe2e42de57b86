import { describe, it, expect } from "vitest";
import { formatReport, runLoad } from "../../local/loadtest.ts";

/**
 * Kill the stack during load: half-way through, the embedded stack is stopped (requests in flight
 * fail, queued messages and outbox rows wait on disk) and a new one is started on the same data
 * folder and port. Clients retry with their Idempotency-Keys; the run must still reconcile.
 */
describe("restart during load", () => {
  it("reconciles after the stack was stopped and started again on the same data mid-load", async () => {
    const r = await runLoad({ reports: 160, clients: 8, restartAt: 0.5 });
    console.log(formatReport(r));
    expect(r.restarts).toBe(1);
    expect(r.problems).toEqual([]);
    expect(r.reports).toEqual({ requested: 160, acknowledged: 160, inTable: 160, duplicates: 0, missing: 0 });
    expect(r.timelines.gapped).toBe(0);
    expect(r.aggregates.mismatched).toBe(0);
    expect(r.drain.outboxRows).toBe(0);
  }, 900_000);
});
