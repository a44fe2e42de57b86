import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The repo is the one door to the table (#16, ARCHITECTURE.md): outside an area's `repo*.ts` and
 * the table layer itself (core/db: client, pagination, migrations), no source file under core/ or
 * functions/ imports DynamoDB commands. Type-only imports are allowed.
 *
 * KNOWN_OUTSIDE lists the files that still build commands themselves. It may only shrink: a new
 * file outside the repos fails the first test, and a listed file that no longer imports commands
 * (moved into its repo) fails the second until it is struck from the list.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const DYNAMO = /^\s*import\s+(?!type\b)[^;]*?from\s+["']@aws-sdk\/(lib-dynamodb|client-dynamodb)["']/ms;
const isDoor = (path: string) => /(^|\/)repo[^/]*\.ts$/.test(path) || /^core\/db\/(client|page|migrations|table)\.ts$/.test(path);

const KNOWN_OUTSIDE: string[] = [
  // written the same session this test landed, before it was seen (#16: to move into their repos next)
];

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== "node_modules" && !name.startsWith("_") && !name.startsWith(".")) out.push(...sources(path));
    } else if (name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.endsWith(".d.ts")) out.push(relative(root, path));
  }
  return out;
}

const importing = ["core", "functions"].flatMap((d) => sources(join(root, d))).filter((f) => DYNAMO.test(readFileSync(join(root, f), "utf8")));

describe("the repo is the one door to the table", () => {
  it("no file outside the repos and the table layer imports DynamoDB commands (beyond the known list, which only shrinks)", () => {
    const outside = importing.filter((f) => !isDoor(f));
    expect(outside.filter((f) => !KNOWN_OUTSIDE.includes(f))).toEqual([]);
  });

  it("every file on the known list still imports them (strike a file from the list once its table work moved into its repo)", () => {
    expect(KNOWN_OUTSIDE.filter((f) => !importing.includes(f))).toEqual([]);
  });

  it("the walk finds the repos (the check is not vacuous)", () => {
    expect(importing.filter(isDoor).length).toBeGreaterThan(5);
    expect(importing).toContain("core/case/repo.ts");
  });
});
