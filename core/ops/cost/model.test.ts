import { describe, expect, it } from "vitest";
import { schedules } from "../../../functions/schedules.ts";
import {
  apiCalls,
  bill,
  dynamoUnits,
  idle,
  invocationsPerMonth,
  lambdaDurationLines,
  monthlyCounts,
  REFERENCE_COUNTY,
  scheduledInvocations,
  storedGb,
  verdict,
  type Deployment,
  type LambdaTimes,
  type Line,
  type Measured,
  type PriceList,
  type Workload,
} from "./model.ts";

/** Hand-worked examples: round numbers so every figure below can be checked on paper. */
const p = (price: number, per: number, freeMonthly?: number) => ({ price, per, ...(freeMonthly ? { freeMonthly } : {}), source: "s", quote: "q" });
const list: PriceList = {
  region: "test-1",
  currency: "USD",
  retrieved: "2026-12-04",
  missing: [],
  prices: {
    "dynamodb.readRequestUnit": p(0.25, 1_000_000),
    "dynamodb.writeRequestUnit": p(1, 1_000_000),
    "lambda.request": p(0.2, 1_000_000),
    "sqs.request": p(0.4, 1_000_000, 1_000_000),
    "s3.storageGbMonth": p(0.02, 1),
  },
};
/** the lines this change added, priced */
const full: PriceList = {
  ...list,
  prices: {
    ...list.prices,
    "apigateway.httpRequest": p(1, 1_000_000),
    "s3.putRequest": p(0.005, 1000),
    "s3.getRequest": p(0.0004, 1000),
    "kms.keyMonth": p(1, 1),
    "kms.request": p(0.03, 10_000, 20_000),
    "cloudwatch.alarmMetricMonth": p(0.1, 1, 10),
    "cloudwatch.logsIngestionGb": p(0.5, 1, 5),
    "cloudwatch.logsStorageGbMonth": p(0.03, 1),
    "dynamodb.storageGbMonth": p(0.25, 1, 25),
    "dynamodb.pitrGbMonth": p(0.2, 1),
    "eventbridge.scheduledRuleInvocation": p(0, 1_000_000),
  },
};
const op = (rcu: number, wcu: number, events = 0, crcu = 0, cwcu = 0) => ({ requests: 2, rcu, wcu, consumerEvents: events, consumerRcuPerEvent: crcu, consumerWcuPerEvent: cwcu });
// 12,000 cases a year = 1,000 a month, all by grid workers; 10 staff, 20 working days;
// registry: 100 micro-grids × 10 households × (1 KiB + 2 people × 1 KiB); cases: 2 years × 4 KiB
const w: Workload = {
  ...REFERENCE_COUNTY,
  microGrids: 100,
  casesPerYear: 12_000,
  staff: 10,
  residentShare: 0,
  partnerShare: 0,
  partnerReadsPerDay: 0,
  commentsPerCase: 0,
  listPagesPerStaffDay: 5,
  registryListsPerStaffDay: 0,
  registrySearchesPerStaffDay: 0,
  dueTimersPerCase: 0,
  photoBytesPerCase: 2 ** 20,
  photosPerCase: 2,
  photoViewsPerPhoto: 3,
  workingDaysPerMonth: 20,
  householdsPerMicroGrid: 10,
  peoplePerHousehold: 2,
  bytesPerCase: 4096,
  bytesPerHousehold: 1024,
  bytesPerPerson: 1024,
  caseYearsKept: 2,
  logBytesPerInvocation: 1024,
  accessLogBytesPerCall: 512,
};
// 15 alarms, one key, a schedule every minute (43,200 a 30-day month) and a daily one (30), logs kept 60 days
const d: Deployment = { alarms: 15, kmsKeys: 1, schedules: ["rate(1 minute)", "cron(0 22 * * ? *)"], logRetentionDays: 60, lambdaMemoryMb: 1024 };
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
const GIB = 2 ** 30;
const find = (lines: Line[], service: string, item: string): Line => lines.find((l) => l.service === service && l.item.startsWith(item))!;

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
    const dyn = dynamoUnits(measured, monthlyCounts(w));
    expect(dyn.rru).toBe(10_000);
    expect(dyn.wru).toBe(48_000);
    // operations counted but not measured are named, not priced at zero silently
    expect(dyn.unmeasured).toEqual(["resident report", "Open311 report (partner)", "Open311 read (partner)", "comment", "registry list (50 households)", "registry search (ID number)", "due timer (end to end)", "appraisal monthly run"]);
  });

  it("prices the lines: 10,000 RRU × $0.25/M = $0.0025, 48,000 WRU × $1/M = $0.048, 14,000 Lambda requests × $0.2/M = $0.0028; SQS under its free million = $0", () => {
    const b = bill(w, measured, list, d);
    const cost = (item: string) => b.lines.find((l) => l.item.startsWith(item))!.cost;
    expect(cost("on-demand reads")).toBeCloseTo(0.0025, 10);
    expect(cost("on-demand writes")).toBeCloseTo(0.048, 10);
    // API calls 12,000 + consumed events 1000 reports × 2 = 2,000
    expect(find(b.lines, "Lambda", "requests (API calls").quantity).toBe(14_000);
    expect(cost("requests (API calls")).toBeCloseTo(0.0028, 10);
    expect(cost("requests (send")).toBe(0); // 6,000 SQS requests, 1,000,000 free
    // and the schedules' 43,230 Lambda requests × $0.2/M = $0.008646
    expect(find(b.lines, "Lambda", "scheduled invocations").quantity).toBe(43_230);
    expect(b.total).toBeCloseTo(0.0025 + 0.048 + 0.0028 + 0.008646, 10);
    // a year of photos: 12,000 × 1 MiB = 11.71875 GiB × $0.02
    expect(b.photos).toBeCloseTo((12_000 / 1024) * 0.02, 10);
  });

  it("leaves a price the list lacks out of the total instead of guessing it", () => {
    const { ["dynamodb.readRequestUnit"]: _, ...rest } = list.prices;
    const b = bill(w, measured, { ...list, prices: rest }, d);
    expect(b.lines.find((l) => l.item.startsWith("on-demand reads"))!.cost).toBeUndefined();
    expect(b.total).toBeCloseTo(0.048 + 0.0028 + 0.008646, 10);
    // the lines whose prices `list` lacks are all there, unpriced
    for (const [service, item] of [
      ["API Gateway", "HTTP API requests"],
      ["S3", "PUT requests"],
      ["S3", "GET requests"],
      ["KMS", "requests"],
      ["KMS", "customer-managed key"],
      ["CloudWatch", "alarms"],
      ["CloudWatch", "logs ingested"],
      ["CloudWatch", "logs stored"],
      ["EventBridge", "scheduled rule invocations"],
      ["DynamoDB", "storage"],
      ["DynamoDB", "point-in-time recovery"],
    ])
      expect(find(b.lines, service, item).cost, `${service} ${item}`).toBeUndefined();
  });

  it("prices assumed Lambda duration only when asked: 14,000 calls × 100 ms × 0.5 GB = 700 GB-s", () => {
    const b = bill(w, measured, { ...list, prices: { ...list.prices, "lambda.gbSecond": p(0.00001, 1) } }, d, { lambdaMsPerCall: 100, lambdaMemoryMb: 512 });
    const l = b.lines.find((x) => x.unit === "GB-s")!;
    expect(l.quantity).toBeCloseTo(700, 10);
    expect(l.cost).toBeCloseTo(0.007, 10);
  });
});

