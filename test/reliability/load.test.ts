import { describe, it, expect } from "vitest";
import { formatReport, runLoad } from "../../local/loadtest.ts";
import { installConsumerCrashes } from "../../local/faults.ts";

/**
 * A reduced `npm run loadtest` inside `npm test`: its own embedded stack in this process, 5 % of
 * DynamoDB, SQS and S3 calls failing (throttling/5xx, then the SDK's retries) and 5 % of consumer
 * invocations crashing mid-batch. The flags are set before the stack creates its first client.
 */
const REPORTS = Number(process.env.WANGGE_LOAD_REPORTS ?? 300);

describe("load under injected faults", () => {
  it(`reconciles ${REPORTS} reports from 8 clients with 5 % faults: exactly once, gapless timelines, aggregates = recount, drained, no 5xx but 503`, async () => {
    process.env.WANGGE_FAULTS = "dynamodb:0.05,sqs:0.05,s3:0.05";
    process.env.WANGGE_FAULTS_CRASH_CONSUMER = "0.05";
    try {
      const r = await runLoad({ reports: REPORTS, clients: 8 });
      console.log(formatReport(r));
      expect(r.problems).toEqual([]);
      expect(r.reports).toEqual({ requested: REPORTS, acknowledged: REPORTS, inTable: REPORTS, duplicates: 0, missing: 0 });
      expect(r.timelines).toMatchObject({ checked: REPORTS, gapped: 0 });
      expect(r.aggregates.mismatched).toBe(0);
      expect(r.aggregates.counters).toBeGreaterThan(10);
      expect(r.drain.outboxRows).toBe(0);
      for (const [queue, n] of Object.entries(r.drain.queued)) expect(n, queue).toBe(0);
      // the faults really happened (DynamoDB and SQS see thousands of calls; S3 only the photo checks)
      expect(r.faults.dynamodb).toBeGreaterThan(0);
      expect(r.faults.sqs).toBeGreaterThan(0);
      expect(r.faults.consumerInvocations).toBeGreaterThan(0);
      expect(Object.keys(r.statuses).filter((s) => /^5/.test(s) && !s.startsWith("503 unavailable"))).toEqual([]);
    } finally {
      delete process.env.WANGGE_FAULTS;
      delete process.env.WANGGE_FAULTS_CRASH_CONSUMER;
      installConsumerCrashes(0); // the patch lives in a shared module: undo it for whatever runs next in this process
    }
  }, 900_000);
});
