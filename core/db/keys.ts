/**
 * Every key of the one table is built here and nowhere else (see docs/data-model.md).
 * Key case is kept exactly as written.
 *
 * Named exports, imported as a namespace (`import * as keys from "./keys.ts"`, call sites read `keys.unit(id)`), so a
 * bundle carries only the keys its code uses (#15: −5…−8 KB per function against one exported object).
 * `case` is a reserved word, hence `case_` exported as `case`.
 */
export const meta = "META";

export const unit = (id: string) => ({ pk: `UNIT#${id}`, sk: "META" });
export const unitCode = (code: string) => ({ pk: `UNITCODE#${code}`, sk: "META" });
/** gsi1: the whole tree ordered by materialized path (subtree = begins_with(path)) */
export const unitTree = (path: string) => ({ gsi1pk: "UNITS", gsi1sk: path });
/** gsi2: children of a unit ordered by code */
export const unitChild = (parentId: string, code: string) => ({ gsi2pk: `CHILDREN#${parentId}`, gsi2sk: code });
/** gsi3: every unit ordered by code (search by code prefix) */
export const unitByCode = (code: string) => ({ gsi3pk: "UNITCODES", gsi3sk: code });

export const user = (id: string) => ({ pk: `USER#${id}`, sk: "META" });
export const username = (name: string) => ({ pk: `USERNAME#${name}`, sk: "META" });
export const userList = (username: string) => ({ gsi1pk: "USERS", gsi1sk: username });
/** one row per role assignment, to find the active staff of a unit */
export const staff = (userId: string, role: string, unitId: string) => ({ pk: `USER#${userId}`, sk: `ROLE#${role}#${unitId}` });
export const staffOfUnit = (unitId: string, userId: string) => ({ gsi2pk: `STAFF#${unitId}`, gsi2sk: userId });
/** the handover of a leaving user's work (人走机留, core/user/handover.ts): its job and state */
export const userHandover = (userId: string) => ({ pk: `USER#${userId}`, sk: "HANDOVER" });

export const refreshToken = (hash: string) => ({ pk: `REFRESH#${hash}`, sk: "META" });
/** a refresh-token family revoked because one of its rotated tokens was used again */
export const refreshFamily = (family: string) => ({ pk: `REFRESHFAM#${family}`, sk: "REVOKED" });

export const apiKey = (hash: string) => ({ pk: `APIKEY#${hash}`, sk: "META" });
export const apiKeyList = (createdAt: string, id: string) => ({ gsi1pk: "APIKEYS", gsi1sk: `${createdAt}#${id}` });
export const apiKeyById = (id: string) => ({ gsi2pk: `APIKEYID#${id}`, gsi2sk: "META" });

/** one slot of a rolling rate window (core/ratelimit/window.ts); slot start in ms, zero-padded */
export const rateSlot = (bucket: string, slotStart: string) => ({ pk: `RATE#${bucket}`, sk: `SLOT#${slotStart}` });

export const job = (id: string) => ({ pk: `JOB#${id}`, sk: "META" });
export const jobList = (createdAt: string, id: string) => ({ gsi1pk: "JOBS", gsi1sk: `${createdAt}#${id}` });
/** Idempotency-Key of a job-creating request, per caller → the job it created */
export const jobIdempotency = (callerId: string, key: string) => ({ pk: `JOBIDEM#${callerId}#${key}`, sk: "META" });

export const audit = (month: string, id: string) => ({ pk: `AUDIT#${month}`, sk: id });
/** a month that has (or had) audit rows (core/audit/marks.ts), all in one partition: the daily retention reads them with one Query */
export const auditMonthMark = (month: string) => ({ pk: "AUDITMONTHS", sk: `AUDITMONTH#${month}` });
/** when the audit retention last probed every look-back month (the weekly safety net for a lost month marker) */
export const auditFullProbe = () => ({ pk: "AUDITMONTHS", sk: "FULLPROBE" });

/** county configuration: settings and the current working calendar */
export const settings = () => ({ pk: "CONFIG", sk: "SETTINGS" });
export const calendar = () => ({ pk: "CONFIG", sk: "CALENDAR" });
/** a counter bumped in the same transaction as every write of a collection the case loop caches (categories, departments; #16) */
export const configVersion = (collection: "categories" | "departments" | "staff") => ({ pk: "CONFIG", sk: `VERSION#${collection}` });
/** every saved calendar version, its own item (sk sorts by version) */
export const calendarVersion = (version: number) => ({ pk: "CALENDAR", sk: `V#${String(version).padStart(10, "0")}` });

