import { SCHEMA_VERSION } from "./table.ts";

/** Every item carries its entity type and schema version (migrations key off them). */
export function item<T extends object>(type: string, keyAttrs: object, data: T): T & { type: string; sv: number } {
  return { ...keyAttrs, ...data, type, sv: SCHEMA_VERSION };
}

/** Strip key and bookkeeping attributes from a stored item. */
export function strip<T>(raw: Record<string, unknown> | undefined): T | undefined {
  if (!raw) return undefined;
  const { pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk, type, sv, expiresAt, ...rest } = raw;
  return rest as T;
}

/** Opaque pagination cursor from a DynamoDB LastEvaluatedKey, and back (validated). */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString("base64url") : undefined;
}

export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (v && typeof v === "object" && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string")) return v;
  } catch {
    /* fallthrough */
  }
  return INVALID_CURSOR;
}

export const INVALID_CURSOR = Object.freeze({ invalid: "cursor" }) as Record<string, unknown>;
