import { describe, expect, it } from "vitest";
import { apiCalls, bill, dynamoUnits, idle, IDLE_INVOCATIONS_PER_MONTH, monthlyCounts, REFERENCE_COUNTY, type Measured, type PriceList, type Workload } from "./model.ts";

/** Hand-worked examples: round numbers so every figure below can be checked on paper. */
const list: PriceList = {
  region: "test-1",
  currency: "USD",
  retrieved: "2026-12-04",
  missing: [],
  prices: {
    "dynamodb.readRequestUnit": { per: 1_000_000, price: 0.25, source: "s", quote: "q" },
    "dynamodb.writeRequestUnit": { per: 1_000_000, price: 1, source: "s", quote: "q" },
    "lambda.request": { per: 1_000_000, price: 0.2, source: "s", quote: "q" },
    "sqs.request": { per: 1_000_000, price: 0.4, freeMonthly: 1_000_000, source: "s", quote: "q" },
    "s3.storageGbMonth": { per: 1, price: 0.02, source: "s", quote: "q" },
  },
};
const op = (rcu: number, wcu: number, events = 0, crcu = 0, cwcu = 0) => ({ requests: 2, rcu, wcu, consumerEvents: events, consumerRcuPerEvent: crcu, consumerWcuPerEvent: cwcu });
// 12,000 cases a year = 1,000 a month, all by grid workers; 10 staff, 20 working days
const w: Workload = { ...REFERENCE_COUNTY, casesPerYear: 12_000, staff: 10, residentShare: 0, partnerShare: 0, commentsPerCase: 0, listPagesPerStaffDay: 5, registryListsPerStaffDay: 0, registrySearchesPerStaffDay: 0, dueTimersPerCase: 0, photoBytesPerCase: 2 ** 20, workingDaysPerMonth: 20 };
const measured: Measured = {
  at: "2026-12-04",
  runs: 1,
  operations: {
    report: op(1, 10, 2, 0.5, 4), // per report: 1 + 2×0.5 = 2 RRU, 10 + 2×4 = 18 WRU
    "action: accept": op(1, 6),
    "action: claim": op(1, 6),
    "action: handle": op(1, 6),
    "action: verify": op(1, 6),
    "action: evaluate": op(1, 6),
    "read (case + timeline)": op(0.5, 0),
    "list (50 per page)": op(0.5, 0),
  },
};

describe("the monthly bill, worked by hand", () => {
  it("counts a month's operations from the workload", () => {
    const c = monthlyCounts(w);
    expect(c.report).toBe(1000);
    expect(c["resident report"]).toBe(0);
    expect(c["action: handle"]).toBe(1000);
    expect(c["read (case + timeline)"]).toBe(5000); // one read before each of the 5 actions
    expect(c["list (50 per page)"]).toBe(10 * 20 * 5);
    expect(apiCalls(c)).toBe(1000 + 5 * 1000 + 5000 + 1000);
  });

  it("multiplies measured units by the counts: reads 1000×2 + 5×1000×1 + 5000×0.5 + 1000×0.5 = 10,000 RRU; writes 1000×18 + 5×1000×6 = 48,000 WRU", () => {
    const d = dynamoUnits(measured, monthlyCounts(w));
    expect(d.rru).toBe(10_000);
    expect(d.wru).toBe(48_000);
    // operations counted but not measured are named, not priced at zero silently
    expect(d.unmeasured).toEqual(["resident report", "Open311 report (partner)", "comment", "registry list (50 households)", "registry search (ID number)", "due timer (end to end)", "appraisal monthly run"]);
  });

  it("prices the lines: 10,000 RRU × $0.25/M = $0.0025, 48,000 WRU × $1/M = $0.048, 14,000 Lambda requests × $0.2/M = $0.0028; SQS under its free million = $0", () => {
    const b = bill(w, measured, list);
    const cost = (item: string) => b.lines.find((l) => l.item.startsWith(item))!.cost;
    expect(cost("on-demand reads")).toBeCloseTo(0.0025, 10);
    expect(cost("on-demand writes")).toBeCloseTo(0.048, 10);
    // API calls 12,000 + consumed events 1000 reports × 2 = 2,000
    expect(b.lines.find((l) => l.service === "Lambda")!.quantity).toBe(14_000);
    expect(cost("requests (API calls")).toBeCloseTo(0.0028, 10);
    expect(cost("requests (send")).toBe(0); // 6,000 SQS requests, 1,000,000 free
    expect(b.total).toBeCloseTo(0.0025 + 0.048 + 0.0028, 10);
    // a year of photos: 12,000 × 1 MiB = 11.71875 GiB × $0.02
    expect(b.photos).toBeCloseTo((12_000 / 1024) * 0.02, 10);
  });

  it("leaves a price the list lacks out of the total instead of guessing it", () => {
    const { ["dynamodb.readRequestUnit"]: _, ...rest } = list.prices;
    const b = bill(w, measured, { ...list, prices: rest });
    expect(b.lines.find((l) => l.item.startsWith("on-demand reads"))!.cost).toBeUndefined();
    expect(b.total).toBeCloseTo(0.048 + 0.0028, 10);
  });

  it("prices assumed Lambda duration only when asked: 14,000 calls × 100 ms × 0.5 GB = 700 GB-s", () => {
    const b = bill(w, measured, { ...list, prices: { ...list.prices, "lambda.gbSecond": { per: 1, price: 0.00001, source: "s", quote: "q" } } }, { lambdaMsPerCall: 100, lambdaMemoryMb: 512 });
    const l = b.lines.find((x) => x.unit === "GB-s")!;
    expect(l.quantity).toBeCloseTo(700, 10);
    expect(l.cost).toBeCloseTo(0.007, 10);
  });

  it("idle: 86,491 scheduled invocations a month × $0.2/M", () => {
    expect(IDLE_INVOCATIONS_PER_MONTH).toBe(86_491);
    expect(idle(list).total).toBeCloseTo(86_491 * 0.2e-6, 12);
  });
});
