import { actorOf, auditPut } from "../audit/entry.ts";
import { scopesFor, type Principal } from "../auth/principal.ts";
import { chargeQuota } from "./quota.ts";
import { searchHash } from "../crypto/sealed.ts";
import { parse } from "../validate.ts";
import { canRead } from "./access.ts";
import { byPhoneHash, peopleByIdHash } from "./repo.ts";
import { putAuditRow } from "../audit/repo-row.ts";
import { SearchInput } from "./schema.ts";
import { currentMasks, householdView, personView, placeView } from "./views.ts";

export type SearchHit = ({ entity: "person" } & ReturnType<typeof personView>) | ({ entity: "household" } & ReturnType<typeof householdView>) | ({ entity: "place" } & ReturnType<typeof placeView>);

/**
 * Exact search by ID number or phone: the value is normalized, turned into its blind index
 * (keyed HMAC) and looked up on gsi2 / gsi3 — equality only, no prefix or partial match, so a
 * search answers one value at a time. As controlled as a reveal (docs/registry.md "Controls"): a
 * purpose and a reason, a per-user quota in a rolling hour (429 beyond it), and an audit entry
 * with the purpose, the searched value's blind index (never the value) and the records returned.
 * Results outside the caller's scope are dropped (and not counted in the answer).
 */
export async function searchRegistry(p: Principal, input: unknown, now: Date): Promise<{ items: SearchHit[] }> {
  const s = parse(SearchInput, input, "search");
  const scope = [...scopesFor(p, "registry:read")].sort((a, b) => a.length - b.length)[0];
  await chargeQuota(p, "search", scope, now);
  const m = await currentMasks();
  let items: SearchHit[];
  const by = s.idNumber ? "idNumber" : "phone";
  const hash = s.idNumber ? await searchHash("id", s.idNumber) : await searchHash("phone", s.phone!);
  if (s.idNumber) {
    const people = await peopleByIdHash(hash);
    items = people.filter((x) => canRead(p, x.unitPath)).map((x) => ({ entity: "person" as const, ...personView(x, m) }));
  } else {
    const hits = await byPhoneHash(hash);
    items = hits
      .filter((h) => canRead(p, h.record.unitPath))
      .map((h) =>
        h.entity === "person"
          ? { entity: "person" as const, ...personView(h.record, m) }
          : h.entity === "household"
            ? { entity: "household" as const, ...householdView(h.record, m) }
            : { entity: "place" as const, ...placeView(h.record, m) },
      );
  }
  await putAuditRow(
    auditPut(
      {
        actor: actorOf(p),
        action: "registry.search",
        entity: "registry",
        entityId: "search",
        unitPath: scope,
        summary: `search by ${by === "idNumber" ? "ID number" : "phone"}: ${items.length} found`,
        purpose: s.purpose,
        reason: s.reason,
        ...(s.reference ? { reference: s.reference } : {}),
        details: { by, queryHash: hash, matched: items.map((i) => ({ entity: i.entity, id: i.id })) },
      },
      now,
    ),
  );
  return { items };
}
