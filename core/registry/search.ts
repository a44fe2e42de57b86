import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { db } from "../db/client.ts";
import { actorOf, auditPut } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import { searchHash } from "../crypto/sealed.ts";
import { parse } from "../validate.ts";
import { canRead } from "./access.ts";
import { byPhoneHash, peopleByIdHash } from "./repo.ts";
import { SearchInput } from "./schema.ts";
import { householdView, personView, placeView } from "./views.ts";

export type SearchHit = ({ entity: "person" } & ReturnType<typeof personView>) | ({ entity: "household" } & ReturnType<typeof householdView>) | ({ entity: "place" } & ReturnType<typeof placeView>);

/**
 * Exact search by ID number or phone: the value is normalized, turned into its blind index
 * (keyed HMAC) and looked up on gsi2 / gsi3. Results outside the caller's scope are dropped.
 * The search itself is audited (what was searched by, how many found; never the value).
 */
export async function searchRegistry(p: Principal, input: unknown, now: Date): Promise<{ items: SearchHit[] }> {
  const s = parse(SearchInput, input, "search");
  let items: SearchHit[];
  if (s.idNumber) {
    const people = await peopleByIdHash(await searchHash("id", s.idNumber));
    items = people.filter((x) => canRead(p, x.unitPath)).map((x) => ({ entity: "person" as const, ...personView(x) }));
  } else {
    const hits = await byPhoneHash(await searchHash("phone", s.phone!));
    items = hits
      .filter((h) => canRead(p, h.record.unitPath))
      .map((h) =>
        h.entity === "person"
          ? { entity: "person" as const, ...personView(h.record) }
          : h.entity === "household"
            ? { entity: "household" as const, ...householdView(h.record) }
            : { entity: "place" as const, ...placeView(h.record) },
      );
  }
  const by = s.idNumber ? "ID number" : "phone";
  await db().send(new PutCommand(auditPut({ actor: actorOf(p), action: "registry.search", entity: "registry", entityId: "search", summary: `search by ${by}: ${items.length} found` }, now).Put));
  return { items };
}
