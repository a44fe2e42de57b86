import { describe, it, expect } from "vitest";
import english from "ra-language-english";
import zh from "./zh.ts";
import en from "./en.ts";

/** Every leaf key of a message tree, dotted. */
function keys(tree: unknown, prefix = ""): string[] {
  if (tree === null || typeof tree !== "object") return [prefix];
  return Object.entries(tree as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function leaves(tree: unknown, prefix = ""): [string, unknown][] {
  if (tree === null || typeof tree !== "object") return [[prefix, tree]];
  return Object.entries(tree as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

const placeholders = (s: unknown) => [...String(s).matchAll(/%\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message files", () => {
  it("translate every react-admin key into Chinese", () => {
    expect(keys(zh.ra).sort()).toEqual(keys(english.ra).sort());
  });

  it("have the same keys in Chinese and English", () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort());
  });

  it("leave no Chinese message empty or in English", () => {
    const bad = leaves(zh).filter(([k, v]) => typeof v !== "string" || (v.trim() === "" && k !== "ra.boolean.null"));
    expect(bad).toEqual([]);
    const untranslated = leaves(zh).filter(([k, v]) => k.startsWith("ra.") && v === leaves(english).find(([ek]) => ek === k)?.[1] && /[a-z]{3,}/i.test(String(v).replace(/%\{\w+\}/g, "")));
    expect(untranslated).toEqual([]);
  });

  it("keep the placeholders of every message", () => {
    const enLeaves = new Map(leaves(en));
    const mismatched = leaves(zh)
      .filter(([k, v]) => {
        const want = placeholders(String(enLeaves.get(k)).split("||||")[0]);
        const got = placeholders(v);
        // Chinese has one plural form: it may drop the count but must not invent placeholders
        return !got.every((p) => want.includes(p) || (p === "smart_count" && String(enLeaves.get(k)).includes("||||")));
      })
      .map(([k]) => k);
    expect(mismatched).toEqual([]);
  });
});

describe("keys used by the console", () => {
  const has = (tree: unknown, key: string) =>
    key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), tree) !== undefined;

  it("exist in both languages for every literal key in the source", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const root = new URL("..", import.meta.url).pathname;
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => /\.tsx?$/.test(f) && !f.includes(".test.") && !f.startsWith("i18n"));
    const used = new Set<string>();
    for (const f of files) {
      for (const m of readFileSync(join(root, f), "utf8").matchAll(/["'`]((?:app|ra|resources)\.[\w.:-]+)["'`]/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((k) => !has(zh, k) || !has(en, k));
    expect(missing).toEqual([]);
  });

  it("name every enumeration value in both languages", async () => {
    const { ROLES, PERMISSIONS } = await import("../permissions.ts");
    const c = await import("../common/choices.ts");
    const keys = [
      ...ROLES.map((r) => `app.roles.${r}`),
      ...PERMISSIONS.map((p) => `app.permissions.${p}`),
      ...c.UNIT_TYPES.map((t) => `app.unit_types.${t}`),
      ...c.CASE_STATES.map((s) => `app.case_states.${s}`),
      ...c.DURATION_UNITS.map((u) => `app.duration_units.${u}`),
      ...c.STAGES.map((s) => `app.stages.${s}`),
    ];
    expect(keys.filter((k) => !has(zh, k) || !has(en, k))).toEqual([]);
  });
});
