import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import zh from "../i18n/zh.ts";
import en from "../i18n/en.ts";

/**
 * Every kind of record the server writes into the audit log (`entity: "…"` in core/ and functions/)
 * is named in both languages on the 操作日志 screen, so no raw entity name reaches a clerk.
 */
const root = fileURLToPath(new URL("../../../", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

const entities = [...new Set([...sources(join(root, "core")), ...sources(join(root, "functions"))].flatMap((f) => [...readFileSync(f, "utf8").matchAll(/\bentity: "([a-z_.-]+)"/g)].map((m) => m[1])))].sort();

const named = (messages: any, entity: string) => typeof messages.app.audit?.entities?.[entity] === "string" || typeof messages.app.audit_log?.entities?.[entity] === "string";

describe("audit entities", () => {
  it("the walk finds the entities the server audits (the check is not vacuous)", () => {
    expect(entities).toEqual(expect.arrayContaining(["case", "household", "user", "webhook"]));
    expect(relative(root, join(root, "core"))).toBe("core");
  });

  it("are named in zh-CN and English", () => {
    expect(entities.filter((e) => !named(zh, e))).toEqual([]);
    expect(entities.filter((e) => !named(en, e))).toEqual([]);
  });
});
