import { tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item } from "../db/items.ts";

/**
 * A household's visit state: a small item beside the household (`HOUSEHOLD#id / VISITSTATE`)
 * that the registry keeps in step (unit, class, address) and visits move forward (last visit).
 * On gsi2 it sits under its class ordered by the last visit (or, never visited, by its creation),
 * so "overdue" is one range query per class: sk < now − frequency.
 */
export type VisitState = {
  householdId: string;
  unitId: string;
  unitPath: string;
  address: string;
  class: string;
  lastVisitAt: string | null;
  since: string;
}

export interface HouseholdLike {
  id: string;
  unitId: string;
  unitPath: string;
  address: string;
  class: string;
  createdAt: string;
}

export function visitStateItem(h: HouseholdLike) {
  const s: VisitState = { householdId: h.id, unitId: h.unitId, unitPath: h.unitPath, address: h.address, class: h.class, lastVisitAt: null, since: h.createdAt };
  return item("VisitState", { ...keys.visitState(h.id), ...keys.visitDue(h.class, h.createdAt, h.id) }, s);
}

/** Transaction entry keeping the state in step with a changed household (never touches the last visit). */
export function visitStateSync(h: HouseholdLike) {
  const due = keys.visitDue(h.class, h.createdAt, h.id);
  return {
    Update: {
      TableName: tableName(),
      Key: keys.visitState(h.id),
      UpdateExpression:
        "SET #u = :u, #p = :p, #a = :a, #c = :c, gsi2pk = :g, gsi2sk = if_not_exists(gsi2sk, :sk), #s = if_not_exists(#s, :since), #h = :id, #l = if_not_exists(#l, :null), #et = :et",
      ExpressionAttributeNames: { "#u": "unitId", "#p": "unitPath", "#a": "address", "#c": "class", "#s": "since", "#h": "householdId", "#l": "lastVisitAt", "#et": "_et" },
      ExpressionAttributeValues: { ":u": h.unitId, ":p": h.unitPath, ":a": h.address, ":c": h.class, ":g": due.gsi2pk, ":sk": due.gsi2sk, ":since": h.createdAt, ":id": h.id, ":null": null, ":et": "VisitState" },
    },
  };
}

export const visitStateDelete = (householdId: string) => ({ Delete: { TableName: tableName(), Key: keys.visitState(householdId) } });
