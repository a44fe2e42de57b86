import { describe, it, expect } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * Source guard (#16 D): the events consumer keeps role rows while the staff version proves them
 * current (core/notify/inbox.ts), so a write of role rows that does not bump CONFIG / VERSION#staff
 * would leave recipients stale until the 15-minute backstop. Every function that sends a
 * TransactWriteItems putting or deleting a role row (`keys.staff(…)`, `staffRows(…)`) must carry
 * `bumpConfigVersion("staff", …)` in it; the unit move job bumps after its staff phase.
 */
const root = join(import.meta.dirname, "..", "..");

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (p.endsWith(".ts") && !p.endsWith(".test.ts") && !p.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

/** The file cut at each top-level function or const: a body with its name. */
function functionsOf(text: string): Array<{ name: string; body: string }> {
  const starts = [...text.matchAll(/^(?:export )?(?:async )?(?:function\*? (\w+)|const (\w+) =)/gm)];
  return starts.map((m, i) => ({ name: m[1] ?? m[2], body: text.slice(m.index, starts[i + 1]?.index ?? text.length) }));
}

describe("the staff version guard", () => {
  it("every transaction that puts or deletes a role row bumps VERSION#staff", () => {
    const writers: string[] = [];
    const missing: string[] = [];
    for (const file of [...sources(join(root, "core")), ...sources(join(root, "functions")), ...sources(join(root, "local"))]) {
      const text = readFileSync(file, "utf8");
      for (const f of functionsOf(text)) {
        if (!/TransactWriteCommand|TransactItems/.test(f.body)) continue;
        if (!/keys\.staff\(|staffRows\(/.test(f.body)) continue;
        // staffRows's own definition builds items, it sends nothing
        if (f.name === "staffRows") continue;
        const where = `${relative(root, file)} ${f.name}`;
        writers.push(where);
        if (!/bumpConfigVersion\("staff"/.test(f.body)) missing.push(where);
      }
    }
    // the guard sees the writers it exists for (it cannot pass by finding nothing)
    expect(writers).toEqual(expect.arrayContaining(["core/user/repo.ts createUser", "core/user/repo.ts replaceUserWithRows", "core/user/repo-handover.ts moveAssignments"]));
    expect(missing).toEqual([]);
  });

  it("the unit move job bumps the staff version after its staff phase", () => {
    const text = readFileSync(join(root, "core/unit/move-job.ts"), "utf8");
    const phase = text.indexOf("await repathStaff(");
    const bump = text.indexOf('bumpConfigVersionNow("staff"');
    expect(phase).toBeGreaterThan(0);
    expect(bump).toBeGreaterThan(phase);
  });
});
