import * as z from "zod/mini";
import type { RouteDoc } from "./registry.ts";
import {
  CreateHousehold,
  CreateKeyEntry,
  CreatePerson,
  CreatePlace,
  DeleteQuery,
  HouseholdQuery,
  KeyEntryQuery,
  PersonQuery,
  PlaceQuery,
  RevealInput,
  SearchInput,
  UpdateHousehold,
  UpdateKeyEntry,
  UpdatePerson,
  UpdatePlace,
} from "../registry/schema.ts";
import { DutyConfig, PutDutyConfig } from "../duty/config.ts";
import { EndPatrol, PatrolPoints, PatrolQuery, StartPatrol } from "../duty/patrols.ts";
import { Completion, Decision, Refusal, RequestTask, TaskQuery } from "../duty/tasks.ts";
import { CreateTaskType, TaskTypeQuery, UpdateTaskType } from "../duty/tasktypes.ts";
import { LogVisit, OverdueQuery, VisitPhotoQuery, VisitQuery } from "../duty/visits.ts";
import { ApproveExport, ExportQuery, RefuseExport, RequestExport } from "../export/schema.ts";
import { LocalDate } from "../registry/schema.ts";
import { Download, page } from "./shapes.ts";
import { RedriveInput } from "../ops/redrive.ts";
import { RepairRequest } from "../case/repair.ts";
import { OverviewQuery } from "../stats/overview.ts";

/** Approximate message counts of one SQS queue (core/ops/queues.ts). */
const QueueDepth = z.object({ visible: z.number().check(z.int()), inFlight: z.number().check(z.int()), delayed: z.number().check(z.int()) });

/**
 * Reference entries of the registry (台账), duties (visits, patrols, tasks), approved exports and
 * operations routes: the input schemas their services parse; responses listed by their main
 * fields (the services return TypeScript views without zod schemas, so the shapes allow more).
 */

const PAGE = "Pages: `limit` and the `nextCursor` of the previous page as `cursor`.";
const PROTECTED = "Identity numbers and phones are returned masked; `reveal` shows one in clear (audited, with a reason).";
const record = (extra: z.core.$ZodShape = {}) => z.looseObject({ id: z.string(), ...extra });
const versioned = record({ version: z.number().check(z.int()), createdAt: z.string(), updatedAt: z.string() });
/** core/registry/reveal.ts `Revealed`: each asked field in clear (null when the record has none). */
const Revealed = z.object({
  entity: z.enum(["person", "household", "place"]),
  id: z.string(),
  fields: z.record(z.string(), z.nullable(z.string())),
  purpose: z.string(),
  reason: z.string(),
  revealedAt: z.string(),
});

const registryEntity = (name: string, path: string, tag: string, create: z.ZodMiniType, update: z.ZodMiniType, query: z.ZodMiniObject<z.core.$ZodShape>): Record<string, RouteDoc> => ({
  [`GET ${path}`]: { summary: `List ${name}`, tag, description: `${PAGE} ${PROTECTED}`, query, response: page(versioned) },
  [`POST ${path}`]: { summary: `Register ${name === "people" ? "a person" : `a ${name.replace(/s$/, "")}`}`, tag, body: create, status: 201, response: versioned },
  [`GET ${path}/{id}`]: { summary: `Read one of the ${name}`, tag, description: PROTECTED, response: versioned },
  [`PATCH ${path}/{id}`]: { summary: `Update one of the ${name}`, tag, body: update, response: versioned },
  [`DELETE ${path}/{id}`]: { summary: `Delete one of the ${name}`, tag, query: DeleteQuery, status: 204 },
  [`POST ${path}/{id}/reveal`]: { summary: "Show a protected field in clear (audited)", tag, body: RevealInput, response: Revealed },
});

