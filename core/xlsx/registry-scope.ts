/** The registry's records under a caller's scopes, as stored (the registry export and import read them; apart from registry-apply.ts so the export does not load the writes). */
import { scopesFor, type Principal } from "../auth/principal.ts";
import { strip } from "../db/items.ts";
import { listUnderPath } from "../registry/repo.ts";

/** Every record of a registry list index (`HOUSEHOLDS` | `PEOPLE`) under the caller's write scopes, as stored. */
export async function recordsInScope<T>(p: Principal, list: "HOUSEHOLDS" | "PEOPLE", perm: "registry:write" | "registry:read" = "registry:write"): Promise<T[]> {
  const out: T[] = [];
  const scopes = [...new Set(scopesFor(p, perm))].sort((a, b) => a.length - b.length);
  const roots = scopes.filter((s, i) => !scopes.slice(0, i).some((t) => s.startsWith(t)));
  for (const root of roots) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await listUnderPath(list, root, start);
      for (const raw of page.items) out.push(strip<T>(raw)!);
      start = page.next;
    } while (start);
  }
  return out;
}

