/**
 * Area message files: each console area keeps its own `messages.zh.ts` / `messages.en.ts`
 * (a partial tree such as `{ app: { appraisals: {...} }, resources: { appraisals: {...} } }`),
 * listed once in zh.ts and once in en.ts and deep-merged over the base tree here, so areas
 * never edit the same lines of the big message files.
 */
type Tree = { [key: string]: unknown };

const isTree = (v: unknown): v is Tree => v !== null && typeof v === "object" && !Array.isArray(v);

/** Deep-merges `parts` over `base` (later wins on leaves); a leaf overwritten by a different leaf is a programming error. */
export function mergeMessages<T extends Tree>(base: T, parts: Tree[]): T {
  const out: Tree = structuredClone(base);
  const into = (target: Tree, src: Tree, path: string) => {
    for (const [k, v] of Object.entries(src)) {
      const at = path ? `${path}.${k}` : k;
      if (isTree(v) && isTree(target[k])) into(target[k] as Tree, v, at);
      else if (isTree(v)) target[k] = structuredClone(v);
      else if (k in target && target[k] !== v) throw new Error(`message ${at} is defined twice`);
      else target[k] = v;
    }
  };
  for (const part of parts) into(out, part, "");
  return out as T;
}