export const department = (id: string) => ({ pk: `DEPT#${id}`, sk: "META" });
/** bumped by every case commit that gives the department a case; a deactivation requires it unchanged */
export const departmentAssignSeq = (id: string) => ({ pk: `DEPT#${id}`, sk: "ASSIGNSEQ" });
export const departmentCode = (code: string) => ({ pk: `DEPTCODE#${code}`, sk: "META" });
/** gsi1: every department ordered by code */
export const departmentList = (code: string) => ({ gsi1pk: "DEPTS", gsi1sk: code });

export const category = (id: string) => ({ pk: `CAT#${id}`, sk: "META" });
export const categoryCode = (code: string) => ({ pk: `CATCODE#${code}`, sk: "META" });
/** gsi1: every category ordered by code */
export const categoryList = (code: string) => ({ gsi1pk: "CATS", gsi1sk: code });
/** gsi2: the categories under a parent (`ROOT` for the top level) ordered by code */
export const categoryChild = (parentId: string | null, code: string) => ({ gsi2pk: `CATCHILDREN#${parentId ?? "ROOT"}`, gsi2sk: code });

export const case_ = (id: string) => ({ pk: `CASE#${id}`, sk: "META" });
/** a closed case whose attachments the retention job deleted (core/case/attachment-retention.ts) */
export const caseAttachmentsExpired = (id: string) => ({ pk: `CASE#${id}`, sk: "ATTACHEXPIRED" });
/** how far a retention sweep got (e.g. the last closed-case month fully processed) */
export const retentionMark = (name: string) => ({ pk: "RETENTION", sk: name });
/** gsi1: open cases by unit path (subtree = begins_with), closed ones by month */
export const caseByUnit = (open: boolean, closedMonth: string, unitPath: string, createdAt: string, id: string) => ({
  gsi1pk: open ? "CASES#OPEN" : `CASES#CLOSED#${closedMonth}`,
  gsi1sk: `${unitPath}${createdAt}#${id}`,
});
/** gsi2: cases by state, newest last */
export const caseByState = (state: string, createdAt: string, id: string) => ({ gsi2pk: `CASES#STATE#${state}`, gsi2sk: `${createdAt}#${id}` });
/** gsi3: cases owned by a department (or unit/user) */
export const caseByOwner = (ownerKind: string, ownerId: string, createdAt: string, id: string) => ({ gsi3pk: `CASES#OWNER#${ownerKind}#${ownerId}`, gsi3sk: `${createdAt}#${id}` });

/** timeline: one item per event, ordered by version then sequence */
export const caseEvent = (caseId: string, version: number, seq: number) => ({ pk: `CASE#${caseId}`, sk: `EV#${String(version).padStart(6, "0")}#${String(seq).padStart(2, "0")}` });
export const caseEventPrefix = "EV#";
/** the case's one active deadline timer; gsi1 orders due timers per shard */
export const caseTimer = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: "TIMER" });
export const timerDue = (shard: number, dueAt: string, caseId: string) => ({ gsi1pk: `TIMERS#${shard}`, gsi1sk: `${dueAt}#${caseId}` });
/** the timer sweep's watermark per shard: the gsi1sk of the last timer it sent (core/timer/repo.ts) */
export const timerSweepCursor = (shard: number) => ({ pk: "SWEEP#timers", sk: `shard#${shard}` });
/** outbox rows: domain events waiting to be published to SQS (deleted once sent) */
export const outbox = (shard: number, at: string, eventId: string) => ({ pk: `OUTBOX#${shard}`, sk: `${at}#${eventId}` });
/** idempotency record of a request (Idempotency-Key), per caller */
export const idempotency = (callerId: string, key: string) => ({ pk: `IDEM#${callerId}#${key}`, sk: "META" });
/** yearly case number counter */
export const caseCounter = (year: string) => ({ pk: `COUNTER#case#${year}`, sk: "META" });
/** every case a reporter (resident, user, partner key) reported, newest last — "my cases" */
export const caseByReporter = (kind: string, id: string, createdAt: string, caseId: string) => ({ pk: `REPORTER#${kind}#${id}`, sk: `${createdAt}#${caseId}` });
/** open cases near a place (geohash cell), for duplicate hints */
export const caseNear = (cell: string, createdAt: string, caseId: string) => ({ pk: `NEAR#${cell}`, sk: `${createdAt}#${caseId}` });
/** consumer idempotency marks: an event id processed by a consumer */
export const processed = (consumer: string, eventId: string) => ({ pk: `DONE#${consumer}#${eventId}`, sk: "META" });

