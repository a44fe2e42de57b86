import { ulid } from "ulid";
import * as z from "zod/mini";
import { IdRef } from "../db/ids.ts";
import { ConflictError, ForbiddenError, InvalidError, UnavailableError } from "../errors.ts";
import { inScopes, scopesFor, type Principal } from "../auth/principal.ts";
import { distanceMeters } from "../geo/measure.ts";
import { getUnit } from "../unit/repo.ts";
import { locatePoint } from "../unit/locate.ts";
import { pointInput, stored } from "../geo/crs.ts";
import { publishEvents } from "../outbox/publish.ts";
import { parse } from "../validate.ts";
import { requireChannelGrant } from "../apikey/channel-grant.ts";
import { isCategoryGroup } from "../category/service.ts";
import { confirmAttachments } from "../attachment/presign.ts";
import { actorFor } from "./actor.ts";
import { CASE_CONFIG, caseConfig } from "./config.ts";
import { readWithConfig } from "../config/repo.ts";
import { decide } from "./decide.ts";
import { allocateNumber, commitDecision, DUPLICATE_RADIUS_M, DUPLICATE_WINDOW_H, getCasesWithConfig, getIdempotency, nearRowsAt, type DomainEvent } from "./repo.ts";
import { Attachment, Channel, Location, isTerminal, type Case } from "./schema.ts";
import { IDEMPOTENCY_SECONDS, idem, replay, view, type CaseView } from "./view.ts";

/* Reporting a case (any channel) and the possible duplicates it answers with (issue #15: its own module, core/case/view.ts). */

export const ReportRequest = z.object({
  categoryId: IdRef(40),
  description: z.string().check(z.trim(), z.minLength(1), z.maxLength(4000)),
  /** `{lng, lat, crs?, address?}`: converted to WGS84 (core/geo/crs.ts) before locating and storing */
  location: pointInput({ address: Location.shape.address }),
  /** resolved from the location when omitted */
  unitId: z.optional(IdRef(40)),
  urgent: z.optional(z.boolean()),
  channel: z.optional(Channel),
  origin: z.optional(z.object({ ref: z.optional(z.string().check(z.maxLength(128))), forwardedBy: z.optional(z.string().check(z.maxLength(128))) })),
  attachments: z._default(z.array(Attachment).check(z.maxLength(20)), []),
});

function defaultChannel(p: Principal): z.infer<typeof Channel> {
  if (p.kind === "resident") return "resident";
  if (p.kind === "api_key") return "partner";
  if (p.kind === "user") {
    const roles = p.assignments.map((a) => a.role);
    if (roles.includes("grid_worker") || roles.includes("grid_leader")) return "grid_worker";
    if (roles.includes("department_staff")) return "department";
  }
  return "hotline";
}

