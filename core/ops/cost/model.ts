/**
 * The monthly bill of a county (docs/cost.md): measured DynamoDB units per operation
 * (core/ops/cost/measured.json, written by `npm run bench -- capacity --md`) × the county's
 * operation counts × a price list (prices.<region>.json, each price with its source). Pure
 * arithmetic, no AWS calls: `npm run cost` runs offline. A price the list does not have is never
 * guessed: its line is reported as missing and left out of the total.
 */

export interface Price {
  /** price per `per` units */
  price: number;
  per: number;
  /** units free each month */
  freeMonthly?: number;
  source: string;
  sourceDate?: string;
  quote: string;
}
export interface PriceList {
  region: string;
  currency: string;
  retrieved: string;
  prices: Record<string, Price>;
  missing: string[];
}
export interface MeasuredOp {
  requests: number;
  rcu: number;
  /** billed write units (transactional items at 2) */
  wcu: number;
  consumerEvents: number;
  consumerRcuPerEvent: number;
  consumerWcuPerEvent: number;
}
export interface Measured {
  at: string;
  runs: number;
  operations: Record<string, MeasuredOp>;
}

/** A county's workload, as a few numbers (the reference county: 6,168 micro-grids, 200,000 cases a year). */
export interface Workload {
  microGrids: number;
  casesPerYear: number;
  /** staff using the console on a working day */
  staff: number;
  /** shares of cases reported by residents and by partner apps (Open311); the rest by grid workers */
  residentShare: number;
  partnerShare: number;
  /** per case: comments, and reads of the case (one before each action) */
  commentsPerCase: number;
  /** per staff member per working day: case list pages, registry list pages, registry searches */
  listPagesPerStaffDay: number;
  registryListsPerStaffDay: number;
  registrySearchesPerStaffDay: number;
  /** deadline timers that fire (the case was late) per case */
  dueTimersPerCase: number;
  /** photos: stored bytes per case (the photo line is shown apart, the targets exclude it) */
  photoBytesPerCase: number;
  workingDaysPerMonth: number;
}

export const REFERENCE_COUNTY: Workload = {
  microGrids: 6168,
  casesPerYear: 200_000,
  staff: 400,
  residentShare: 0.2,
  partnerShare: 0.05,
  commentsPerCase: 1,
  listPagesPerStaffDay: 20,
  registryListsPerStaffDay: 5,
  registrySearchesPerStaffDay: 1,
  dueTimersPerCase: 0.3,
  photoBytesPerCase: 2 * 400 * 1024,
  workingDaysPerMonth: 22,
};

/** How many times each measured operation runs in a month of this workload. */
export function monthlyCounts(w: Workload): Record<string, number> {
  const cases = w.casesPerYear / 12;
  const staffDays = w.staff * w.workingDaysPerMonth;
  const actions = ["action: accept", "action: claim", "action: handle", "action: verify", "action: evaluate"];
  return {
    report: cases * (1 - w.residentShare - w.partnerShare),
    "resident report": cases * w.residentShare,
    "Open311 report (partner)": cases * w.partnerShare,
    ...Object.fromEntries(actions.map((a) => [a, cases])),
    comment: cases * w.commentsPerCase,
    "read (case + timeline)": cases * (actions.length + w.commentsPerCase),
    "list (50 per page)": staffDays * w.listPagesPerStaffDay,
    "registry list (50 households)": staffDays * w.registryListsPerStaffDay,
    "registry search (ID number)": staffDays * w.registrySearchesPerStaffDay,
    "due timer (end to end)": cases * w.dueTimersPerCase,
    "appraisal monthly run": 1,
  };
}

export interface Line {
  service: string;
  item: string;
  quantity: number;
  unit: string;
  /** undefined: no price in the list (left out of the total) */
  cost: number | undefined;
  source?: string;
}

const charge = (list: PriceList, key: string, quantity: number): number | undefined => {
  const p = list.prices[key];
  if (!p) return undefined;
  return (Math.max(0, quantity - (p.freeMonthly ?? 0)) / p.per) * p.price;
};