/** partner webhook subscriptions; gsi1: all, newest first; gsi2: only the active ones (sparse, removed when inactive) */
export const webhook = (id: string) => ({ pk: `WEBHOOK#${id}`, sk: "META" });
export const webhookList = (createdAt: string, id: string) => ({ gsi1pk: "WEBHOOKS", gsi1sk: `${createdAt}#${id}` });
export const webhookActive = (id: string) => ({ gsi2pk: "WEBHOOKS#ACTIVE", gsi2sk: id });
/** one delivery (id `${subscriptionId}:${eventId}`); gsi1: a subscription's delivery log, newest first */
export const webhookDelivery = (deliveryId: string) => ({ pk: `WHDELIVERY#${deliveryId}`, sk: "META" });
export const webhookDeliveryLog = (subscriptionId: string, createdAt: string, eventId: string) => ({ gsi1pk: `WHDELIVERIES#${subscriptionId}`, gsi1sk: `${createdAt}#${eventId}` });

/** residents (registered by phone through a grid QR code); the phone is only ever an HMAC hash */
export const resident = (id: string) => ({ pk: `RESIDENT#${id}`, sk: "META" });
/** unique phone → resident reference (created with attribute_not_exists) */
export const residentPhone = (phoneHash: string) => ({ pk: `RESPHONE#${phoneHash}`, sk: "META" });
/** WeChat identity (HMAC of the county app's unionid, else openid) → resident reference (core/resident/wechat.ts) */
export const residentWechat = (idHash: string) => ({ pk: `RESWECHAT#${idHash}`, sk: "META" });
/** residents by when they were last seen (sparse on gsi1): the retention job reads those unseen too long */
export const residentSeen = (lastSeenAt: string, id: string) => ({ gsi1pk: "RESIDENTS#SEEN", gsi1sk: `${lastSeenAt}#${id}` });
/** the pending SMS code of a phone (expires by TTL) */
export const residentCode = (phoneHash: string) => ({ pk: `RESCODE#${phoneHash}`, sk: "META" });
/** a resident refresh token, by its SHA-256 hash (single use, expires by TTL) */
export const residentRefresh = (tokenHash: string) => ({ pk: `RESREFRESH#${tokenHash}`, sk: "META" });

/** Open311 details of a case reported through GeoReport v2 (media_url, account_id, masked contact) */
export const open311Extras = (caseId: string) => ({ pk: `O311#${caseId}`, sk: "META" });
/** Open311 service request updates feed: public timeline events by UTC day, time-ordered */
export const open311Update = (day: string, at: string, eventId: string) => ({ pk: `O311FEED#${day}`, sk: `${at}#${eventId}` });

