import * as keys from "../db/keys.ts";
import { queryPage, type Page } from "../db/page.ts";
import { strip } from "../db/items.ts";
import { NotFoundError } from "../errors.ts";
import { inScopes, scopesFor, type Principal } from "../auth/principal.ts";
import { parse } from "../validate.ts";
import { getUnit } from "./repo.ts";
import { UnitQuery, type Unit } from "./schema.ts";

/*
 * Reading units: one unit, the lists (children, subtree, code or name search). Apart from
 * core/unit/service.ts (create, update, deactivate, move) so that the read routes (units list and
 * read, the tree, the map, the QR sheets) do not load the boundary checks and their clipping code
 * (polyclip-ts, bignumber.js) nor the subtree move (issue #15, docs/deploy.md "Cold path").
 */

/** Units a principal may read: its scopes' subtrees, plus the ancestors of those scopes (to show context). */
export function canRead(p: Principal, u: Unit): boolean {
  const scopes = scopesFor(p, "units:read");
  return inScopes(u.path, scopes) || scopes.some((s) => s.startsWith(u.path));
}

export async function readUnit(p: Principal, id: string): Promise<Unit> {
  const u = await getUnit(id);
  if (!u || !canRead(p, u)) throw new NotFoundError(`Unit ${id} not found`);
  return u;
}

/** Children, a subtree, or a search by code prefix / name, always limited to the caller's scope. */
export async function listUnits(p: Principal, input: unknown): Promise<Page<Unit>> {
  const q = parse(UnitQuery, input, "query");
  const scopes = scopesFor(p, "units:read");
  const activeFilter = q.active ? { expr: "active = :act", values: { ":act": q.active === "true" } } : undefined;
  const visible = (raw: Record<string, unknown>) => {
    const u = raw as unknown as Unit;
    return inScopes(u.path, scopes) || scopes.some((s) => s.startsWith(u.path)) ? strip<Unit>(raw) : undefined;
  };
  if (q.parentId) {
    const parent = await readUnit(p, q.parentId);
    return queryPage<Unit>(
      {
        IndexName: "gsi2",
        KeyConditionExpression: "gsi2pk = :pk",
        FilterExpression: activeFilter?.expr,
        ExpressionAttributeValues: { ":pk": keys.unitChild(parent.id, "").gsi2pk, ...activeFilter?.values },
      },
      q,
      { map: visible },
    );
  }
  if (q.q && /^\d+$/.test(q.q)) {
    return queryPage<Unit>(
      {
        IndexName: "gsi3",
        KeyConditionExpression: "gsi3pk = :pk AND begins_with(gsi3sk, :c)",
        FilterExpression: activeFilter?.expr,
        ExpressionAttributeValues: { ":pk": "UNITCODES", ":c": q.q, ...activeFilter?.values },
      },
      q,
      { map: visible },
    );
  }
  // subtree (of the given unit, or of the caller's first scope), optionally filtered by name
  const root = q.subtreeOf ? (await readUnit(p, q.subtreeOf)).path : (scopes.sort((a, b) => a.length - b.length)[0] ?? null);
  if (!root) return { items: [], nextCursor: null };
  const filters = [q.q ? "contains(#name, :q)" : undefined, activeFilter?.expr].filter(Boolean);
  return queryPage<Unit>(
    {
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)",
      FilterExpression: filters.length ? filters.join(" AND ") : undefined,
      ExpressionAttributeNames: q.q ? { "#name": "name" } : undefined,
      ExpressionAttributeValues: { ":pk": "UNITS", ":p": root, ...(q.q ? { ":q": q.q } : {}), ...activeFilter?.values },
    },
    q,
    { map: visible, maxReads: 50 },
  );
}

