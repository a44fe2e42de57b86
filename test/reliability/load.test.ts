import { describe, it, expect } from "vitest";
import { formatReport, runLoad } from "../../local/loadtest.ts";
import { installConsumerCrashes } from "../../local/faults.ts";

/**
 * A reduced `npm run loadtest` inside `npm test`: its own embedded stack in this process, with
 * DynamoDB, SQS and S3 calls refused (throttling/5xx, then the SDK's retries), writes applied whose
 * answer is lost (the SDK sends them again), and consumer invocations crashing mid-batch. The
 * flags are set before the stack creates its first client; the draws come from a seed the run
 * prints (WANGGE_FAULTS_SEED replays it). Every kind asked for must really have been injected.
 */
const REPORTS = Number(process.env.WANGGE_LOAD_REPORTS ?? 300);
// S3 sees only the photo checks (one report in ten): a higher rate so its faults really happen
const FAULTS = "dynamodb:0.05,sqs:0.05,s3:0.3,dynamodb-lost:0.02,sqs-lost:0.02,s3-lost:0.3";

describe("load under injected faults", () => {
  it(`reconciles ${REPORTS} reports from 8 clients under refused and lost-answer faults and consumer crashes: exactly once, actions once each, gapless, indexes right, aggregates = recount = independent count, drained`, async () => {
    process.env.WANGGE_FAULTS = FAULTS;
    process.env.WANGGE_FAULTS_CRASH_CONSUMER = "0.05";
    try {
      const r = await runLoad({ reports: REPORTS, clients: 8 });
      console.log(formatReport(r));
      expect(r.problems).toEqual([]);
      expect(r.reports).toEqual({ requested: REPORTS, acknowledged: REPORTS, inTable: REPORTS, duplicates: 0, missing: 0 });
      expect(r.timelines).toMatchObject({ checked: REPORTS, gapped: 0 });
      // the load's known paths: 40 % accept, 20 % six actions, 10 % reject, 10 % comment
      expect(r.actions).toEqual({ acknowledged: Math.round(REPORTS * (0.4 + 0.2 * 6 + 0.1 + 0.1)), casesChecked: REPORTS, mismatched: 0 });
      expect(r.raw.indexProblems).toBe(0);
      expect(r.raw.idempotencyRecords).toBe(REPORTS + r.actions.acknowledged);
      expect(r.aggregates).toMatchObject({ mismatched: 0, independentMismatched: 0 });
      expect(r.aggregates.counters).toBeGreaterThan(10);
      expect(r.aggregates.independent).toBeGreaterThan(10);
      expect(r.drain.outboxRows).toBe(0);
      for (const [queue, n] of Object.entries(r.drain.queued)) expect(n, queue).toBe(0);
      // every kind of fault asked for really happened (runLoad also lists a kind that never fired as a problem)
      for (const kind of ["dynamodb", "sqs", "s3", "dynamodb-lost", "sqs-lost", "s3-lost", "consumerCrashes"]) expect(r.faults[kind], kind).toBeGreaterThan(0);
      expect(Object.keys(r.statuses).filter((s) => /^5/.test(s) && !s.startsWith("503 unavailable"))).toEqual([]);
    } finally {
      delete process.env.WANGGE_FAULTS;
      delete process.env.WANGGE_FAULTS_CRASH_CONSUMER;
      installConsumerCrashes(0); // the patch lives in a shared module: undo it for whatever runs next in this process
    }
  }, 900_000);
});
