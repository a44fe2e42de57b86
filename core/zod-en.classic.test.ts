import * as classic from "zod";
import { describe, expect, it } from "vitest";
import { UpdateDepartment } from "./department/schema.ts";
import { InvalidError } from "./errors.ts";
import { parse } from "./validate.ts";

/** 400 details from a zod/mini schema equal those of the same schema written with classic zod's methods (docs/deploy.md "Cold path"). */
function fieldsOf(fn: () => unknown): Array<{ path: string; message: string; code?: string }> {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidError);
    return ((e as InvalidError).details as { fields: Array<{ path: string; message: string; code?: string }> }).fields;
  }
  throw new Error("did not throw");
}

describe("zod/mini against classic zod", () => {
  const bad = { version: "7", name: "", code: 5, contact: { name: "x", fax: "1" }, active: "yes" };

  it("equal classic zod's for the same schema written with classic's methods", () => {
    const Name = classic.string().trim().min(1, "required").max(64);
    const Code = classic.string().trim().toUpperCase().regex(/^[A-Z0-9][A-Z0-9_-]{0,31}$/, "letters, digits, _ or -, at most 32").max(32);
    const Contact = classic.object({ name: Name, phone: classic.string().trim().max(21).regex(/^\+?\d[\d -]{4,19}$/, "a phone number").optional() }).strict();
    const UpdateClassic = classic
      .object({
        version: classic.number().int().min(1),
        name: Name.optional(),
        code: Code.optional(),
        contact: Contact.optional(),
        unitIds: classic.array(classic.string().max(40)).max(500).optional(),
        active: classic.boolean().optional(),
      })
      .strict();
    const withMini = fieldsOf(() => parse(UpdateDepartment, bad, "body"));
    const withClassic = fieldsOf(() => parse(UpdateClassic as never, bad, "body"));
    expect(withMini).toEqual(withClassic);
    const tooLong = { version: 0.5, name: "x".repeat(65) };
    expect(fieldsOf(() => parse(UpdateDepartment, tooLong, "body"))).toEqual(fieldsOf(() => parse(UpdateClassic as never, tooLong, "body")));
    expect(fieldsOf(() => parse(UpdateDepartment, tooLong, "body")).map((f) => f.message)).toEqual(["Invalid input: expected int, received number", "Too big: expected string to have <=64 characters"]);
  });
});
