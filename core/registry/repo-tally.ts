/**
 * Registry counts per subtree (台账汇总): households, people and places of each unit INCLUDING its
 * descendants, for the console's unit tree. One item per unit, `pk = AGG#registry`, `sk = unit#<id>`
 * (next to the case aggregates: the tree reads both in one BatchGet).
 *
 * Kept two ways:
 * - on every registry write, after its transaction committed: `ADD` on each unit that the record
 *   entered or left (`shiftTally`; a move between two grids of one community touches the two grids
 *   only, not the community or the county). These are plain ADDs outside the record's transaction
 *   on purpose: every write of the county would otherwise lock the county's own counter item, and
 *   concurrent writes (a bulk import) would cancel each other's transactions. A retried request
 *   replays its stored answer (core/web idempotency) and does not add twice.
 * - exactly, by a recount (`recountTallies`) from the list indexes, nightly and after a unit move
 *   (whose records change ancestors in bulk): it corrects any count a crash between commit and
 *   ADD left behind. The recount reads every registry record once (projected to its path).
 */
import { BatchWriteCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { logger } from "../log.ts";
import { pathShift, unitsOf } from "../unit/path-shift.ts";

export type TallyKind = "households" | "people" | "places";
export const TALLY_KINDS: readonly TallyKind[] = ["households", "people", "places"];
export type Tally = Record<TallyKind, number>;

const PK = "AGG#registry";
export const tallyKey = (unitId: string) => ({ pk: PK, sk: `unit#${unitId}` });

/** The list index partition of each kind (core/db/keys.ts householdList, personList, placeList). */
const LISTS: Record<TallyKind, string> = { households: "HOUSEHOLDS", people: "PEOPLE", places: "PLACES" };

/** Apply a shift after a committed write. A failure is logged, not thrown (the write stands; the nightly recount corrects it). */
export async function shiftTally(kind: TallyKind, from: string | null, to: string | null, n = 1): Promise<void> {
  if (n === 0) return;
  const shift = pathShift(from, to, n);
  await Promise.all(
    [...shift].map(async ([unitId, delta]) => {
      try {
        await db().send(
          new UpdateCommand({
            TableName: tableName(),
            Key: tallyKey(unitId),
            UpdateExpression: "SET #et = :et ADD #k :d",
            ExpressionAttributeNames: { "#et": "_et", "#k": kind },
            ExpressionAttributeValues: { ":et": "RegistryTally", ":d": delta },
          }),
        );
      } catch (e) {
        logger.warn("registry tally not updated; the nightly recount corrects it", { unitId, kind, delta, error: (e as Error).name });
      }
    }),
  );
}

/** Counts of every unit from the list indexes (each record counted on every unit of its path). */
export async function countFromLists(onPage?: (kind: TallyKind, records: number) => void): Promise<Map<string, Tally>> {
  const counts = new Map<string, Tally>();
  for (const kind of TALLY_KINDS) {
    let start: Record<string, unknown> | undefined;
    let seen = 0;
    do {
      const out = await db().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: "gsi1",
          KeyConditionExpression: "gsi1pk = :pk",
          ExpressionAttributeValues: { ":pk": LISTS[kind] },
          ProjectionExpression: "unitPath",
          ExclusiveStartKey: start,
        }),
      );
      for (const raw of out.Items ?? []) {
        for (const id of unitsOf(raw.unitPath as string)) {
          const t = counts.get(id) ?? { households: 0, people: 0, places: 0 };
          t[kind] += 1;
          counts.set(id, t);
        }
      }
      seen += out.Items?.length ?? 0;
      onPage?.(kind, seen);
      start = out.LastEvaluatedKey;
    } while (start);
  }
  return counts;
}

/** The stored tallies (one partition). */
export async function storedTallies(): Promise<Map<string, Tally>> {
  const found = new Map<string, Tally>();
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": PK }, ExclusiveStartKey: start }));
    for (const raw of out.Items ?? []) {
      found.set(String(raw.sk).slice("unit#".length), { households: Number(raw.households ?? 0), people: Number(raw.people ?? 0), places: Number(raw.places ?? 0) });
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return found;
}

/**
 * Rewrite the tallies that differ from a recount (units without records get zeros). Returns how
 * many units were corrected. Run when the county is quiet (03:30) or right after a unit move: a
 * registry write landing between the recount's read and its write may be off by one until the next.
 */
export async function recountTallies(log?: (msg: string) => void): Promise<{ units: number; corrected: number; records: Tally }> {
  const [counted, stored] = [await countFromLists((kind, n) => log?.(`recount ${kind}: ${n} records read`)), await storedTallies()];
  const zero: Tally = { households: 0, people: 0, places: 0 };
  const ids = new Set([...counted.keys(), ...stored.keys()]);
  const writes: Array<Record<string, unknown>> = [];
  for (const id of ids) {
    const want = counted.get(id) ?? zero;
    const have = stored.get(id) ?? zero;
    if (TALLY_KINDS.every((k) => want[k] === have[k]) && stored.has(id)) continue;
    writes.push({ PutRequest: { Item: { ...tallyKey(id), _et: "RegistryTally", ...want } } });
  }
  for (let i = 0; i < writes.length; i += 25) {
    let request: Record<string, any> | undefined = { [tableName()]: writes.slice(i, i + 25) };
    while (request && Object.keys(request).length) {
      const res: { UnprocessedItems?: Record<string, any> } = await db().send(new BatchWriteCommand({ RequestItems: request }));
      request = res.UnprocessedItems;
    }
  }
  return { units: ids.size, corrected: writes.length, records: totals(counted) };
}

/** Records counted: the root's count is the largest (every path starts at the root). */
function totals(counted: Map<string, Tally>): Tally {
  const out: Tally = { households: 0, people: 0, places: 0 };
  for (const t of counted.values()) for (const k of TALLY_KINDS) out[k] = Math.max(out[k], t[k]);
  return out;
}
