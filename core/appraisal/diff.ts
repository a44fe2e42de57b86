/**
 * The difference between two scoring rule sets, leaf by leaf (pure; the console imports it too).
 * Five-color indicators are matched by key, not position, so reordering them is no change and a
 * weight change reads `fiveColor.indicators[closeRate].weight`; bands and grades by position.
 */

export type RuleChange = { path: string; kind: "added" | "removed" | "changed"; from: unknown; to: unknown };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const keyed = (xs: unknown[]): boolean => xs.length > 0 && xs.every((x) => isObj(x) && typeof x.key === "string");

function walk(path: string, a: unknown, b: unknown, out: RuleChange[]): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined) return void out.push({ path, kind: "added", from: null, to: b });
  if (b === undefined) return void out.push({ path, kind: "removed", from: a, to: null });
  if (Array.isArray(a) && Array.isArray(b)) {
    if (keyed(a) || keyed(b)) {
      const left = new Map(a.map((x) => [(x as Obj).key as string, x]));
      const right = new Map(b.map((x) => [(x as Obj).key as string, x]));
      for (const k of new Set([...left.keys(), ...right.keys()])) walk(`${path}[${k}]`, left.get(k), right.get(k), out);
      return;
    }
    if (a.every((x) => !isObj(x)) && b.every((x) => !isObj(x))) {
      if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, kind: "changed", from: a, to: b });
      return;
    }
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(`${path}.${i}`, a[i], b[i], out);
    return;
  }
  if (isObj(a) && isObj(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) walk(path ? `${path}.${k}` : k, a[k], b[k], out);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, kind: "changed", from: a, to: b });
}

/** Changes from `before` to `after` (record fields `version`, `updatedAt`, `updatedBy` ignored). */
export function rulesDiff(before: Obj, after: Obj): RuleChange[] {
  const strip = ({ version: _v, updatedAt: _u, updatedBy: _b, presets: _p, ...rest }: Obj) => rest;
  const out: RuleChange[] = [];
  walk("", strip(before), strip(after), out);
  return out;
}
