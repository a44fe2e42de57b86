import { TRANSITIONS } from "./machine.ts";
import { TERMINAL_STATES } from "./schema.ts";

/**
 * docs/case-lifecycle.md is partly generated from the table: the state diagram and the action table
 * sit between `<!-- BEGIN GENERATED: x -->` / `<!-- END GENERATED: x -->` markers, and a test fails
 * when they drift. Regenerate with `UPDATE_DOCS=1 npx vitest run core/case/mermaid.test.ts`.
 */

/** A mermaid stateDiagram of the state-changing transitions (actions that keep the state are in the table). */
export function stateDiagram(): string {
  const edges = new Map<string, string[]>();
  for (const t of TRANSITIONS) {
    for (const from of t.from ?? ["[*]"]) {
      for (const to of t.to) {
        if (to === "same" || to === from) continue;
        const key = `${from} --> ${to}`;
        const actions = edges.get(key) ?? [];
        if (!actions.includes(t.action)) actions.push(t.action);
        edges.set(key, actions);
      }
    }
  }
  const lines = ["stateDiagram-v2", ...[...edges].map(([edge, actions]) => `    ${edge}: ${actions.join(", ")}`)];
  for (const s of TERMINAL_STATES) lines.push(`    ${s} --> [*]`);
  return lines.join("\n");
}

/** A markdown table: action, from, to, who, guards, summary. */
export function actionTable(): string {
  const rows = TRANSITIONS.map((t) => {
    const guards = [t.when && `${t.when.text} (else 409)`, t.may && `${t.may.text} (else 403)`].filter(Boolean).join("; ");
    return [
      `\`${t.action}\``,
      t.from ? t.from.join(", ") : "(new)",
      t.to.join(", "),
      t.who.join(", "),
      guards || "—",
      t.summary,
    ].join(" | ");
  });
  return ["| Action | From | To | Who | Requires | Effect |", "|---|---|---|---|---|---|", ...rows.map((r) => `| ${r} |`)].join(
    "\n",
  );
}

const SECTIONS: Record<string, () => string> = {
  diagram: () => "```mermaid\n" + stateDiagram() + "\n```",
  actions: actionTable,
};

/** The document with its generated sections brought up to date (sections missing from it are left out). */
export function syncLifecycleDoc(markdown: string): string {
  let out = markdown;
  for (const [name, render] of Object.entries(SECTIONS)) {
    const begin = `<!-- BEGIN GENERATED: ${name} -->`;
    const end = `<!-- END GENERATED: ${name} -->`;
    const i = out.indexOf(begin);
    const j = out.indexOf(end);
    if (i < 0 || j < i) continue;
    out = out.slice(0, i + begin.length) + "\n" + render() + "\n" + out.slice(j);
  }
  return out;
}
