import { describe, it, expect } from "vitest";
import { toHttpError } from "./errors.ts";

const invalid = {
  error: {
    code: "invalid",
    message: "Invalid unit",
    details: { fields: [{ path: "code", message: "digits only, 6 to 24", code: "invalid_format" }, { path: "contact.phone", message: "bad", code: "custom" }] },
  },
};

describe("API errors", () => {
  it("puts field issues under their paths, as translation keys in Chinese", () => {
    const e = toHttpError(400, invalid, "zh");
    expect(e.status).toBe(400);
    expect(e.message).toBe("app.errors.invalid");
    expect(e.body.errors).toEqual({ code: "app.validation.invalid_format", "contact.phone": "app.validation.custom" });
  });

  it("keeps the server's own messages in English", () => {
    const e = toHttpError(400, invalid, "en");
    expect(e.message).toBe("Invalid unit");
    expect(e.body.errors).toEqual({ code: "digits only, 6 to 24", "contact.phone": "bad" });
  });

  it("tells a stale version from other conflicts", () => {
    expect(toHttpError(409, { error: { code: "conflict", message: "stale", details: { current: { version: 5 } } } }, "zh").message).toBe("app.errors.stale");
    expect(toHttpError(409, { error: { code: "conflict", message: "dup", details: null } }, "zh").message).toBe("app.errors.conflict");
  });

  it("falls back on the status when the body is not the error model", () => {
    expect(toHttpError(502, undefined, "zh").message).toBe("app.errors.internal");
    expect(toHttpError(404, undefined, "en").message).toBe("app.errors.not_found");
  });
});