// ── registry (docs/registry.md): households, people, places, key lists; personal fields sealed ──
export const household = (id: string) => ({ pk: `HOUSEHOLD#${id}`, sk: "META" });
/** gsi1: households by unit path (subtree = begins_with(path)) */
export const householdList = (unitPath: string, id: string) => ({ gsi1pk: "HOUSEHOLDS", gsi1sk: `${unitPath}#${id}` });
export const person = (id: string) => ({ pk: `PERSON#${id}`, sk: "META" });
/** gsi1: people by unit path, then household (`-` when none): a household's members are one prefix */
export const personList = (unitPath: string, householdId: string | null, id: string) => ({ gsi1pk: "PEOPLE", gsi1sk: `${unitPath}#${householdId ?? "-"}#${id}` });
/** gsi2: a person by the blind index (keyed HMAC) of their ID number; never the number itself */
export const personByIdHash = (hash: string, id: string) => ({ gsi2pk: `IDHASH#${hash}`, gsi2sk: `person#${id}` });
/** one ID number, one person: unique reference by blind index */
export const personIdRef = (hash: string) => ({ pk: `IDREF#${hash}`, sk: "META" });
/** gsi3: households, people and places by the blind index of a phone number */
export const byPhoneHash = (hash: string, entity: string, id: string) => ({ gsi3pk: `PHONEHASH#${hash}`, gsi3sk: `${entity}#${id}` });
/** distinct records of one community revealed on one county day (core/registry/unit-quota.ts; expires by TTL) */
export const revealUnitDay = (unitId: string, day: string) => ({ pk: `QUOTA#REVEALUNIT#${unitId}`, sk: `DAY#${day}` });
/** one alert per quota, subject and county day (core/registry/quota-alert.ts; expires by TTL) */
export const quotaAlert = (quota: string, subject: string, day: string) => ({ pk: `QUOTA#ALERT#${quota}#${subject}`, sk: `DAY#${day}` });
/** people marked as moved away, by when (the retention job reads those older than privacy.movedAwayRetentionDays) */
export const movedAway = (at: string, personId: string) => ({ pk: "REGISTRY#MOVEDAWAY", sk: `${at}#${personId}` });
export const place = (id: string) => ({ pk: `PLACE#${id}`, sk: "META" });
export const placeList = (unitPath: string, id: string) => ({ gsi1pk: "PLACES", gsi1sk: `${unitPath}#${id}` });
export const keyEntry = (id: string) => ({ pk: `KEYENTRY#${id}`, sk: "META" });
/** gsi1: one list (people|places|matters) by unit path */
export const keyEntryList = (list: string, unitPath: string, id: string) => ({ gsi1pk: `KEYLIST#${list}`, gsi1sk: `${unitPath}#${id}` });
/** gsi2: the entries a worker is responsible for */
export const keyEntryByResponsible = (userId: string, list: string, id: string) => ({ gsi2pk: `KEYLIST#RESP#${userId}`, gsi2sk: `${list}#${id}` });
/** gsi3: the entries about one person or place */
export const keyEntryBySubject = (subjectId: string, id: string) => ({ gsi3pk: `KEYLIST#SUBJ#${subjectId}`, gsi3sk: id });
/** wrapped data keys of field encryption, and the pointer to the current / search version */
export const dataKey = (version: number) => ({ pk: "CRYPTO", sk: `DATAKEY#${String(version).padStart(6, "0")}` });
export const dataKeyPointer = () => ({ pk: "CRYPTO", sk: "CURRENT" });

// ── duties: visits, patrols, tasks ──
export const dutyConfig = () => ({ pk: "CONFIG", sk: "DUTIES" });
/** a household's visit state; gsi2 orders a class's households by last visit (overdue = sk < cutoff) */
export const visitState = (householdId: string) => ({ pk: `HOUSEHOLD#${householdId}`, sk: "VISITSTATE" });
export const visitDue = (householdClass: string, lastAt: string, householdId: string) => ({ gsi2pk: `VISITCLASS#${householdClass}`, gsi2sk: `${lastAt}#${householdId}` });
export const visit = (householdId: string, at: string, id: string) => ({ pk: `HOUSEHOLD#${householdId}`, sk: `VISIT#${at}#${id}` });
export const visitPrefix = "VISIT#";
/** gsi1: a worker's visits, newest last */
export const visitByWorker = (userId: string, at: string, id: string) => ({ gsi1pk: `VISITS#${userId}`, gsi1sk: `${at}#${id}` });
export const patrol = (id: string) => ({ pk: `PATROL#${id}`, sk: "META" });
export const patrolByUser = (userId: string, startedAt: string, id: string) => ({ gsi1pk: `PATROLS#${userId}`, gsi1sk: `${startedAt}#${id}` });
/** gsi2: every patrol of a county-local day, by worker */
export const patrolByDay = (date: string, userId: string, id: string) => ({ gsi2pk: `PATROLDAY#${date}`, gsi2sk: `${userId}#${id}` });
/** gsi3: every patrol walked in a grid, whoever walked it (a unit move re-paths them by grid) */
export const patrolByUnit = (unitId: string, startedAt: string, id: string) => ({ gsi3pk: `PATROLS#GRID#${unitId}`, gsi3sk: `${startedAt}#${id}` });
export const missedPatrol = (date: string, userId: string) => ({ pk: `MISSEDPATROL#${date}`, sk: userId });
export const dutyJobMark = (job: string) => ({ pk: "DUTYJOB", sk: job });
export const taskType = (id: string) => ({ pk: `TASKTYPE#${id}`, sk: "META" });
export const taskTypeCode = (code: string) => ({ pk: `TASKTYPECODE#${code}`, sk: "META" });
export const taskTypeList = (category: string, code: string) => ({ gsi1pk: "TASKTYPES", gsi1sk: `${category}#${code}` });
export const task = (id: string) => ({ pk: `TASK#${id}`, sk: "META" });
export const taskList = (createdAt: string, id: string) => ({ gsi1pk: "TASKS", gsi1sk: `${createdAt}#${id}` });
/** gsi2: tasks by state, by due time (overdue = state active and sk < now) */
export const taskByState = (state: string, dueAt: string, id: string) => ({ gsi2pk: `TASKS#STATE#${state}`, gsi2sk: `${dueAt}#${id}` });
export const taskByDepartment = (departmentId: string, createdAt: string, id: string) => ({ gsi3pk: `TASKS#DEPT#${departmentId}`, gsi3sk: `${createdAt}#${id}` });
export const taskUnit = (taskId: string, unitId: string) => ({ pk: `TASK#${taskId}`, sk: `UNIT#${unitId}` });
export const taskUnitPrefix = "UNIT#";
export const taskWorker = (taskId: string, userId: string) => ({ pk: `TASK#${taskId}`, sk: `WORKER#${userId}` });
export const taskByWorker = (userId: string, dueAt: string, taskId: string) => ({ gsi1pk: `TASKS#WORKER#${userId}`, gsi1sk: `${dueAt}#${taskId}` });
/** an in-app notification (same shape as core/notify/inbox.ts) */
export const inboxItem = (userId: string, at: string, id: string) => ({ pk: `INBOX#${userId}`, sk: `${at}#${id}` });