describe("the lines priced since #16's second pass, worked by hand", () => {
  const b = bill(w, measured, full, d);

  it("API Gateway: 12,000 API calls × $1/M = $0.012 (the 12-month free tier is not applied)", () => {
    expect(find(b.lines, "API Gateway", "HTTP API requests").quantity).toBe(12_000);
    expect(find(b.lines, "API Gateway", "HTTP API requests").cost).toBeCloseTo(0.012, 12);
  });

  it("S3 requests: 1,000 cases × 2 photos = 2,000 PUT × $0.005/1,000 = $0.01; × 3 views = 6,000 GET × $0.0004/1,000 = $0.0024", () => {
    expect(find(b.lines, "S3", "PUT requests").quantity).toBe(2000);
    expect(find(b.lines, "S3", "PUT requests").cost).toBeCloseTo(0.01, 12);
    expect(find(b.lines, "S3", "GET requests").quantity).toBe(6000);
    expect(find(b.lines, "S3", "GET requests").cost).toBeCloseTo(0.0024, 12);
  });

  it("KMS: one key = $1; requests within the free 20,000 = $0, and 10 staff × 20 days × 150 registry lists = 30,000 → 10,000 billed × $0.03/10,000 = $0.03", () => {
    expect(find(b.lines, "KMS", "customer-managed key").cost).toBe(1);
    expect(find(b.lines, "KMS", "requests").quantity).toBe(0);
    expect(find(b.lines, "KMS", "requests").cost).toBe(0);
    const busy = bill({ ...w, registryListsPerStaffDay: 150 }, measured, full, d);
    expect(find(busy.lines, "KMS", "requests").quantity).toBe(30_000);
    expect(find(busy.lines, "KMS", "requests").cost).toBeCloseTo(0.03, 12);
  });

  it("alarms: 15, of which 10 free: 5 × $0.10 = $0.50", () => {
    expect(find(b.lines, "CloudWatch", "alarms").quantity).toBe(15);
    expect(find(b.lines, "CloudWatch", "alarms").cost).toBeCloseTo(0.5, 12);
  });

  it("logs: (57,230 invocations × 1 KiB + 12,000 access-log lines × 512 B) / 1 GiB ingested, under the free 5 GB; kept 60 days = 2 × that in GB-months × $0.03", () => {
    const gb = (57_230 * 1024 + 12_000 * 512) / GIB;
    expect(find(b.lines, "CloudWatch", "logs ingested").quantity).toBeCloseTo(gb, 12);
    expect(find(b.lines, "CloudWatch", "logs ingested").cost).toBe(0);
    expect(find(b.lines, "CloudWatch", "logs stored").quantity).toBeCloseTo(2 * gb, 12);
    expect(find(b.lines, "CloudWatch", "logs stored").cost).toBeCloseTo(2 * gb * 0.03, 12);
  });

  it("table data: 1,000 households × (1 KiB + 2 × 1 KiB) + 12,000 cases × 2 years × 4 KiB = 3,072,000 B + 98,304,000 B = 96.6796875 MiB; storage under the free 25 GB = $0, PITR × $0.20", () => {
    const gb = (1000 * 3072 + 24_000 * 4096) / GIB;
    expect(storedGb(w)).toBeCloseTo(gb, 12);
    expect(gb * 1024).toBeCloseTo(96.6796875, 10);
    expect(find(b.lines, "DynamoDB", "storage").cost).toBe(0);
    expect(find(b.lines, "DynamoDB", "point-in-time recovery").cost).toBeCloseTo(gb * 0.2, 12);
  });

  it("EventBridge scheduled rules: 43,230 events at $0", () => {
    expect(find(b.lines, "EventBridge", "scheduled rule invocations").quantity).toBe(43_230);
    expect(find(b.lines, "EventBridge", "scheduled rule invocations").cost).toBe(0);
  });
});

