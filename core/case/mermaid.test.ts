import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { actionTable, stateDiagram, syncLifecycleDoc } from "./mermaid.ts";
import { ACTION_NAMES, CaseState } from "./schema.ts";

const DOC = new URL("../../docs/case-lifecycle.md", import.meta.url);

describe("docs/case-lifecycle.md", () => {
  it("shows the diagram and the action table generated from the machine table", () => {
    const doc = readFileSync(DOC, "utf8");
    const synced = syncLifecycleDoc(doc);
    if (process.env.UPDATE_DOCS && synced !== doc) writeFileSync(DOC, synced);
    expect(doc, "docs/case-lifecycle.md is stale: run UPDATE_DOCS=1 npx vitest run core/case/mermaid.test.ts").toContain(
      "```mermaid\n" + stateDiagram() + "\n```",
    );
    expect(doc).toContain(actionTable());
  });
});

describe("the state diagram", () => {
  it("has every state, starts at reported and ends at closed and rejected", () => {
    const d = stateDiagram();
    expect(d.startsWith("stateDiagram-v2\n    [*] --> reported: report\n")).toBe(true);
    for (const s of CaseState.options) expect(d).toMatch(new RegExp(`\\b${s}\\b`));
    expect(d).toContain("closed --> [*]");
    expect(d).toContain("rejected --> [*]");
    expect(d).toContain("closed --> accepted: reopen");
  });

  it("lists every action in the table", () => {
    for (const a of ACTION_NAMES) expect(actionTable()).toContain(`| \`${a}\` |`);
  });
});

describe("syncLifecycleDoc", () => {
  it("replaces only what lies between the markers", () => {
    const md = "intro\n<!-- BEGIN GENERATED: diagram -->\nold\n<!-- END GENERATED: diagram -->\noutro\n";
    const out = syncLifecycleDoc(md);
    expect(out).toBe(`intro\n<!-- BEGIN GENERATED: diagram -->\n\`\`\`mermaid\n${stateDiagram()}\n\`\`\`\n<!-- END GENERATED: diagram -->\noutro\n`);
    expect(syncLifecycleDoc(out)).toBe(out);
  });
});