const Patrol = record({ userId: z.string(), unitId: z.string(), startedAt: z.string() });
const By = z.object({ id: z.string(), name: z.optional(z.string()) });
/** core/duty/tasks.ts `taskView`. */
const Task = record({
  typeId: z.string(),
  title: z.string(),
  departmentId: z.string(),
  requestedBy: By,
  targetUnitIds: z.array(z.string()),
  dueAt: z.string(),
  state: z.enum(["requested", "active", "done", "refused"]),
  totalUnits: z.number().check(z.int()),
  doneUnits: z.number().check(z.int()),
  lateUnits: z.number().check(z.int()),
  progress: z.object({ done: z.number().check(z.int()), total: z.number().check(z.int()), percent: z.number().check(z.int()) }),
  overdue: z.boolean(),
  late: z.boolean(),
  approvedBy: z.optional(By),
  approvedAt: z.optional(z.string()),
  refusedReason: z.optional(z.string()),
  completedAt: z.optional(z.string()),
  version: z.number().check(z.int()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** core/duty/tasks.ts `taskUnitView`: one grid of a task. */
const TaskUnit = z.looseObject({
    taskId: z.string(),
    unitId: z.string(),
    unitPath: z.string(),
    unitName: z.string(),
    unitCode: z.string(),
    assignees: z.array(z.string()),
    status: z.enum(["pending", "done"]),
    completedBy: z.optional(By),
    completedAt: z.optional(z.string()),
    data: z.optional(z.record(z.string(), z.unknown())),
    photos: z.optional(z.array(z.object({ key: z.string() }))),
    note: z.optional(z.string()),
    late: z.boolean(),
  });
/** core/export/schema.ts `ExportRequest`. */
const Export = record({
  dataset: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  fields: z.array(z.string()),
  purpose: z.string(),
  unmaskedRequested: z.array(z.string()),
  unmaskedApproved: z.array(z.string()),
  state: z.enum(["requested", "approved", "ready", "refused"]),
  requestedBy: By,
  decidedBy: z.optional(By),
  decidedAt: z.optional(z.string()),
  decisionNote: z.optional(z.string()),
  filename: z.optional(z.string()),
  rowCount: z.optional(z.number().check(z.int())),
  readyAt: z.optional(z.string()),
  downloads: z.number().check(z.int()),
  version: z.number().check(z.int()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const recordRouteDocs: Record<string, RouteDoc> = {
  ...registryEntity("households", "/v1/registry/households", "registry", CreateHousehold, UpdateHousehold, HouseholdQuery),
  ...registryEntity("people", "/v1/registry/people", "registry", CreatePerson, UpdatePerson, PersonQuery),
  ...registryEntity("places", "/v1/registry/places", "registry", CreatePlace, UpdatePlace, PlaceQuery),
  "POST /v1/registry/search": { summary: "Find people, households and places (by name, or an identity number/phone matched by hash)", tag: "registry", body: SearchInput, response: page(record({ entity: z.enum(["person", "household", "place"]) })) },
  "GET /v1/registry/key-lists": { summary: "The three key lists: key people, places and matters (重点人员、场所、事项)", tag: "registry", description: PAGE, query: KeyEntryQuery, response: page(versioned) },
  "POST /v1/registry/key-lists": { summary: "Add an entry to a key list", tag: "registry", body: CreateKeyEntry, status: 201, response: versioned },
  "GET /v1/registry/key-lists/{id}": { summary: "Read a key-list entry", tag: "registry", response: versioned },
  "PATCH /v1/registry/key-lists/{id}": { summary: "Update a key-list entry", tag: "registry", body: UpdateKeyEntry, response: versioned },

  "GET /v1/duties/config": { summary: "Visit frequencies and patrol routine", tag: "duties", response: DutyConfig },
  "PUT /v1/duties/config": { summary: "Replace the visit frequencies and patrol routine", tag: "duties", body: PutDutyConfig, response: DutyConfig },
  "POST /v1/duties/visits": { summary: "Log a household visit", tag: "duties", body: LogVisit, status: 201, response: record({ householdId: z.string(), at: z.string() }) },
  "GET /v1/duties/visits": { summary: "Visits", tag: "duties", description: PAGE, query: VisitQuery, response: page(record()) },
  "GET /v1/duties/households/{householdId}/visits/{visitId}/photos/{key+}": {
    summary: "Short-lived download URL of a visit's photo (registry readers over the household)",
    tag: "duties",
    query: VisitPhotoQuery,
    response: Download,
  },
  "GET /v1/duties/visits/overdue": {
    summary: "Households whose visit is overdue (key weekly, monitored monthly)",
    tag: "duties",
    query: OverdueQuery,
    response: page(z.looseObject({ householdId: z.string() })),
  },
  "POST /v1/duties/patrols": { summary: "Start a patrol", tag: "duties", body: StartPatrol, status: 201, response: Patrol },
  "GET /v1/duties/patrols": { summary: "Patrols", tag: "duties", query: PatrolQuery, response: page(Patrol) },
  "GET /v1/duties/patrols/missed": {
    summary: "Grid workers who missed a patrol of the day's routine (一日双巡)",
    tag: "duties",
    query: z.object({ date: LocalDate, unitId: z.optional(z.string().check(z.maxLength(40))) }),
    response: page(z.looseObject({ userId: z.string() })),
  },
  "POST /v1/duties/patrols/{id}/points": { summary: "Add track points to a running patrol", tag: "duties", body: PatrolPoints, response: Patrol },
  "POST /v1/duties/patrols/{id}/end": { summary: "End a patrol", tag: "duties", body: EndPatrol, response: Patrol },
  "GET /v1/duties/patrols/{id}/photos/{key+}": { summary: "Short-lived download URL of a patrol's photo (the worker, registry readers over the grid)", tag: "duties", response: Download },

  "GET /v1/tasks/types": { summary: "Standard task types", tag: "tasks", query: TaskTypeQuery, response: page(versioned) },
  "POST /v1/tasks/types": { summary: "Define a task type (its form fields)", tag: "tasks", body: CreateTaskType, status: 201, response: versioned },
  "GET /v1/tasks/types/{id}": { summary: "Read a task type", tag: "tasks", response: versioned },
  "PATCH /v1/tasks/types/{id}": { summary: "Update a task type", tag: "tasks", body: UpdateTaskType, response: versioned },
  "POST /v1/tasks": { summary: "Request a task of grid workers (a department asks the center)", tag: "tasks", body: RequestTask, status: 201, response: Task },
  "GET /v1/tasks": { summary: "Tasks the caller requested, approves or must do", tag: "tasks", description: PAGE, query: TaskQuery, response: page(Task) },
  "GET /v1/tasks/{id}": { summary: "A task and its progress per unit", tag: "tasks", response: z.extend(Task, { units: z.array(TaskUnit) }) },
  "POST /v1/tasks/{id}/approve": { summary: "Approve a task request (pushes it to the grids)", tag: "tasks", body: Decision, response: Task },
  "POST /v1/tasks/{id}/refuse": { summary: "Refuse a task request", tag: "tasks", body: Refusal, response: Task },
  "POST /v1/tasks/{id}/units/{unitId}/complete": { summary: "Complete a task in one unit (data, photos)", tag: "tasks", body: Completion, response: z.object({ task: Task, unit: TaskUnit }) },
  "GET /v1/tasks/{id}/units/{unitId}/photos/{key+}": { summary: "Short-lived download URL of a completion photo (center, requesting department, the grid's workers and registry readers)", tag: "tasks", response: Download },

  "POST /v1/exports": { summary: "Ask to export a dataset (the center approves first)", tag: "exports", body: RequestExport, status: 201, response: Export },
  "GET /v1/exports": { summary: "Export requests", tag: "exports", description: PAGE, query: ExportQuery, response: page(Export) },
  "GET /v1/exports/{id}": { summary: "An export request", tag: "exports", response: Export },
  "POST /v1/exports/{id}/approve": { summary: "Approve an export", tag: "exports", body: ApproveExport, response: Export },
  "POST /v1/exports/{id}/refuse": { summary: "Refuse an export", tag: "exports", body: RefuseExport, response: Export },
  "GET /v1/exports/{id}/download": { summary: "A short-lived download URL of an approved, built export (audited)", tag: "exports", response: z.object({ url: z.string(), expiresInSeconds: z.number().check(z.int()), filename: z.string(), rowCount: z.number().check(z.int()) }) },

  "GET /v1/ops/queues": {
    summary: "Queue depths and dead letters (operations)",
    tag: "ops",
    response: page(
      z.object({
        queue: z.string(),
        main: z.nullable(QueueDepth),
        deadLetters: z.nullable(z.number().check(z.int())),
        failures: z.number().check(z.int()),
        lastError: z.nullable(z.object({ message: z.string(), at: z.string(), messageId: z.string(), receiveCount: z.string() })),
      }),
    ),
  },
  "GET /v1/stats/overview": {
    summary: "Exact case figures of the caller's units from the aggregates: the month, the previous month, today, open now; per child unit and department",
    tag: "ops",
    query: OverviewQuery,
    response: z.looseObject({ month: z.string(), day: z.string(), totals: z.looseObject({ open: z.number() }), children: z.array(z.looseObject({ id: z.string() })), departments: z.array(z.looseObject({ id: z.string() })) }),
  },
  "POST /v1/ops/queues/{queue}/redrive": {
    summary: "Send a queue's dead-lettered messages back to it for processing (audited)",
    tag: "ops",
    body: RedriveInput,
    response: z.object({ queue: z.string(), moved: z.number().check(z.int()), remaining: z.boolean() }),
  },
  "POST /v1/ops/repair-stranded-cases": {
    summary: "Hand cases stranded by an invalid owner (or merged into a missing case) back to the dispatch center (audited; dryRun lists them)",
    tag: "ops",
    body: RepairRequest,
    response: z.object({ checked: z.number().check(z.int()), dryRun: z.boolean(), repaired: z.array(z.looseObject({ id: z.string(), number: z.string(), reason: z.string() })) }),
  },
};