describe("schedules a month (30 days), from their EventBridge expressions", () => {
  it("counts rate and cron expressions", () => {
    expect(invocationsPerMonth("rate(1 minute)")).toBe(43_200);
    expect(invocationsPerMonth("rate(5 minutes)")).toBe(8640);
    expect(invocationsPerMonth("rate(2 hours)")).toBe(360);
    expect(invocationsPerMonth("rate(1 day)")).toBe(30);
    expect(invocationsPerMonth("cron(0 22 * * ? *)")).toBe(30); // daily
    expect(invocationsPerMonth("cron(5 16 L * ? *)")).toBe(1); // last day of the month
    expect(invocationsPerMonth("cron(0,30 8-17 * * ? *)")).toBe(2 * 10 * 30);
    expect(invocationsPerMonth("cron(0/15 * * * ? *)")).toBe(4 * 24 * 30);
    expect(invocationsPerMonth("cron(0 9 ? * MON-FRI *)")).toBeCloseTo((5 * 30) / 7, 12);
  });

  it("refuses what it cannot count instead of guessing", () => {
    expect(() => invocationsPerMonth("cron(0 9 1 JAN ? *)")).toThrow(/every month/);
    expect(() => invocationsPerMonth("at(2026-12-05T00:00:00)")).toThrow(/not supported/);
    expect(() => invocationsPerMonth("cron(0 9 1 * MON *)")).toThrow(/both set/);
  });

  it("the deployed schedules: 2 every minute, 4 daily, 1 monthly = 86,521 a month", () => {
    expect(scheduledInvocations(schedules.map((s) => s.schedule))).toBe(2 * 43_200 + 4 * 30 + 1);
  });
});

