import { QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "./client.ts";
import * as keys from "./keys.ts";
import { isConditionFailure } from "./errors.ts";
import { clock } from "../clock.ts";
import { countyMonth } from "../aggregate/apply.ts";
import { addMonths, putFoldMarker } from "../aggregate/fold.ts";
import { getSettings } from "../settings/settings.ts";
import { caseMonths } from "../case/years.ts";
import { SCHEMA_VERSION } from "./table.ts";
import { recountTallies } from "../registry/repo-tally.ts";
import { dropNearRowsOfEndedCases } from "../case/repo-near.ts";

export interface Migration {
  id: string;
  description: string;
  up(ctx: { log: (m: string) => void }): Promise<unknown>;
}

/**
 * Versioned data migrations, applied in order by `npm run migrate`. Each must be idempotent
 * (conditional writes keyed on `_sv`, the item's schema version).
 */
export const migrations: Migration[] = [
  {
    id: "0001-stamp-unit-schema-version",
    description: "stamp _sv on unit items that lack it (example migration; the first schema needs no change)",
    async up({ log }) {
      let start: Record<string, unknown> | undefined;
      let stamped = 0;
      do {
        const out = await db().send(
          new QueryCommand({ TableName: tableName(), IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :u", ExpressionAttributeValues: { ":u": "UNITS" }, ExclusiveStartKey: start }),
        );
        for (const raw of out.Items ?? []) {
          if (raw._sv !== undefined) continue;
          await db().send(
            new UpdateCommand({ TableName: tableName(), Key: { pk: raw.pk, sk: raw.sk }, UpdateExpression: "SET #sv = :v", ConditionExpression: "attribute_not_exists(#sv)", ExpressionAttributeNames: { "#sv": "_sv" }, ExpressionAttributeValues: { ":v": SCHEMA_VERSION } }),
          ).catch(() => undefined);
          stamped++;
        }
        start = out.LastEvaluatedKey;
      } while (start);
      log(`${stamped} unit(s) stamped`);
      return { stamped };
    },
  },
  {
    id: "0002-closed-cases-county-month",
    description: "re-file closed and rejected cases under the county month of their closing (they were filed under the UTC month)",
    up: ({ log }) => refileClosedCases(clock.now(), log),
  },
  {
    id: "0003-patrols-by-grid",
    description: "index every patrol by the grid it was walked in (gsi3 PATROLS#GRID#<unitId>), so a unit move re-paths patrols of workers who have left the grid",
    up: ({ log }) => indexPatrolsByGrid(log),
  },
  {
    id: "0004-registry-tallies",
    description: "count households, people and places per unit subtree (AGG#registry) for the unit tree; kept on every registry write and recounted nightly afterwards",
    up: ({ log }) => recountTallies(log),
  },
  {
    id: "0005-near-rows-of-ended-cases",
    description: "delete the duplicate-hint near rows of cases that ended within the hint's 72 h (an ending now deletes them itself, #16)",
    up: ({ log }) => dropNearRowsOfEndedCases(clock.now(), log),
  },
  {
    id: "0006-open-count-fold-marker",
    description: "the open-count fold marker AGG#live/FOLD {through: deploy month - 1, done}: open changes of later months go to the month items (#16 B, core/aggregate/fold.ts)",
    async up({ log }) {
      const through = addMonths(countyMonth(clock.now(), (await getSettings()).timeZone), -1);
      const written = await putFoldMarker(through);
      log(written ? `fold marker through ${through}` : "fold marker already there");
      return { through, written };
    },
  },
];

/**
 * Patrols written before the by-grid index (gsi3) had none: read every user's patrols
 * (`gsi1 USERS`, then `gsi1 PATROLS#<userId>` without gsi3) and stamp the index keys, only where
 * still absent. Idempotent.
 */
export async function indexPatrolsByGrid(log: (m: string) => void = () => undefined): Promise<{ indexed: number }> {
  let indexed = 0;
  let users: Record<string, unknown> | undefined;
  do {
    const us = await db().send(new QueryCommand({ TableName: tableName(), IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": keys.userList("").gsi1pk }, ProjectionExpression: "id", ExclusiveStartKey: users }));
    for (const u of us.Items ?? []) {
      let start: Record<string, unknown> | undefined;
      do {
        const out = await db().send(
          new QueryCommand({ TableName: tableName(), IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", FilterExpression: "attribute_not_exists(gsi3pk)", ExpressionAttributeValues: { ":pk": keys.patrolByUser(u.id as string, "", "").gsi1pk }, ExclusiveStartKey: start }),
        );
        for (const raw of out.Items ?? []) {
          const k = keys.patrolByUnit(raw.unitId as string, raw.startedAt as string, raw.id as string);
          try {
            await db().send(new UpdateCommand({ TableName: tableName(), Key: { pk: raw.pk, sk: raw.sk }, UpdateExpression: "SET gsi3pk = :pk, gsi3sk = :sk", ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(gsi3pk)", ExpressionAttributeValues: { ":pk": k.gsi3pk, ":sk": k.gsi3sk } }));
            indexed++;
          } catch (e) {
            if (!isConditionFailure(e)) throw e;
          }
        }
        start = out.LastEvaluatedKey;
      } while (start);
    }
    users = us.LastEvaluatedKey;
  } while (users);
  log(`${indexed} patrol(s) indexed by grid`);
  return { indexed };
}

/**
 * Closed and rejected cases used to be filed under the UTC month of their closing
 * (`CASES#CLOSED#<UTC month>`); one closed in the county's first hours of a month (before 08:00 in
 * Shanghai) sits in the previous month. Read every closed-case month partition from the first
 * year a case number was given up to now, and move each misfiled case to the county month, only if
 * its version is unchanged (a case changed meanwhile was re-filed by its own commit). Idempotent.
 */
export async function refileClosedCases(now: Date, log: (m: string) => void = () => undefined): Promise<{ checked: number; refiled: number }> {
  const timeZone = (await getSettings(true)).timeZone;
  let checked = 0;
  let refiled = 0;
  for (const month of await caseMonths(countyMonth(now, timeZone))) {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await db().send(new QueryCommand({ TableName: tableName(), IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": keys.caseByUnit(false, month, "", "", "").gsi1pk }, ExclusiveStartKey: start }));
      for (const raw of out.Items ?? []) {
        checked++;
        const right = countyMonth((raw.closedAt ?? raw.updatedAt) as string, timeZone);
        if (right === month) continue;
        try {
          await db().send(
            new UpdateCommand({ TableName: tableName(), Key: { pk: raw.pk, sk: raw.sk }, UpdateExpression: "SET gsi1pk = :pk", ConditionExpression: "#v = :v", ExpressionAttributeNames: { "#v": "version" }, ExpressionAttributeValues: { ":pk": keys.caseByUnit(false, right, "", "", "").gsi1pk, ":v": raw.version } }),
          );
          refiled++;
        } catch (e) {
          if (!isConditionFailure(e)) throw e;
        }
      }
      start = out.LastEvaluatedKey;
    } while (start);
  }
  log(`${refiled} of ${checked} closed case(s) re-filed under their county month`);
  return { checked, refiled };
}
