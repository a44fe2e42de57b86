import { InvalidError } from "../errors.ts";
import { SCHEMA_VERSION, keyAttributes } from "./table.ts";

/** Every item carries its entity type and schema version (migrations key off them). */
export function item<T extends object>(entity: string, keyAttrs: object, data: T): T & { _et: string; _sv: number } {
  return { ...keyAttrs, ...data, _et: entity, _sv: SCHEMA_VERSION };
}

/** Strip key and bookkeeping attributes from a stored item. */
export function strip<T>(raw: Record<string, unknown> | undefined): T | undefined {
  if (!raw) return undefined;
  const { pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk, _et, _sv, expiresAt, ...rest } = raw;
  return rest as T;
}

const KEY_NAMES = new Set(keyAttributes());

/** Opaque pagination cursor from a DynamoDB LastEvaluatedKey, and back (validated). */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString("base64url") : undefined;
}

export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new InvalidError("Invalid cursor", { fields: [{ path: "cursor", message: "not a cursor this API issued" }] });
  }
  const ok =
    v !== null &&
    typeof v === "object" &&
    !Array.isArray(v) &&
    Object.keys(v).length > 0 &&
    Object.entries(v).every(([k, x]) => KEY_NAMES.has(k) && typeof x === "string" && x.length < 1024);
  if (!ok) throw new InvalidError("Invalid cursor", { fields: [{ path: "cursor", message: "not a cursor this API issued" }] });
  return v as Record<string, unknown>;
}