describe("the idle county and the targets", () => {
  it("idle: storage $0 + PITR + 43,230 Lambda requests × $0.2/M + key $1 + 5 paid alarms × $0.10 + logs kept", () => {
    const i = idle(w, full, d);
    const logGb = (43_230 * 1024) / GIB;
    expect(i.lines.map((l) => `${l.service} ${l.unit}`)).toEqual([
      "DynamoDB GB-month",
      "DynamoDB GB-month",
      "Lambda requests",
      "EventBridge events",
      "KMS key-months",
      "CloudWatch alarm-months",
      "CloudWatch GB",
      "CloudWatch GB-month",
    ]);
    expect(i.total).toBeCloseTo(storedGb(w) * 0.2 + 0.008646 + 1 + 0.5 + 2 * logGb * 0.03, 12);
  });

  it("idle with a registry key shared by 4 counties: the key line is 1/4 of $1, so idle is $0.75 less", () => {
    const own = idle(w, full, d);
    const shared = idle(w, full, { ...d, kmsKeys: 1 / 4 });
    const key = (x: typeof own) => x.lines.find((l) => l.service === "KMS")!;
    expect(key(shared).quantity).toBe(0.25);
    expect(key(shared).cost).toBeCloseTo(0.25, 12);
    expect(key(shared).item).toContain("shared: 1/4");
    expect(own.total - shared.total).toBeCloseTo(0.75, 12);
  });

  it("a target is not met as soon as the priced lines exceed it, met only when every line is priced", () => {
    const i = idle(w, full, d);
    expect(verdict(i.lines, 1)).toBe("not met"); // the key alone is $1, alarms add $0.50
    expect(verdict(i.lines, 2)).toBe("met");
    expect(verdict(idle(w, list, d).lines, 1)).toBe("undetermined"); // $0.0086 priced, the rest unknown
  });
});

/** Lambda times as the benches give them (bundles, county-day, appraisal), for the duration and KMS lines */
const times: LambdaTimes = {
  eventMs: 5,
  timeoutMs: 7,
  schedules: [
    { expression: "rate(1 minute)", ms: 2, initMs: 100 },
    { expression: "cron(0 22 * * ? *)", ms: 50, initMs: 200 },
  ],
  apiColdStartsPerWorkingDay: 10,
  apiInitMs: 150,
  eventsInitMs: 120,
  timeoutsInitMs: 90,
  appraisalRunMs: 60_000,
  appraisalConsumers: 4,
};

describe("Lambda duration from measured times, worked by hand (1,024 MB: 1 GB-s per second)", () => {
  const timed: Measured = {
    ...measured,
    operations: Object.fromEntries(Object.entries(measured.operations).map(([k, v]) => [k, { ...v, ms: k === "report" ? 20 : k.startsWith("action") ? 10 : k.startsWith("read") ? 4 : 6 }])),
  };
  it("API: 1,000 reports × 20 ms + 5,000 actions × 10 + 5,000 reads × 4 + 1,000 list pages × 6 = 96 s; consumers: 2,000 events × 5 ms = 10 s; schedules 43,200 × 2 ms + 30 × 50 ms + the appraisal run 60 s × 4 = 327.9 s; init: 10 × 20 days × 150 ms + 2,000 cold events × 120 ms (every event, fewer than one per 5 minutes) + 30 daily runs × 200 ms = 276 s", () => {
    const { lines, unmeasured } = lambdaDurationLines(w, timed, full, d, times);
    expect(lines.map((l) => l.quantity)).toEqual([96, 10, 327.9, 276].map((x) => expect.closeTo(x, 9)));
    expect(unmeasured).toEqual([]);
    const b = bill(w, timed, { ...full, prices: { ...full.prices, "lambda.gbSecond": p(0.00001, 1) } }, d, { times });
    const gbs = b.lines.filter((l) => l.unit === "GB-s");
    expect(gbs).toHaveLength(4);
    expect(gbs.reduce((s: number, l: Line) => s + (l.cost ?? 0), 0)).toBeCloseTo((96 + 10 + 327.9 + 276) * 0.00001, 12);
  });

  it("names an operation that has calls but no measured time, and a bill without bench results says the duration is left out", () => {
    const { unmeasured } = lambdaDurationLines(w, measured, full, d, times);
    expect(unmeasured).toEqual(["report (duration)", "action: accept (duration)", "action: claim (duration)", "action: handle (duration)", "action: verify (duration)", "action: evaluate (duration)", "read (case + timeline) (duration)", "list (50 per page) (duration)"]);
    expect(bill(w, timed, full, d).unmeasured.some((u) => u.startsWith("Lambda duration"))).toBe(true);
  });
});

