import * as z from "zod/mini";
import type { Principal } from "../auth/principal.ts";
import { asCrs, type Crs } from "../geo/crs.ts";
import { NotFoundError } from "../errors.ts";
import { parse } from "../validate.ts";
import { actorFor } from "./actor.ts";
import { allowedActions } from "./machine.ts";
import { residentCase } from "./public.ts";
import { getCase, type DomainEvent } from "./repo.ts";
import type { ActionName, Case } from "./schema.ts";

/*
 * What every case route answers with (a case view), and the Idempotency-Key handling that reporting
 * and acting share. The case service is split by what routes load (issue #15, docs/deploy.md
 * "Cold path"): core/case/read.ts (read, list), core/case/report.ts (report, possible duplicates),
 * core/case/act.ts (actions, the system's actions); each imports only this module of the others.
 */

export const IDEMPOTENCY_SECONDS = 24 * 3600;
const IdemKey = z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[\w.:-]+$/, "letters, digits and _ . : - only"));

export interface CaseView {
  case: Case;
  allowedActions: ActionName[];
  timeline?: DomainEvent[];
  possibleDuplicates?: Array<{ id: string; number: string; state: string; distanceMeters: number; createdAt: string }>;
  replayed?: boolean;
}

export function idem(p: Principal, key: string | undefined) {
  if (key === undefined) return undefined;
  return { callerId: `${p.kind}:${p.id}`, key: parse(IdemKey, key, "Idempotency-Key header") };
}

/** A case view with its location in the system the caller asked for (`?crs=`, or the report's own `location.crs`). */
export function inCrs<V extends { case: Case }>(v: V, crs: Crs | undefined): V {
  return !crs || crs === "wgs84" ? v : { ...v, case: { ...v.case, location: asCrs(v.case.location, crs) } };
}

export function view(p: Principal, c: Case, now: Date, extra: Partial<CaseView> = {}): CaseView {
  // residents see the public fields of their own cases (an allow-list, core/case/public.ts), never what staff wrote
  const shown = p.kind === "resident" ? (residentCase(c) as unknown as Case) : c;
  return { case: shown, allowedActions: p.kind === "system" ? [] : allowedActions(c, actorFor(p, c.unitPath), now), ...extra };
}

export async function replay(p: Principal, caseId: string, now: Date): Promise<CaseView> {
  const c = await getCase(caseId);
  if (!c) throw new NotFoundError("Case not found");
  return view(p, c, now, { replayed: true });
}