/** DynamoDB request units of a month: per operation, the API call plus its events' consumers. */
export function dynamoUnits(m: Measured, counts: Record<string, number>): { rru: number; wru: number; requests: number; unmeasured: string[] } {
  let rru = 0;
  let wru = 0;
  let requests = 0;
  const unmeasured: string[] = [];
  for (const [op, n] of Object.entries(counts)) {
    const o = m.operations[op];
    if (!o) {
      unmeasured.push(op);
      continue;
    }
    rru += n * (o.rcu + o.consumerEvents * o.consumerRcuPerEvent);
    wru += n * (o.wcu + o.consumerEvents * o.consumerWcuPerEvent);
    requests += n * o.requests;
  }
  return { rru, wru, requests, unmeasured };
}

/** API calls a month (what reaches API Gateway and the API function). */
export function apiCalls(counts: Record<string, number>): number {
  return Object.entries(counts)
    .filter(([op]) => !op.startsWith("due timer") && !op.startsWith("appraisal"))
    .reduce((s, [, n]) => s + n, 0);
}

/** The bill of a month: one line per service item, priced from `list`. */
export function bill(w: Workload, m: Measured, list: PriceList, opts: { lambdaMsPerCall?: number; lambdaMemoryMb?: number } = {}): { lines: Line[]; total: number; photos: number | undefined; unmeasured: string[] } {
  const counts = monthlyCounts(w);
  const d = dynamoUnits(m, counts);
  const calls = apiCalls(counts);
  const events = Object.entries(counts).reduce((s, [op, n]) => s + n * (m.operations[op]?.consumerEvents ?? 0), 0);
  const src = (k: string) => list.prices[k]?.source;
  const lines: Line[] = [
    { service: "DynamoDB", item: "on-demand reads (measured RRU)", quantity: d.rru, unit: "RRU", cost: charge(list, "dynamodb.readRequestUnit", d.rru), source: src("dynamodb.readRequestUnit") },
    { service: "DynamoDB", item: "on-demand writes (measured WRU, transactions at 2/item)", quantity: d.wru, unit: "WRU", cost: charge(list, "dynamodb.writeRequestUnit", d.wru), source: src("dynamodb.writeRequestUnit") },
    { service: "Lambda", item: "requests (API calls + one per consumed event)", quantity: calls + events, unit: "requests", cost: charge(list, "lambda.request", calls + events), source: src("lambda.request") },
    { service: "SQS", item: "requests (send + receive + delete per event)", quantity: events * 3, unit: "requests", cost: charge(list, "sqs.request", events * 3), source: src("sqs.request") },
  ];
  if (opts.lambdaMsPerCall !== undefined) {
    const gbs = ((calls + events) * opts.lambdaMsPerCall * (opts.lambdaMemoryMb ?? 512)) / 1000 / 1024;
    lines.push({ service: "Lambda", item: `duration (ASSUMED ${opts.lambdaMsPerCall} ms at ${opts.lambdaMemoryMb ?? 512} MB, not measured)`, quantity: gbs, unit: "GB-s", cost: charge(list, "lambda.gbSecond", gbs), source: src("lambda.gbSecond") });
  }
  const photoGb = (w.casesPerYear * w.photoBytesPerCase) / 2 ** 30; // a year of photos kept
  const photos = charge(list, "s3.storageGbMonth", photoGb);
  const total = lines.reduce((s, l) => s + (l.cost ?? 0), 0);
  return { lines, total, photos, unmeasured: d.unmeasured };
}

/**
 * A county with no traffic (functions/schedules.ts): two schedules every minute (timer sweep,
 * outbox sweep), one monthly and three daily. Only their Lambda requests are priced here; what the
 * empty sweeps read, the queues' empty long polls, alarms, keys and log storage are named as
 * unpriced/unmeasured in the output, not guessed.
 */
export const IDLE_INVOCATIONS_PER_MONTH = 2 * 60 * 24 * 30 + 1 + 3 * 30;

export function idle(list: PriceList): { lines: Line[]; total: number } {
  const lines: Line[] = [{ service: "Lambda", item: "scheduled invocations (2 every minute, 3 daily, 1 monthly)", quantity: IDLE_INVOCATIONS_PER_MONTH, unit: "requests", cost: charge(list, "lambda.request", IDLE_INVOCATIONS_PER_MONTH), source: list.prices["lambda.request"]?.source }];
  return { lines, total: lines.reduce((s, l) => s + (l.cost ?? 0), 0) };
}
