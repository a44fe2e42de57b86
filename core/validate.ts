import * as z from "zod/mini";
import { InvalidError } from "./errors.ts";
import "./zod-en.ts";

export interface FieldIssue {
  path: string;
  message: string;
  code?: string;
}

/**
 * Parse input with a zod schema; on failure throw a 400 with one entry per field.
 *
 * Bodies are **strict** everywhere, through this one helper: a field the schema does not declare
 * is refused with its path named (`{path: "to.kind2", message: "Unknown field", code:
 * "unrecognized_keys"}`), at any depth, whether the schema was written with `.strict()` or not.
 * Only objects declared open on purpose (`.loose()` / `.catchall(...)`, e.g. free-form task data)
 * accept more. Query strings (`what === "query"`) are the exception: caches and the console add
 * parameters of their own, so unknown query parameters are ignored.
 */
export function parse<S extends z.ZodMiniType>(schema: S, input: unknown, what = "input"): z.infer<S> {
  const result = schema.safeParse(input);
  const unknown = what === "query" ? [] : unknownFields(schema, input);
  if (result.success && unknown.length === 0) return result.data;
  const issues = result.success ? [] : result.error.issues.flatMap(toFields);
  const seen = new Set(issues.filter((i) => i.code === "unrecognized_keys").map((i) => i.path));
  throw new InvalidError(`Invalid ${what}`, { fields: [...unknown.filter((u) => !seen.has(u.path)), ...issues] });
}

const join = (path: PropertyKey[]) => path.map(String).join(".");

function toFields(i: z.core.$ZodIssue): FieldIssue[] {
  if (i.code === "unrecognized_keys") return i.keys.map((k) => ({ path: join([...i.path, k]), message: "Unknown field", code: i.code }));
  return [{ path: join(i.path), message: i.message, code: i.code }];
}

type Def = { type: string } & Record<string, unknown>;
const defOf = (s: unknown): Def | undefined => (s as { _zod?: { def?: Def } })?._zod?.def;
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Fields of `input` that `schema` does not declare, with their paths (exported for tests). */
export function unknownFields(schema: unknown, input: unknown, path: PropertyKey[] = [], depth = 0): FieldIssue[] {
  const def = defOf(schema);
  if (!def || depth > 32) return [];
  switch (def.type) {
    case "object": {
      if (!isPlainObject(input)) return [];
      const shape = def.shape as Record<string, unknown>;
      const catchall = defOf(def.catchall);
      const out: FieldIssue[] = [];
      for (const [k, v] of Object.entries(input)) {
        if (Object.hasOwn(shape, k)) out.push(...unknownFields(shape[k], v, [...path, k], depth + 1));
        // strip mode (no catchall) is where zod would drop the field silently; `never` is zod's own strict mode (reported by toFields)
        else if (!catchall) out.push({ path: join([...path, k]), message: "Unknown field", code: "unrecognized_keys" });
        else if (catchall.type !== "never") out.push(...unknownFields(def.catchall, v, [...path, k], depth + 1));
      }
      return out;
    }
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      return unknownFields(def.innerType, input, path, depth + 1);
    case "pipe":
      // z.preprocess(...) starts with a transform: the input shape is not the schema's; skip
      return defOf(def.in)?.type === "transform" ? [] : unknownFields(def.in, input, path, depth + 1);
    case "lazy":
      return unknownFields((def.getter as () => unknown)(), input, path, depth + 1);
    case "array":
      return Array.isArray(input) ? input.flatMap((v, i) => unknownFields(def.element, v, [...path, i], depth + 1)) : [];
    case "tuple":
      return Array.isArray(input) ? input.flatMap((v, i) => unknownFields((def.items as unknown[])[i] ?? def.rest, v, [...path, i], depth + 1)) : [];
    case "record":
      return isPlainObject(input) ? Object.entries(input).flatMap(([k, v]) => unknownFields(def.valueType, v, [...path, k], depth + 1)) : [];
    case "intersection": {
      // a field is unknown only when neither side declares it
      const left = unknownFields(def.left, input, path, depth + 1);
      const right = new Set(unknownFields(def.right, input, path, depth + 1).map((u) => u.path));
      return left.filter((u) => right.has(u.path));
    }
    case "union": {
      // the option the input matches (a discriminated union: the one its discriminator selects)
      const options = def.options as z.ZodMiniType[];
      const disc = def.discriminator as string | undefined;
      const candidates = disc && isPlainObject(input) ? options.filter((o) => o.safeParse(input).success || matchesDiscriminator(o, disc, input[disc])) : options.filter((o) => o.safeParse(input).success);
      if (candidates.length === 0) return [];
      const reports = candidates.map((o) => unknownFields(o, input, path, depth + 1));
      return reports.reduce((best, r) => (r.length < best.length ? r : best));
    }
    default:
      return [];
  }
}

function matchesDiscriminator(option: unknown, disc: string, value: unknown): boolean {
  const shape = defOf(option)?.shape as Record<string, unknown> | undefined;
  const field = defOf(shape?.[disc]);
  return field?.type === "literal" && (field.values as unknown[]).includes(value);
}