/** Report a new case (any channel). With an Idempotency-Key a retry returns the original case. */
export async function reportCase(p: Principal, input: unknown, now: Date, idempotencyKey?: string): Promise<CaseView> {
  const data = parse(ReportRequest, input, "report");
  requireChannelGrant(p, data.channel); // police/hotline only for keys granted them (403 naming `channel`)
  await readWithConfig([], CASE_CONFIG, now); // the container's configuration, in one read only when some is due (#16)
  if (await isCategoryGroup(data.categoryId)) {
    throw new InvalidError("Report under a specific category, not a group of categories", { fields: [{ path: "categoryId", message: "has sub-categories: choose one of them" }] });
  }
  const idemRef = idem(p, idempotencyKey);
  if (idemRef) {
    const prior = await getIdempotency(idemRef.callerId, idemRef.key);
    if (prior) return replay(p, prior.caseId, now);
  }
  const unit = data.unitId ? await getUnit(data.unitId) : (await locatePoint(data.location.lng, data.location.lat))?.unit;
  if (!unit || !unit.active) {
    throw new InvalidError(data.unitId ? "Unknown or inactive unit" : "The location is outside every active grid of the county; give a unitId", {
      fields: [{ path: data.unitId ? "unitId" : "location", message: "no active unit" }],
    });
  }
  if (p.kind === "user" || p.kind === "api_key") {
    if (!inScopes(unit.path, scopesFor(p, "cases:report"))) throw new ForbiddenError("You may only report cases in your part of the hierarchy");
  }
  await confirmAttachments(data.attachments, [`uploads/${p.kind}-${p.id}/`]);
  const config = await caseConfig(data.categoryId, unit.path);
  const id = ulid(now.getTime());
  const number = await allocateNumber(String(localYear(now, config.timeZone)));
  const actor = actorFor(p, unit.path);
  const decision = decide(
    null,
    {
      action: "report",
      id,
      number,
      categoryId: data.categoryId,
      isDispute: config.isDispute,
      urgent: data.urgent ?? config.urgent,
      description: data.description,
      location: stored(data.location),
      unitId: unit.id,
      unitPath: unit.path,
      channel: data.channel ?? defaultChannel(p),
      origin: data.origin,
      attachments: data.attachments,
    },
    actor,
    now,
    config,
  );
  let events: DomainEvent[];
  try {
    events = await commitDecision(null, decision, idemRef ? { idempotency: { ...idemRef, expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_SECONDS } } : {});
  } catch (e) {
    // a concurrent request with the same Idempotency-Key won: answer with its case
    if (idemRef && (e instanceof ConflictError || e instanceof UnavailableError)) {
      const prior = await waitForIdempotency(idemRef.callerId, idemRef.key);
      if (prior) return replay(p, prior.caseId, now);
    }
    throw e;
  }
  await publishEvents(events);
  const possibleDuplicates = await duplicatesNear(decision.next, now);
  return view(p, decision.next, now, { possibleDuplicates });
}

async function waitForIdempotency(callerId: string, key: string) {
  for (let i = 0; i < 20; i++) {
    const prior = await getIdempotency(callerId, key);
    if (prior) return prior;
    await new Promise((r) => setTimeout(r, 25 * (i + 1)));
  }
  return undefined;
}

function localYear(now: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat("en", { timeZone, year: "numeric" }).format(now));
}

/** Open cases of the same category within ~100 m reported in the last 72 h (geohash cells). */
async function duplicatesNear(c: Case, now: Date): Promise<NonNullable<CaseView["possibleDuplicates"]>> {
  const since = new Date(now.getTime() - DUPLICATE_WINDOW_H * 3600_000).toISOString();
  // one Query: every case within 100 m has a near row in this point's cell (core/case/repo.ts nearRows)
  const rows = await nearRowsAt(c.location.lng, c.location.lat, c.categoryId, since);
  const here: [number, number] = [c.location.lng, c.location.lat];
  // rows carry their point: only those within 100 m are read, for their number and current state (rows from before #16 have none).
  // A case that ended within the window took its rows with it (core/case/repo.ts nearRowChange), so these are open cases: the read
  // happens only when one lies within 100 m; the state filter below stays for a case ending between this Query and the read.
  const ids = [...new Set(rows.filter((r) => r.caseId !== c.id && (r.lng === undefined || r.lat === undefined || distanceMeters(here, [r.lng, r.lat]) <= DUPLICATE_RADIUS_M)).map((r) => r.caseId))];
  if (!ids.length) return [];
  const found = await getCasesWithConfig(ids.slice(0, 100), CASE_CONFIG, now); // and the configuration half way to due: the next report need not read it
  return [...found.values()]
    .filter((d) => !isTerminal(d.state))
    .map((d) => ({ id: d.id, number: d.number, state: d.state, createdAt: d.createdAt, distanceMeters: Math.round(distanceMeters(here, [d.location.lng, d.location.lat])) }))
    .filter((d) => d.distanceMeters <= DUPLICATE_RADIUS_M)
    .sort((a, b) => a.distanceMeters - b.distanceMeters);
}