// ── exports with approval ──
export const exportRequest = (id: string) => ({ pk: `EXPORT#${id}`, sk: "META" });
export const exportList = (createdAt: string, id: string) => ({ gsi1pk: "EXPORTS", gsi1sk: `${createdAt}#${id}` });
export const exportByRequester = (userId: string, createdAt: string, id: string) => ({ gsi2pk: `EXPORTS#USER#${userId}`, gsi2sk: `${createdAt}#${id}` });

// ── appraisal (core/appraisal, core/indicator) ──
/** one result per subject and month; gsi1: a month's subjects of one kind best score first; gsi2: by unit path (departments: code) */
export const appraisal = (period: string, subject: string, id: string) => ({ pk: `APPR#${period}`, sk: `${subject}#${id}` });
export const appraisalByScore = (period: string, subject: string, scoreKey: string, id: string) => ({ gsi1pk: `APPR#${period}#${subject}`, gsi1sk: `${scoreKey}#${id}` });
export const appraisalByPlace = (period: string, subject: string, place: string, id: string) => ({ gsi2pk: `APPR#${period}#${subject}`, gsi2sk: `${place}#${id}` });
/**
 * a batch's score sheet: the score, band and grade of each subject of one batch (ids first..last) as one
 * run wrote it (a re-run writes its own), so next month's run reads last month's results in a few small
 * items and finalize finds ranks and leftovers
 */
export const appraisalSheet = (period: string, subject: string, firstId: string, runId: string) => ({ pk: `APPRSHEET#${period}`, sk: `${subject}#${firstId}#${runId}` });
/** the month's run (progress, rules used, lock); gsi1 lists runs by period */
export const appraisalRun = (period: string) => ({ pk: `APPRRUN#${period}`, sk: "META" });
export const appraisalRunList = (period: string) => ({ gsi1pk: "APPRRUNS", gsi1sk: period });
/** the current scoring rules, and every saved version */
export const scoringRules = () => ({ pk: "CONFIG", sk: "SCORING_RULES" });
export const scoringRulesVersion = (version: number) => ({ pk: "SCORINGRULES", sk: `V#${String(version).padStart(10, "0")}` });
/** external indicator definitions; gsi1 lists them by key */
export const indicatorDefinition = (key: string) => ({ pk: `INDDEF#${key}`, sk: "META" });
export const indicatorDefinitionList = (key: string) => ({ gsi1pk: "INDDEFS", gsi1sk: key });
/** external indicator values of one unit and month; gsi1 orders a month's units by path (subtree = begins_with) */
export const indicatorValues = (period: string, unitId: string) => ({ pk: `IND#${period}`, sk: unitId });
export const indicatorValuesByPath = (period: string, unitPath: string) => ({ gsi1pk: `IND#${period}`, gsi1sk: unitPath });
/** a grid worker's points: balance item and ledger entries sorted by month */
export const pointsBalance = (userId: string) => ({ pk: `POINTS#${userId}`, sk: "BALANCE" });
export const pointsEntry = (userId: string, period: string, kind: "earn" | "redeem", id: string) => ({ pk: `POINTS#${userId}`, sk: `E#${period}#${kind}#${id}` });
export const pointsEntryPrefix = "E#";

export const migration = (id: string) => ({ pk: "MIGRATION", sk: id });
export const seed = (name: string) => ({ pk: "SEED", sk: name });
export { case_ as case };
