import { ulid } from "ulid";
import { PageQuery, type Page } from "../db/page.ts";
import { ForbiddenError, InvalidError, NotFoundError } from "../errors.ts";
import { actorOf, auditPut } from "../audit/entry.ts";
import { randomSecret } from "../auth/password.ts";
import { inScopes, requireScope, scopesFor, type Principal } from "../auth/principal.ts";
import type { Permission } from "../auth/roles.ts";
import { parse } from "../validate.ts";
import { getUnit } from "../unit/repo.ts";
import { CreateApiKey, type ApiKey } from "./schema.ts";
import { apiKeysPage, findApiKeyById, putNewApiKey, revokeApiKeyRecord } from "./repo.ts";
import { authenticateApiKey, hashKey } from "./authenticate.ts";

// resolving a key lives apart (functions/authenticate.ts loads only it); re-exported for the key's other users
export { authenticateApiKey, hashKey };

/**
 * Partner permissions no staff role holds, delegated by `api-keys:manage`: a partner reports and
 * acts on cases in its own name (channel `partner`). Every other permission of a key must be held
 * by its creator over the key's unit.
 */
const DELEGATED: readonly Permission[] = ["cases:report", "cases:act"];

/** Keys an admin manages: those whose unit (the county, `/`, for a key without one) is inside their api-keys:manage scope. */
const manages = (p: Principal, k: Pick<ApiKey, "unitPath">) => (k.unitPath ? inScopes(k.unitPath, scopesFor(p, "api-keys:manage")) : countyWide(p));
const isCountyScope = (s: string) => s.split("/").filter(Boolean).length <= 1;
const countyWide = (p: Principal) => scopesFor(p, "api-keys:manage").some(isCountyScope);
/** Does the principal hold `perm` over the unit (the whole county when none)? */
const holds = (p: Principal, perm: Permission, unitPath: string | undefined) => (unitPath ? inScopes(unitPath, scopesFor(p, perm)) : scopesFor(p, perm).some(isCountyScope));

/**
 * Create a key: the secret is returned once and stored only as a SHA-256 hash. Scoped like its
 * creator: its unit inside the creator's api-keys:manage scope (a key without a unit, county-wide,
 * only by a county-wide admin), each permission held by the creator there (or DELEGATED), and the
 * police/hotline channels granted only by a county-wide admin. Audited with everything it grants.
 */
export async function createApiKey(p: Principal, input: unknown, now: Date): Promise<ApiKey & { key: string }> {
  const data = parse(CreateApiKey, input, "API key");
  let unitPath: string | undefined;
  if (data.unitId) {
    const unit = await getUnit(data.unitId);
    if (!unit) throw new InvalidError("Unknown unit", { fields: [{ path: "unitId", message: "unknown unit" }] });
    requireScope(p, "api-keys:manage", unit.path);
    unitPath = unit.path;
  } else if (!countyWide(p)) {
    // a key without a unit covers the whole county: only a county-wide admin may create one
    throw new ForbiddenError("Only a county-wide administrator may create a key for the whole county");
  }
  const beyond = data.permissions.flatMap((perm, i) =>
    DELEGATED.includes(perm) || holds(p, perm, unitPath) ? [] : [{ path: `permissions.${i}`, message: `you do not hold ${perm} over the key's unit` }],
  );
  if (beyond.length) throw new ForbiddenError("A key cannot get permissions beyond its creator's", { fields: beyond });
  if (data.channels.length && !countyWide(p)) {
    throw new ForbiddenError("Only a county-wide administrator may grant the police or hotline channel", { field: "channels", fields: [{ path: "channels", message: "county-wide administrators only" }] });
  }
  const id = ulid(now.getTime());
  const key = `wg_${id.toLowerCase()}_${randomSecret(24)}`;
  const record: ApiKey = { id, name: data.name, permissions: data.permissions, unitId: data.unitId, unitPath, rateLimitPerMinute: data.rateLimitPerMinute, channels: [...new Set(data.channels)], createdAt: now.toISOString(), createdBy: p.id, version: 1 };
  await putNewApiKey(
    hashKey(key),
    record,
    auditPut(
      {
        actor: actorOf(p),
        action: "apikey.create",
        entity: "api-key",
        entityId: id,
        unitPath,
        summary: `${data.name}: ${data.permissions.join(", ")}${record.channels?.length ? `; channels ${record.channels.join(", ")}` : ""}`,
        details: { permissions: record.permissions, channels: record.channels, unitPath: unitPath ?? "/", rateLimitPerMinute: record.rateLimitPerMinute },
      },
      now,
    ),
  );
  return { ...record, key };
}

/** Keys inside the caller's api-keys:manage scope (a street admin does not see county-wide or other streets' keys). */
export async function listApiKeys(p: Principal, input: unknown): Promise<Page<ApiKey>> {
  const q = parse(PageQuery, input, "query");
  return apiKeysPage(q, (k) => (manages(p, k) ? k : undefined));
}

export async function getApiKey(p: Principal, id: string): Promise<ApiKey> {
  const found = await findApiKeyById(id);
  if (!found || !manages(p, found.record)) throw new NotFoundError(`API key ${id} not found`);
  return found.record;
}

export async function revokeApiKey(p: Principal, id: string, now: Date): Promise<ApiKey> {
  const found = await findApiKeyById(id);
  if (!found || !manages(p, found.record)) throw new NotFoundError(`API key ${id} not found`);
  if (found.record.revokedAt) return found.record;
  await revokeApiKeyRecord(found.hashKey, now.toISOString(), auditPut({ actor: actorOf(p), action: "apikey.revoke", entity: "api-key", entityId: id, unitPath: found.record.unitPath, summary: found.record.name }, now));
  return { ...found.record, revokedAt: now.toISOString(), version: found.record.version + 1 };
}
