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
  /** units free each month (only free tiers that do not expire after 12 months) */
  freeMonthly?: number;
  source: string;
  sourceDate?: string;
  /** date the source was read, when it differs from the list's `retrieved` */
  read?: string;
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
  /** write units AWS bills (computed from the items written: core/ops/cost/units.ts; transactional items at 2 per KB, index entries by projected size) */
  wcu: number;
  consumerEvents: number;
  consumerRcuPerEvent: number;
  consumerWcuPerEvent: number;
  /** ms the API call took, measured by the capacity bench (the handler behind the embedded stack's API, loopback HTTP included) */
  ms?: number;
  /** bytes its handlers log per call (a due timer: per timer), and per consumed event (bench/log-book.ts) */
  logBytes?: number;
  consumerLogBytesPerEvent?: number;
}
/** The log figures of the capacity bench (bench/log-book.ts, docs/cost.md "Logs"). */
export interface MeasuredLogs {
  /** Lambda's START/END/REPORT lines of one invocation (rendered in AWS's format) */
  platformBytesPerInvocation: number;
  /** the HTTP API's access line of one call (rendered from stacks/access-log.ts) */
  accessLogBytesPerCall: number;
  /** what a scheduled sweep with nothing to do logs of its own */
  scheduleRunLogBytes: number;
  /** stored bytes (gzip level 6 + 26 bytes per event) per ingested byte, measured on the bench's stream */
  storedPerRawByte: number;
}
export interface Measured {
  at: string;
  runs: number;
  operations: Record<string, MeasuredOp>;
  logs?: MeasuredLogs;
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
  /** partner apps' Open311 reads (one request's status) a day (ASSUMED: a partner follows each of its reports a few times) */
  partnerReadsPerDay: number;
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
  /** photos: uploads (S3 PUT) per case, and views (S3 GET) of each photo */
  photosPerCase: number;
  photoViewsPerPhoto: number;
  workingDaysPerMonth: number;
  /** registry size: households per micro-grid (DOMAIN.md: 5–10) and people per household */
  householdsPerMicroGrid: number;
  peoplePerHousehold: number;
  /** DynamoDB bytes kept per case (case item, timeline, comment, aggregates), per household and per person (ASSUMED, not measured) */
  bytesPerCase: number;
  bytesPerHousehold: number;
  bytesPerPerson: number;
  /** years of cases kept in the table */
  caseYearsKept: number;
  /**
   * CloudWatch Logs bytes per Lambda invocation (START/END/REPORT + our JSON lines) and per API access-log line, ASSUMED:
   * given, they replace the capacity bench's measured log figures (Measured.logs); the bill uses 1024 and 512 when
   * neither is there
   */
  logBytesPerInvocation?: number;
  accessLogBytesPerCall?: number;
}

export const REFERENCE_COUNTY: Workload = {
  microGrids: 6168,
  casesPerYear: 200_000,
  staff: 400,
  residentShare: 0.2,
  partnerShare: 0.05,
  partnerReadsPerDay: 200,
  commentsPerCase: 1,
  listPagesPerStaffDay: 20,
  registryListsPerStaffDay: 5,
  registrySearchesPerStaffDay: 1,
  dueTimersPerCase: 0.3,
  photoBytesPerCase: 2 * 400 * 1024,
  photosPerCase: 2,
  photoViewsPerPhoto: 3,
  workingDaysPerMonth: 22,
  householdsPerMicroGrid: 7.5,
  peoplePerHousehold: 3,
  bytesPerCase: 4096,
  bytesPerHousehold: 1024,
  bytesPerPerson: 1024,
  caseYearsKept: 1,
};

/** The log sizes assumed when neither the workload nor the capacity bench gives them. */
export const ASSUMED_LOG_BYTES = { perInvocation: 1024, perAccessLine: 512 } as const;