describe("logs and KMS requests from the benches' figures, worked by hand", () => {
  // the workload without sizes of its own: the capacity bench's log figures are used
  const wm: Workload = { ...w, logBytesPerInvocation: undefined, accessLogBytesPerCall: undefined };
  const logged: Measured = {
    ...measured,
    operations: Object.fromEntries(
      Object.entries(measured.operations).map(([k, v]) => [k, { ...v, logBytes: k === "report" ? 200 : k.startsWith("action") ? 100 : k.startsWith("read") ? 80 : 60, consumerLogBytesPerEvent: k === "report" ? 50 : 0 }]),
    ),
    logs: { platformBytesPerInvocation: 250, accessLogBytesPerCall: 450, scheduleRunLogBytes: 10, storedPerRawByte: 0.25 },
  };
  // schedules 43,230 × (10 + 250) = 11,239,800; reports 1,000 × (200 + 250 + 450) + 2,000 events × (50 + 250) = 1,500,000;
  // actions 5 × 1,000 × (100 + 250 + 450) = 4,000,000; reads 5,000 × (80 + 250 + 450) = 3,900,000;
  // list pages 1,000 × (60 + 250 + 450) = 760,000; the appraisal run, once, Lambda's lines only: 250
  const bytes = 11_239_800 + 1_500_000 + 4_000_000 + 3_900_000 + 760_000 + 250;
  const timesWith = (registryColdStartsPerWorkingDay?: number): LambdaTimes => ({ ...times, registryColdStartsPerWorkingDay });

  it(`ingests ${bytes.toLocaleString("en")} bytes a month and stores a quarter of them (measured compression) for 60 days: × 0.25 × 2 in GB-months`, () => {
    const b = bill(wm, logged, full, d);
    expect(find(b.lines, "CloudWatch", "logs ingested").item).toContain("measured");
    expect(find(b.lines, "CloudWatch", "logs ingested").quantity).toBeCloseTo(bytes / GIB, 12);
    expect(find(b.lines, "CloudWatch", "logs stored").quantity).toBeCloseTo((bytes / GIB) * 0.25 * 2, 12);
    expect(find(b.lines, "CloudWatch", "logs stored").item).toContain("×0.25 measured");
  });

  it("sizes given in the workload win over the measured ones (then ASSUMED and stored uncompressed)", () => {
    const b = bill(w, logged, full, d);
    const gb = (57_230 * 1024 + 12_000 * 512) / GIB;
    expect(find(b.lines, "CloudWatch", "logs ingested").quantity).toBeCloseTo(gb, 12);
    expect(find(b.lines, "CloudWatch", "logs ingested").item).toContain("ASSUMED");
    expect(find(b.lines, "CloudWatch", "logs stored").quantity).toBeCloseTo(2 * gb, 12);
  });

  it("an idle county logs its schedules' runs: 43,230 × (10 + 250) bytes, stored × 0.25", () => {
    const i = idle(wm, full, d, logged);
    expect(find(i.lines, "CloudWatch", "logs ingested").quantity).toBeCloseTo(11_239_800 / GIB, 12);
    expect(find(i.lines, "CloudWatch", "logs stored").quantity).toBeCloseTo((11_239_800 / GIB) * 0.25 * 2, 12);
  });

  it("KMS: 30,000 registry calls, but 7 registry cold starts a working day × 20 days = 140 Decrypts; without the figure, one per call", () => {
    const busy = { ...wm, registryListsPerStaffDay: 150 };
    expect(find(bill(busy, logged, full, d, { times: timesWith(7) }).lines, "KMS", "requests").quantity).toBe(140);
    expect(find(bill(busy, logged, full, d, { times: timesWith(undefined) }).lines, "KMS", "requests").quantity).toBe(30_000);
    // never more than the calls: 2,000 cold starts a day against 30,000 calls a month
    expect(find(bill(busy, logged, full, d, { times: timesWith(2000) }).lines, "KMS", "requests").quantity).toBe(30_000);
  });
});
