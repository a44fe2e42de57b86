import { ForbiddenError, NotFoundError } from "../errors.ts";
import { hasPermission, type Principal } from "../auth/principal.ts";
import type { Permission } from "../auth/roles.ts";
import type { Settings } from "../settings/settings.ts";
import { allCategories, reportable, type ServiceEntry } from "./catalog.ts";

/*
 * What POST requests (core/open311/create.ts) shares with the read side (core/open311/service.ts,
 * which re-exports it): the caller and jurisdiction checks, the service lookup and the form's
 * attributes. Its own module so that a report does not load the read side's feeds, labels and
 * lookups (partner area, issue #15).
 */

/** Who calls: the `api_key` parameter (already resolved by the caller) or the request's own credentials. */
export function requireCaller(p: Principal | undefined, perm: Permission): Principal {
  if (!p) throw new ForbiddenError("An api_key is required: ask the county administrator for a partner API key");
  if (!hasPermission(p, perm)) throw new ForbiddenError(`This api_key may not do this (needs ${perm})`);
  return p;
}

/** One jurisdiction per endpoint: the county (its 6-digit division code). Optional, but checked when given. */
export function checkJurisdiction(id: string | undefined, s: Settings): void {
  if (id && id !== s.countyCode) throw new NotFoundError(`jurisdiction_id ${id} not found (this endpoint serves ${s.countyCode})`);
}

export async function findService(code: string): Promise<ServiceEntry> {
  const wanted = code.trim().toUpperCase();
  const found = reportable(await allCategories()).find((e) => e.category.code === wanted);
  if (!found) throw new NotFoundError(`service_code ${code} not found`);
  return found;
}

/** `attribute[code]=v` and `attribute[code][]=v` fields of a form. */
export function attributesOf(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    const m = /^attribute\[([A-Za-z0-9_.-]{1,64})\](?:\[\])?$/.exec(k);
    if (m && typeof v === "string") out[m[1]] = v.trim();
  }
  return out;
}
