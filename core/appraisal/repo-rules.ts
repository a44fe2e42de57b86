import { GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { queryPage, type Page } from "../db/page.ts";
import { atVersion } from "../db/conditions.ts";
import { ConflictError } from "../errors.ts";
import type { auditPut } from "../audit/entry.ts";
import { presetRecord } from "./presets.ts";
import type { ScoringRules, ScoringRulesRecord } from "./schema.ts";

/**
 * The scoring rules' table access (#16, the repo is the one door): the rules in force
 * (`CONFIG / SCORING_RULES`) and every saved version (`SCORINGRULES / V#<version>`).
 */

export type RulesVersion = { version: number; rules: ScoringRules; savedAt: string; savedBy: { kind: string; id: string; name?: string }; note?: string };

/** The county's saved rules (strongly consistent), or undefined while it scores with the presets. */
export async function getStoredScoringRules(): Promise<ScoringRulesRecord | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.scoringRules(), ConsistentRead: true }));
  return strip<ScoringRulesRecord>(out.Item);
}

/**
 * Save new rules: the rules in force (only while the stored version is still `expected`;
 * undefined: none is stored yet), the version item (never overwritten) and the audit row, in one
 * transaction. 409 with the rules now in force when someone saved meanwhile.
 */
export async function saveScoringRules(next: ScoringRulesRecord, saved: RulesVersion, expected: number | undefined, audit: ReturnType<typeof auditPut>): Promise<void> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: item("ScoringRules", keys.scoringRules(), next), ...atVersion(expected) } },
          { Put: { TableName: tableName(), Item: item("ScoringRulesVersion", keys.scoringRulesVersion(next.version), saved), ConditionExpression: "attribute_not_exists(pk)" } },
          audit,
        ],
      }),
    );
  } catch (e) {
    if (isConditionFailure(e)) throw new ConflictError("The scoring rules were changed by someone else; reload and retry", { current: (await getStoredScoringRules()) ?? presetRecord() });
    mapStorageError(e);
  }
}

/** Saved versions, newest first (`Query pk = SCORINGRULES`, descending). */
export function scoringRuleVersionsPage(page: { limit: number; cursor?: string }): Promise<Page<RulesVersion>> {
  return queryPage<RulesVersion>({ KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": keys.scoringRulesVersion(0).pk }, ScanIndexForward: false }, page);
}
