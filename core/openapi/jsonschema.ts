/**
 * A small JSON Schema (2020-12) validator for the subset zod's `toJSONSchema` emits: type,
 * enum/const, properties/required/additionalProperties/propertyNames, items/prefixItems,
 * length/size/range limits, pattern, date-time format, anyOf/oneOf/allOf/not and local `$ref`s.
 * Used to check live responses against the OpenAPI document (contract tests).
 */

type Schema = Record<string, any> | boolean;

export interface SchemaError {
  path: string;
  message: string;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;
const regexCache = new Map<string, RegExp>();
const regex = (p: string) => {
  let r = regexCache.get(p);
  if (!r) {
    r = new RegExp(p, "u");
    regexCache.set(p, r);
  }
  return r;
};

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

const typeMatches = (want: string, v: unknown) => {
  const t = typeOf(v);
  return want === t || (want === "number" && t === "integer");
};

function resolve(ref: string, root: Record<string, any>): Schema {
  if (!ref.startsWith("#")) throw new Error(`Only local $refs are supported: ${ref}`);
  let at: any = root;
  for (const part of ref.slice(1).split("/").filter(Boolean)) {
    at = at?.[decodeURIComponent(part.replace(/~1/g, "/").replace(/~0/g, "~"))];
    if (at === undefined) throw new Error(`Unresolvable $ref ${ref}`);
  }
  return at;
}

/** Errors of `value` against `schema` (`root` resolves `$ref`s); empty when valid. */
export function validate(schema: Schema, value: unknown, root: Record<string, any> = typeof schema === "object" ? schema : {}, path = ""): SchemaError[] {
  if (schema === true) return [];
  if (schema === false) return [{ path, message: "no value is allowed here" }];
  const errors: SchemaError[] = [];
  const fail = (message: string) => errors.push({ path: path || "(root)", message });
  if (schema.$ref) errors.push(...validate(resolve(schema.$ref, root), value, root, path));
  if (schema.type !== undefined) {
    const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(t, value))) {
      fail(`expected ${types.join(" | ")}, got ${typeOf(value)}`);
      return errors;
    }
  }
  if (schema.const !== undefined && JSON.stringify(schema.const) !== JSON.stringify(value)) fail(`expected ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(value))) fail(`expected one of ${JSON.stringify(schema.enum)}`);

  if (typeof value === "string") {
    const len = [...value].length;
    if (schema.minLength !== undefined && len < schema.minLength) fail(`shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && len > schema.maxLength) fail(`longer than ${schema.maxLength}`);
    if (schema.pattern && !regex(schema.pattern).test(value)) fail(`does not match ${schema.pattern}`);
    if (schema.format === "date-time" && !DATE_TIME.test(value)) fail("not a date-time");
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) fail(`less than ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) fail(`greater than ${schema.maximum}`);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) fail(`not greater than ${schema.exclusiveMinimum}`);
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) fail(`not less than ${schema.exclusiveMaximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) fail(`fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) fail(`more than ${schema.maxItems} items`);
    const prefix: Schema[] = schema.prefixItems ?? [];
    value.forEach((v, i) => {
      const s = i < prefix.length ? prefix[i] : schema.items;
      if (s !== undefined) errors.push(...validate(s, v, root, `${path}[${i}]`));
    });
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const k of schema.required ?? []) if (!Object.hasOwn(obj, k) || obj[k] === undefined) errors.push({ path: path ? `${path}.${k}` : k, message: "required" });
    const props: Record<string, Schema> = schema.properties ?? {};
    for (const [k, v] of Object.entries(obj)) {
      if (v === undefined) continue;
      const p = path ? `${path}.${k}` : k;
      if (Object.hasOwn(props, k)) errors.push(...validate(props[k], v, root, p));
      else if (schema.additionalProperties !== undefined) errors.push(...validate(schema.additionalProperties, v, root, p).map((e) => (schema.additionalProperties === false ? { path: p, message: "unexpected property" } : e)));
      if (schema.propertyNames) errors.push(...validate(schema.propertyNames, k, root, `${p} (name)`));
    }
  }
  if (schema.allOf) for (const s of schema.allOf) errors.push(...validate(s, value, root, path));
  if (schema.anyOf && !schema.anyOf.some((s: Schema) => validate(s, value, root, path).length === 0)) fail("matches none of anyOf");
  if (schema.oneOf) {
    const n = schema.oneOf.filter((s: Schema) => validate(s, value, root, path).length === 0).length;
    if (n !== 1) fail(n === 0 ? "matches none of oneOf" : `matches ${n} of oneOf (exactly one expected)`);
  }
  if (schema.not && validate(schema.not, value, root, path).length === 0) fail("matches a schema it must not");
  return errors;
}
