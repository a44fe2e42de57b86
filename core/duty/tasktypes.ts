import { ulid } from "ulid";
import * as z from "zod/mini";
import { Cursor } from "../db/ids.ts";
import { failedConditionIndexes } from "../db/errors.ts";
import type { Page } from "../db/page.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { actorOf, auditPut, diff } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import { requireCountyWide } from "../settings/scope.ts";
import { parse } from "../validate.ts";
import { commit, put, putAtVersion } from "../registry/access.ts";
import { getTaskType, taskTypeCodeItem, taskTypeItem, taskTypesPage } from "./repo.ts";

export { getTaskType };

/**
 * The catalog of standard task types (one district lists 1,208 in 6 categories): what a task asks
 * the grid worker to collect or verify, as typed fields that completions are validated against.
 */
export const TaskField = z.strictObject({
    key: z.string().check(z.maxLength(32), z.regex(/^[a-z][a-zA-Z0-9_]{0,31}$/, "letters, digits, _; starts with a lowercase letter")),
    label: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
    type: z.enum(["text", "number", "boolean", "date", "choice"]),
    required: z._default(z.boolean(), false),
    options: z.optional(z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))).check(z.minLength(1), z.maxLength(50))),
  }).check(z.refine((f) => f.type !== "choice" || !!f.options, { message: "a choice field needs options", path: ["options"] }));
export type TaskField = z.infer<typeof TaskField>;

const Fields = z.array(TaskField).check(z.maxLength(30), z.refine((fs) => new Set(fs.map((f) => f.key)).size === fs.length, { message: "field keys must be unique" }));

export const TaskTypeCode = z.string().check(z.trim(), z.toUpperCase(), z.regex(/^[A-Z0-9][A-Z0-9_-]{0,31}$/, "letters, digits, _ or -, at most 32"), z.maxLength(32));

export const CreateTaskType = z.strictObject({
    code: TaskTypeCode,
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
    category: z.string().check(z.trim(), z.minLength(1), z.maxLength(32)),
    description: z.optional(z.string().check(z.trim(), z.maxLength(2000))),
    fields: z._default(Fields, []),
    photosRequired: z._default(z.boolean(), false),
    defaultDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(365)), 7),
  });

export const UpdateTaskType = z.strictObject({
    version: z.number().check(z.int(), z.gte(1)),
    name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
    category: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(32))),
    description: z.optional(z.nullable(z.string().check(z.trim(), z.maxLength(2000)))),
    fields: z.optional(Fields),
    photosRequired: z.optional(z.boolean()),
    defaultDays: z.optional(z.number().check(z.int(), z.gte(1), z.lte(365))),
    active: z.optional(z.boolean()),
  });

export type TaskType = {
  id: string;
  code: string;
  name: string;
  category: string;
  description?: string;
  fields: TaskField[];
  photosRequired: boolean;
  defaultDays: number;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
};

export async function readTaskType(_p: Principal, id: string): Promise<TaskType> {
  const t = await getTaskType(id);
  if (!t) throw new NotFoundError(`Task type ${id} not found`);
  return t;
}

export async function createTaskType(p: Principal, input: unknown, now: Date): Promise<TaskType> {
  requireCountyWide(p, "tasks:manage");
  const data = parse(CreateTaskType, input, "task type");
  const at = now.toISOString();
  const t: TaskType = { id: ulid(now.getTime()), ...data, active: true, version: 1, createdAt: at, updatedAt: at };
  await commit(
    [
      put(taskTypeCodeItem(t), "attribute_not_exists(pk)"),
      put(taskTypeItem(t), "attribute_not_exists(pk)"),
      auditPut({ actor: actorOf(p), action: "tasktype.create", entity: "tasktype", entityId: t.id, summary: `${t.code} ${t.name}` }, now),
    ],
    async (e) => {
      if (failedConditionIndexes(e).includes(0)) throw new ConflictError(`Code ${t.code} is already used`, { fields: [{ path: "code", message: "duplicate code" }] });
      throw new ConflictError("Task type already exists");
    },
  );
  return t;
}

export async function updateTaskType(p: Principal, id: string, input: unknown, now: Date): Promise<TaskType> {
  requireCountyWide(p, "tasks:manage");
  const { version, ...changes } = parse(UpdateTaskType, input, "task type update");
  const current = await readTaskType(p, id);
  const stale = async (): Promise<never> => {
    throw new ConflictError("The task type was changed by someone else; reload and retry", { current: (await getTaskType(id, true)) ?? null });
  };
  if (current.version !== version) await stale();
  const next: TaskType = {
    ...current,
    ...changes,
    description: changes.description === null ? undefined : (changes.description ?? current.description),
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
  await commit(
    [
      putAtVersion(taskTypeItem(next), version),
      auditPut({ actor: actorOf(p), action: "tasktype.update", entity: "tasktype", entityId: id, summary: `${next.code} ${next.name}`, changes: diff(current, next) }, now),
    ],
    stale,
  );
  return next;
}

export const TaskTypeQuery = z.object({
  category: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(32))),
  active: z.optional(z.enum(["true", "false"])),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
  cursor: z.optional(Cursor),
});

/** The catalog by category, then code. */
export async function listTaskTypes(_p: Principal, input: unknown): Promise<Page<TaskType>> {
  const q = parse(TaskTypeQuery, input, "query");
  return taskTypesPage(q);
}

/** Validate completion data against the type's fields; errors name `data.<key>`. */
export function completionSchema(t: TaskType) {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const f of t.fields) {
    let s: z.ZodMiniType =
      f.type === "text"
        ? z.string().check(z.trim(), z.minLength(1), z.maxLength(2000))
        : f.type === "number"
          ? z.number()
          : f.type === "boolean"
            ? z.boolean()
            : f.type === "date"
              ? z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD"))
              : z.enum(f.options as [string, ...string[]]);
    if (!f.required) s = z.optional(s);
    shape[f.key] = s;
  }
  return z.strictObject(shape);
}
