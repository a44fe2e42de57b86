import { describe, expect, it } from "vitest";
import { UpdateDepartment } from "./department/schema.ts";
import { InvalidError } from "./errors.ts";
import { parse } from "./validate.ts";

/**
 * The server's schemas are zod/mini, which loads no locale (docs/deploy.md "Cold path"); core/zod-en.ts
 * configures English so a 400's `details.fields[].message` reads as it did with classic zod.
 * This file must not import classic zod: classic configures English itself on import, which would
 * hide a missing configuration (the comparison with classic is in zod-en.classic.test.ts).
 */
function fieldsOf(fn: () => unknown): Array<{ path: string; message: string; code?: string }> {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidError);
    return ((e as InvalidError).details as { fields: Array<{ path: string; message: string; code?: string }> }).fields;
  }
  throw new Error("did not throw");
}

const bad = { version: "7", name: "", code: 5, contact: { name: "x", fax: "1" }, active: "yes" };

describe("zod's messages in 400 details (zod/mini + core/zod-en.ts)", () => {
  it("are zod's English texts, not mini's bare 'Invalid input'", () => {
    expect(fieldsOf(() => parse(UpdateDepartment, bad, "body"))).toEqual([
      { path: "version", message: "Invalid input: expected number, received string", code: "invalid_type" },
      { path: "name", message: "required", code: "too_small" },
      { path: "code", message: "Invalid input: expected string, received number", code: "invalid_type" },
      { path: "contact.fax", message: "Unknown field", code: "unrecognized_keys" },
      { path: "active", message: "Invalid input: expected boolean, received string", code: "invalid_type" },
    ]);
  });
});
