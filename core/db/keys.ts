/**
 * Every key of the one table is built here and nowhere else (see docs/data-model.md).
 * Key case is kept exactly as written.
 */
export const keys = {
  meta: "META",

  unit: (id: string) => ({ pk: `UNIT#${id}`, sk: "META" }),
  unitCode: (code: string) => ({ pk: `UNITCODE#${code}`, sk: "META" }),
  /** gsi1: the whole tree ordered by materialized path (subtree = begins_with(path)) */
  unitTree: (path: string) => ({ gsi1pk: "UNITS", gsi1sk: path }),
  /** gsi2: children of a unit ordered by code */
  unitChild: (parentId: string, code: string) => ({ gsi2pk: `CHILDREN#${parentId}`, gsi2sk: code }),
  /** gsi3: every unit ordered by code (search by code prefix) */
  unitByCode: (code: string) => ({ gsi3pk: "UNITCODES", gsi3sk: code }),

  user: (id: string) => ({ pk: `USER#${id}`, sk: "META" }),
  username: (name: string) => ({ pk: `USERNAME#${name}`, sk: "META" }),
  userList: (username: string) => ({ gsi1pk: "USERS", gsi1sk: username }),
  /** one row per role assignment, to find the active staff of a unit */
  staff: (userId: string, role: string, unitId: string) => ({ pk: `USER#${userId}`, sk: `ROLE#${role}#${unitId}` }),
  staffOfUnit: (unitId: string, userId: string) => ({ gsi2pk: `STAFF#${unitId}`, gsi2sk: userId }),

  refreshToken: (hash: string) => ({ pk: `REFRESH#${hash}`, sk: "META" }),

  apiKey: (hash: string) => ({ pk: `APIKEY#${hash}`, sk: "META" }),
  apiKeyList: (createdAt: string, id: string) => ({ gsi1pk: "APIKEYS", gsi1sk: `${createdAt}#${id}` }),
  apiKeyById: (id: string) => ({ gsi2pk: `APIKEYID#${id}`, gsi2sk: "META" }),

  rateWindow: (bucket: string, window: string) => ({ pk: `RATE#${bucket}`, sk: window }),

  job: (id: string) => ({ pk: `JOB#${id}`, sk: "META" }),
  jobList: (createdAt: string, id: string) => ({ gsi1pk: "JOBS", gsi1sk: `${createdAt}#${id}` }),

  audit: (month: string, id: string) => ({ pk: `AUDIT#${month}`, sk: id }),

  /** county configuration: settings and the current working calendar */
  settings: () => ({ pk: "CONFIG", sk: "SETTINGS" }),
  calendar: () => ({ pk: "CONFIG", sk: "CALENDAR" }),
  /** every saved calendar version, its own item (sk sorts by version) */
  calendarVersion: (version: number) => ({ pk: "CALENDAR", sk: `V#${String(version).padStart(10, "0")}` }),

  department: (id: string) => ({ pk: `DEPT#${id}`, sk: "META" }),
  departmentCode: (code: string) => ({ pk: `DEPTCODE#${code}`, sk: "META" }),
  /** gsi1: every department ordered by code */
  departmentList: (code: string) => ({ gsi1pk: "DEPTS", gsi1sk: code }),

  category: (id: string) => ({ pk: `CAT#${id}`, sk: "META" }),
  categoryCode: (code: string) => ({ pk: `CATCODE#${code}`, sk: "META" }),
  /** gsi1: every category ordered by code */
  categoryList: (code: string) => ({ gsi1pk: "CATS", gsi1sk: code }),
  /** gsi2: the categories under a parent (`ROOT` for the top level) ordered by code */
  categoryChild: (parentId: string | null, code: string) => ({ gsi2pk: `CATCHILDREN#${parentId ?? "ROOT"}`, gsi2sk: code }),

  case: (id: string) => ({ pk: `CASE#${id}`, sk: "META" }),
  /** gsi1: open cases by unit path (subtree = begins_with), closed ones by month */
  caseByUnit: (open: boolean, closedMonth: string, unitPath: string, createdAt: string, id: string) => ({
    gsi1pk: open ? "CASES#OPEN" : `CASES#CLOSED#${closedMonth}`,
    gsi1sk: `${unitPath}${createdAt}#${id}`,
  }),
  /** gsi2: cases by state, newest last */
  caseByState: (state: string, createdAt: string, id: string) => ({ gsi2pk: `CASES#STATE#${state}`, gsi2sk: `${createdAt}#${id}` }),
  /** gsi3: cases owned by a department (or unit/user) */
  caseByOwner: (ownerKind: string, ownerId: string, createdAt: string, id: string) => ({ gsi3pk: `CASES#OWNER#${ownerKind}#${ownerId}`, gsi3sk: `${createdAt}#${id}` }),

  /** timeline: one item per event, ordered by version then sequence */
  caseEvent: (caseId: string, version: number, seq: number) => ({ pk: `CASE#${caseId}`, sk: `EV#${String(version).padStart(6, "0")}#${String(seq).padStart(2, "0")}` }),
  caseEventPrefix: "EV#",
  /** the case's one active deadline timer; gsi1 orders due timers per shard */
  caseTimer: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: "TIMER" }),
  timerDue: (shard: number, dueAt: string, caseId: string) => ({ gsi1pk: `TIMERS#${shard}`, gsi1sk: `${dueAt}#${caseId}` }),
  /** outbox rows: domain events waiting to be published to SQS (deleted once sent) */
  outbox: (shard: number, at: string, eventId: string) => ({ pk: `OUTBOX#${shard}`, sk: `${at}#${eventId}` }),
  /** idempotency record of a request (Idempotency-Key), per caller */
  idempotency: (callerId: string, key: string) => ({ pk: `IDEM#${callerId}#${key}`, sk: "META" }),
  /** yearly case number counter */
  caseCounter: (year: string) => ({ pk: `COUNTER#case#${year}`, sk: "META" }),
  /** open cases near a place (geohash cell), for duplicate hints */
  caseNear: (cell: string, createdAt: string, caseId: string) => ({ pk: `NEAR#${cell}`, sk: `${createdAt}#${caseId}` }),
  /** consumer idempotency marks: an event id processed by a consumer */
  processed: (consumer: string, eventId: string) => ({ pk: `DONE#${consumer}#${eventId}`, sk: "META" }),

  migration: (id: string) => ({ pk: "MIGRATION", sk: id }),
  seed: (name: string) => ({ pk: "SEED", sk: name }),
} as const;
