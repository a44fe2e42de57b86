import { ForbiddenError, InvalidError } from "../errors.ts";
import { actorOf, auditPut } from "../audit/entry.ts";
import { inScopes, scopesFor, type Principal } from "../auth/principal.ts";
import { parse } from "../validate.ts";
import { visibleOr404 } from "./access.ts";
import { openField } from "./protect.ts";
import { getHousehold, getPerson, getPlace } from "./repo.ts";
import { putAuditRow } from "../audit/repo-row.ts";
import { RevealInput } from "./schema.ts";
import { chargeQuota } from "./quota.ts";
import { chargeUnitReveal } from "./unit-quota.ts";

type Entity = "person" | "household" | "place";

/** The sealed fields each record kind can reveal: API name → stored attribute. */
const REVEALABLE: Record<Entity, Record<string, string>> = {
  person: { idNumber: "idNumberSealed", phone: "phoneSealed", birthDate: "birthDateSealed" },
  household: { contactPhone: "contactPhoneSealed" },
  place: { ownerPhone: "ownerPhoneSealed" },
};

const LOAD = { person: getPerson, household: getHousehold, place: getPlace } as const;
const NAME: Record<Entity, string> = { person: "Person", household: "Household", place: "Place" };

export interface Revealed {
  entity: Entity;
  id: string;
  fields: Record<string, string | null>;
  purpose: string;
  reason: string;
  revealedAt: string;
}

/**
 * Show the plaintext of sealed fields to a holder of registry:reveal over the record's unit. The
 * audit entry (who, when, which record and fields, why) is written first: no entry, no plaintext.
 */
export async function reveal(p: Principal, entity: Entity, id: string, input: unknown, now: Date): Promise<Revealed> {
  const { purpose, reason, reference, fields } = parse(RevealInput, input, "reveal");
  const known = REVEALABLE[entity];
  const wanted = fields ?? Object.keys(known);
  const unknown = wanted.flatMap((f, i) => (Object.hasOwn(known, f) ? [] : [{ path: `fields.${i}`, message: `one of ${Object.keys(known).join(", ")}` }]));
  if (unknown.length) throw new InvalidError("Unknown fields to reveal", { fields: unknown });
  const record = visibleOr404(p, (await LOAD[entity](id, true)) as ({ unitPath: string } & Record<string, unknown>) | undefined, NAME[entity], id);
  if (!inScopes(record.unitPath, scopesFor(p, "registry:reveal"))) throw new ForbiddenError("Revealing this record is outside your part of the hierarchy");
  // the per-user quota, then the community's quota of the day (429 beyond either, audited as
  // registry.quota_exceeded, the county admins alerted) before any plaintext
  await chargeQuota(p, "reveal", record.unitPath, now);
  await chargeUnitReveal(p, entity, id, record.unitPath, now);
  await putAuditRow(
    auditPut(
      { actor: actorOf(p), action: "registry.reveal", entity, entityId: id, unitPath: record.unitPath, summary: `revealed ${wanted.join(", ")}`, purpose, reason, ...(reference ? { reference } : {}) },
      now,
    ),
  );
  const out: Record<string, string | null> = {};
  for (const f of wanted) {
    const sealed = record[known[f]] as string | undefined;
    out[f] = sealed ? await openField(entity, id, f, sealed) : null;
  }
  return { entity, id, fields: out, purpose, reason, revealedAt: now.toISOString() };
}