/** How many times each measured operation runs in a month of this workload. */
export function monthlyCounts(w: Workload): Record<string, number> {
  const cases = w.casesPerYear / 12;
  const staffDays = w.staff * w.workingDaysPerMonth;
  const actions = ["action: accept", "action: claim", "action: handle", "action: verify", "action: evaluate"];
  return {
    report: cases * (1 - w.residentShare - w.partnerShare),
    "resident report": cases * w.residentShare,
    "Open311 report (partner)": cases * w.partnerShare,
    "Open311 read (partner)": w.partnerReadsPerDay * 30,
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

const line = (list: PriceList, service: string, item: string, quantity: number, unit: string, key: string): Line => ({
  service,
  item,
  quantity,
  unit,
  cost: charge(list, key, quantity),
  source: list.prices[key]?.source,
});

const GIB = 2 ** 30;
/** The model's month (schedules, log retention). */
export const DAYS_PER_MONTH = 30;

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

/** Whether an operation is an API call (a due timer and the appraisal run are not: a schedule and the queues run them). */
const isApiCall = (op: string): boolean => !op.startsWith("due timer") && !op.startsWith("appraisal");

/** API calls a month (what reaches API Gateway and the API function). */
export function apiCalls(counts: Record<string, number>): number {
  return Object.entries(counts)
    .filter(([op]) => isApiCall(op))
    .reduce((s, [, n]) => s + n, 0);
}

/**
 * What the synthesized stacks deploy that costs money whether or not anyone uses it
 * (core/ops/cost/deployment.ts reads it from the definitions the stacks are built from;
 * deployment.test.ts checks it against the synthesized templates).
 */
export interface Deployment {
  /** CloudWatch alarms, standard resolution, one metric each */
  alarms: number;
  /** customer-managed KMS key-months billed to this county: 1 for its own key, 1/N of a key N county stacks share (WANGGE_REGISTRY_KEY_ARN) */
  kmsKeys: number;
  /** EventBridge schedule expressions (functions/schedules.ts) */
  schedules: string[];
  /** CloudWatch Logs retention of the function and API access logs */
  logRetentionDays: number;
  /** memory of every deployed function (sst.config.ts), what Lambda bills GB-seconds at */
  lambdaMemoryMb: number;
}

const DOW: Record<string, number> = { SUN: 1, MON: 2, TUE: 3, WED: 4, THU: 5, FRI: 6, SAT: 7 };

/** How many values a cron field selects (`*`, `5`, `1,15`, `1-5`, `*\/10`, `MON-FRI`, `L`). */
function fieldCount(field: string, size: number, lowest: number): number {
  if (field === "*" || field === "?") return size;
  return field.split(",").reduce((sum, part) => {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    const num = (t: string) => (t in DOW ? DOW[t] : Number(t));
    let from: number;
    let to: number;
    if (range === "*") [from, to] = [lowest, lowest + size - 1];
    else if (range === "L") [from, to] = [1, 1];
    else if (range.includes("-")) [from, to] = range.split("-").map(num) as [number, number];
    else [from, to] = stepText === undefined ? [num(range), num(range)] : [num(range), lowest + size - 1];
    if (![from, to, step].every(Number.isFinite) || step < 1 || to < from) throw new Error(`cron field "${field}" is not supported`);
    return sum + Math.floor((to - from) / step) + 1;
  }, 0);
}

/**
 * Invocations a (30-day) month of one EventBridge schedule expression: `rate(n unit)` or
 * `cron(min hour day-of-month month day-of-week year)` with month and year `*`. Throws on what it
 * cannot count rather than guessing.
 */
export function invocationsPerMonth(expression: string): number {
  const e = expression.trim();
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(e);
  if (rate) {
    const perDay = { minute: 24 * 60, hour: 24, day: 1 }[rate[2].replace(/s$/, "") as "minute" | "hour" | "day"];
    return (DAYS_PER_MONTH * perDay) / Number(rate[1]);
  }
  const cron = /^cron\((.+)\)$/.exec(e);
  const f = cron?.[1].trim().split(/\s+/);
  if (!f || f.length !== 6) throw new Error(`schedule expression "${expression}" is not supported`);
  const [minute, hour, dom, month, dow, year] = f;
  if (month !== "*" || year !== "*") throw new Error(`schedule expression "${expression}": only every month of every year is supported`);
  const perDay = fieldCount(minute, 60, 0) * fieldCount(hour, 24, 0);
  let days: number;
  if ((dom === "*" || dom === "?") && (dow === "*" || dow === "?")) days = DAYS_PER_MONTH;
  else if (dow === "*" || dow === "?") days = fieldCount(dom, DAYS_PER_MONTH, 1);
  else if (dom === "?") days = (fieldCount(dow, 7, 1) * DAYS_PER_MONTH) / 7;
  else throw new Error(`schedule expression "${expression}": day-of-month and day-of-week both set`);
  return perDay * days;
}

export const scheduledInvocations = (schedules: readonly string[]): number => schedules.reduce((s, x) => s + invocationsPerMonth(x), 0);

/** GB kept in the table: the registry (households, people) and `caseYearsKept` years of cases, at the assumed bytes per item. */
export function storedGb(w: Workload): number {
  const households = w.microGrids * w.householdsPerMicroGrid;
  return (households * (w.bytesPerHousehold + w.peoplePerHousehold * w.bytesPerPerson) + w.casesPerYear * w.caseYearsKept * w.bytesPerCase) / GIB;
}

/**
 * Lines that cost the same with or without traffic: the table's data (storage, PITR), the KMS
 * key, the alarms, the schedules (their EventBridge invocations and Lambda requests).
 */
function fixedLines(w: Workload, list: PriceList, d: Deployment): Line[] {
  const gb = storedGb(w);
  const scheduled = scheduledInvocations(d.schedules);
  return [
    line(list, "DynamoDB", "storage (ASSUMED bytes per case/household/person)", gb, "GB-month", "dynamodb.storageGbMonth"),
    line(list, "DynamoDB", "point-in-time recovery (table size)", gb, "GB-month", "dynamodb.pitrGbMonth"),
    line(list, "Lambda", `scheduled invocations (${d.schedules.length} schedules)`, scheduled, "requests", "lambda.request"),
    line(list, "EventBridge", "scheduled rule invocations", scheduled, "events", "eventbridge.scheduledRuleInvocation"),
    line(list, "KMS", d.kmsKeys < 1 ? `customer-managed key (registry field encryption), shared: 1/${Math.round(1 / d.kmsKeys)} of one` : "customer-managed key (registry field encryption)", d.kmsKeys, "key-months", "kms.keyMonth"),
    line(list, "CloudWatch", "alarms (standard resolution, one metric each)", d.alarms, "alarm-months", "cloudwatch.alarmMetricMonth"),
  ];
}

/** A month's logs: GB ingested, the share of it CloudWatch stores (compressed), and whether the sizes were measured. */
export interface LogVolume {
  ingestedGb: number;
  storedPerRawByte: number;
  measured: boolean;
}

/**
 * Log lines: GB ingested a month, and the GB-months kept at steady state (ingestion × retention ×
 * the stored share: archived data is billed gzip-compressed with 26 bytes per event, measured by the
 * capacity bench; 1, an upper bound, when the sizes are assumed).
 */
function logLines(list: PriceList, v: LogVolume, d: Deployment): Line[] {
  return [
    line(list, "CloudWatch", v.measured ? "logs ingested (measured lines + Lambda's and the access log's, rendered)" : "logs ingested (ASSUMED bytes per invocation and access-log line)", v.ingestedGb, "GB", "cloudwatch.logsIngestionGb"),
    line(list, "CloudWatch", `logs stored (${d.logRetentionDays} days retention, ${v.measured ? `compressed: ×${v.storedPerRawByte} measured` : "uncompressed"})`, (v.ingestedGb * v.storedPerRawByte * d.logRetentionDays) / DAYS_PER_MONTH, "GB-month", "cloudwatch.logsStorageGbMonth"),
  ];
}

/** The measured log figures, unless the workload gives sizes of its own (or the bench gave none). */
const measuredLogs = (w: Workload, m: Measured | undefined): MeasuredLogs | undefined => (w.logBytesPerInvocation === undefined && w.accessLogBytesPerCall === undefined ? m?.logs : undefined);

/**
 * A month's log volume. Measured: per operation, its calls' own lines + Lambda's lines per
 * invocation + an access line per API call, its consumed events' own lines + Lambda's per event
 * (one invocation per event, as the requests line counts them), each scheduled run's own lines +
 * Lambda's; an operation the bench logged nothing for (the appraisal run, once a month) counts
 * Lambda's lines only. Assumed: the workload's (or ASSUMED_LOG_BYTES') bytes per invocation and per
 * access line.
 */
export function logVolume(w: Workload, m: Measured | undefined, counts: Record<string, number>, scheduled: number): LogVolume {
  const logs = measuredLogs(w, m);
  if (!logs || !m) {
    const calls = apiCalls(counts);
    const events = Object.entries(counts).reduce((s, [op, n]) => s + n * (m?.operations[op]?.consumerEvents ?? 0), 0);
    const bytes = (calls + events + scheduled) * (w.logBytesPerInvocation ?? ASSUMED_LOG_BYTES.perInvocation) + calls * (w.accessLogBytesPerCall ?? ASSUMED_LOG_BYTES.perAccessLine);
    return { ingestedGb: bytes / GIB, storedPerRawByte: 1, measured: false };
  }
  let bytes = scheduled * (logs.scheduleRunLogBytes + logs.platformBytesPerInvocation);
  for (const [op, n] of Object.entries(counts)) {
    const o = m.operations[op];
    bytes += n * ((o?.logBytes ?? 0) + logs.platformBytesPerInvocation + (isApiCall(op) ? logs.accessLogBytesPerCall : 0));
    bytes += n * (o?.consumerEvents ?? 0) * ((o?.consumerLogBytesPerEvent ?? 0) + logs.platformBytesPerInvocation);
  }
  return { ingestedGb: bytes / GIB, storedPerRawByte: logs.storedPerRawByte, measured: true };
}

const total = (lines: Line[]) => lines.reduce((s, l) => s + (l.cost ?? 0), 0);

/**
 * Lambda times the benches measured, for the duration lines (GB-seconds at the deployed memory size):
 * the API calls' own times are in `Measured` (capacity bench); these come from the bundles bench
 * (bench/results/bundles.json: a consumer's warm one-message batch, a schedule's first run, each
 * function's cold init), the county-day bench (bench/results/county-day.json: cold starts of the area
 * functions in a working day) and the appraisal bench (bench/results/appraisal.json: a monthly run).
 */
export interface LambdaTimes {
  /** ms per consumed event (the events consumer) and per due timer (the timeouts consumer) */
  eventMs: number;
  timeoutMs: number;
  /** ms of one run of each schedule, with its expression (the first run: an upper bound for the warm ones) */
  schedules: Array<{ expression: string; ms: number; initMs: number }>;
  /** cold starts of the area functions in one working day (area layout, containers reclaimed after 5 idle minutes) and their mean cold init, ms */
  apiColdStartsPerWorkingDay: number;
  apiInitMs: number;
  /**
   * cold starts of the registry's area function in one working day (the county-day simulation, whose day holds about
   * the requests of the model's working day): each unwraps the registry's data key once (KMS Decrypt;
   * core/crypto/keyring.ts keeps it for the container's life)
   */
  registryColdStartsPerWorkingDay?: number;
  /** cold init of the events and timeouts consumers, ms */
  eventsInitMs: number;
  timeoutsInitMs: number;
  /** the monthly appraisal run: its wall time, ms, and the consumers that run its batches at once */
  appraisalRunMs: number;
  appraisalConsumers: number;
}

/** A consumer or schedule not run for this long is cold at its next run (the shortest reclaim the county-day bench models). */
export const RECLAIM_MINUTES = 5;
const MINUTES_A_MONTH = 30 * 24 * 60;

/**
 * Lambda's duration lines from measured times: API calls (each operation's measured time), queue
 * consumers (per event, per due timer), schedules (per run), the monthly appraisal run, and init
 * (billed since 2025): cold starts × the measured cold init. Cold starts: the area functions' from
 * the county-day simulation (per working day × working days); a consumer's at most one per
 * `RECLAIM_MINUTES` of a month and at most one per event (ASSUMED upper bound: its traffic is not
 * simulated); a schedule that runs less often than every `RECLAIM_MINUTES` cold at every run, one
 * that runs more often never. Operations without a measured time are named in `unmeasured`.
 */
export function lambdaDurationLines(w: Workload, m: Measured, list: PriceList, d: Deployment, t: LambdaTimes): { lines: Line[]; unmeasured: string[] } {
  const gb = d.lambdaMemoryMb / 1024;
  const gbs = (ms: number) => (ms / 1000) * gb;
  const counts = monthlyCounts(w);
  const unmeasured: string[] = [];
  let apiMs = 0;
  for (const [op, n] of Object.entries(counts)) {
    if (op.startsWith("due timer") || op.startsWith("appraisal")) continue;
    const ms = m.operations[op]?.ms;
    if (ms !== undefined) apiMs += n * ms;
    else if (n > 0) unmeasured.push(`${op} (duration)`);
  }
  const events = Object.entries(counts).reduce((s, [op, n]) => s + n * (m.operations[op]?.consumerEvents ?? 0), 0);
  const timers = counts["due timer (end to end)"] ?? 0;
  const consumerMs = events * t.eventMs + timers * (t.timeoutMs + t.eventMs);
  let scheduleMs = 0;
  let scheduleInitMs = 0;
  for (const s of t.schedules) {
    const runs = invocationsPerMonth(s.expression);
    scheduleMs += runs * s.ms;
    if (runs <= MINUTES_A_MONTH / RECLAIM_MINUTES) scheduleInitMs += runs * s.initMs;
  }
  const consumerCold = (n: number) => Math.min(n, MINUTES_A_MONTH / RECLAIM_MINUTES);
  const initMs = t.apiColdStartsPerWorkingDay * w.workingDaysPerMonth * t.apiInitMs + consumerCold(events + timers) * t.eventsInitMs + consumerCold(timers) * t.timeoutsInitMs + scheduleInitMs;
  const mb = d.lambdaMemoryMb;
  return {
    lines: [
      line(list, "Lambda", `duration: API calls (measured per operation, ${mb} MB)`, gbs(apiMs), "GB-s", "lambda.gbSecond"),
      line(list, "Lambda", `duration: queue consumers (measured per event and due timer, ${mb} MB)`, gbs(consumerMs), "GB-s", "lambda.gbSecond"),
      line(list, "Lambda", `duration: schedules (measured per run) and the appraisal run (× ${t.appraisalConsumers} consumers)`, gbs(scheduleMs + t.appraisalRunMs * t.appraisalConsumers), "GB-s", "lambda.gbSecond"),
      line(list, "Lambda", `init: cold starts × measured cold init (API: county-day simulation; consumers ≤ 1 per ${RECLAIM_MINUTES} min)`, gbs(initMs), "GB-s", "lambda.gbSecond"),
    ],
    unmeasured,
  };
}

/**
 * KMS requests: the registry's data key is unwrapped once per container (core/crypto/keyring.ts), so a
 * month's Decrypts are the registry function's cold starts (the county-day simulation's, a working day
 * × working days), never more than its calls; without that figure, one per registry call (an upper bound).
 * The exports consumer, the only other function with the key, runs exports the workload does not count.
 */
function kmsLine(list: PriceList, w: Workload, registryCalls: number, coldPerDay: number | undefined): Line {
  if (coldPerDay === undefined) return line(list, "KMS", "requests (≤ one Decrypt per registry call; really once per warm container)", registryCalls, "requests", "kms.request");
  return line(list, "KMS", "requests (one Decrypt per registry container: its cold starts, county-day)", Math.min(registryCalls, coldPerDay * w.workingDaysPerMonth), "requests", "kms.request");
}

/** The bill of a month: one line per service item, priced from `list`. */
export function bill(
  w: Workload,
  m: Measured,
  list: PriceList,
  d: Deployment,
  opts: { lambdaMsPerCall?: number; lambdaMemoryMb?: number; times?: LambdaTimes } = {},
): { lines: Line[]; total: number; photos: number | undefined; unmeasured: string[] } {
  const counts = monthlyCounts(w);
  const dyn = dynamoUnits(m, counts);
  const calls = apiCalls(counts);
  const events = Object.entries(counts).reduce((s, [op, n]) => s + n * (m.operations[op]?.consumerEvents ?? 0), 0);
  const registryCalls = (counts["registry list (50 households)"] ?? 0) + (counts["registry search (ID number)"] ?? 0);
  const photoUploads = (w.casesPerYear / 12) * w.photosPerCase;
  const lines: Line[] = [
    line(list, "DynamoDB", "on-demand reads (RRU billed, from measured items)", dyn.rru, "RRU", "dynamodb.readRequestUnit"),
    line(list, "DynamoDB", "on-demand writes (WRU billed, from measured items)", dyn.wru, "WRU", "dynamodb.writeRequestUnit"),
    line(list, "Lambda", "requests (API calls + one per consumed event)", calls + events, "requests", "lambda.request"),
    line(list, "API Gateway", "HTTP API requests (API calls)", calls, "requests", "apigateway.httpRequest"),
    line(list, "SQS", "requests (send + receive + delete per event)", events * 3, "requests", "sqs.request"),
    line(list, "S3", "PUT requests (photo uploads)", photoUploads, "requests", "s3.putRequest"),
    line(list, "S3", "GET requests (photo views, ASSUMED per photo)", photoUploads * w.photoViewsPerPhoto, "requests", "s3.getRequest"),
    kmsLine(list, w, registryCalls, opts.times?.registryColdStartsPerWorkingDay),
    ...fixedLines(w, list, d),
    ...logLines(list, logVolume(w, m, counts, scheduledInvocations(d.schedules)), d),
  ];
  const unmeasured = [...dyn.unmeasured];
  if (opts.lambdaMsPerCall !== undefined) {
    const gbs = ((calls + events) * opts.lambdaMsPerCall * (opts.lambdaMemoryMb ?? d.lambdaMemoryMb)) / 1000 / 1024;
    lines.push(line(list, "Lambda", `duration (ASSUMED ${opts.lambdaMsPerCall} ms at ${opts.lambdaMemoryMb ?? d.lambdaMemoryMb} MB, not measured)`, gbs, "GB-s", "lambda.gbSecond"));
  } else if (opts.times) {
    const duration = lambdaDurationLines(w, m, list, d, opts.times);
    lines.push(...duration.lines);
    unmeasured.push(...duration.unmeasured);
  } else unmeasured.push("Lambda duration and init (no bench results: run npm run bench -- bundles, county-day)");
  const photoGb = (w.casesPerYear * w.photoBytesPerCase) / GIB; // a year of photos kept
  const photos = charge(list, "s3.storageGbMonth", photoGb);
  return { lines, total: total(lines), photos, unmeasured };
}

/**
 * A county with no traffic: its data stays (storage, PITR), the KMS key, the alarms and the
 * schedules of functions/schedules.ts run (EventBridge, Lambda requests, their logs). What the
 * empty sweeps read and the queues' empty long polls are not measured and not included.
 */
export function idle(w: Workload, list: PriceList, d: Deployment, m?: Measured): { lines: Line[]; total: number } {
  const lines = [...fixedLines(w, list, d), ...logLines(list, logVolume(w, m, {}, scheduledInvocations(d.schedules)), d)];
  return { lines, total: total(lines) };
}

/** Targets of issue #16, in USD: the reference county ≤ $5 a month excluding photos, idle ≤ $1. */
export const TARGETS_USD = { county: 5, idle: 1 } as const;

/**
 * A total against its target: "not met" as soon as the priced lines exceed it (unpriced lines
 * only add); "met" only when every line is priced; otherwise "undetermined".
 */
export function verdict(lines: Line[], target: number): "met" | "not met" | "undetermined" {
  if (total(lines) > target) return "not met";
  return lines.some((l) => l.cost === undefined) ? "undetermined" : "met";
}
