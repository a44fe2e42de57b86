import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { queryPage, type Page } from "../db/page.ts";
import type { ExportRequest } from "./schema.ts";

/**
 * The table side of exports (core/export/service.ts, build.ts): the request item with its two
 * lists (all exports on gsi1, a requester's on gsi2), the decision's versioned put and the
 * download counter.
 */
export const exportItem = (e: ExportRequest) =>
  item("Export", { ...keys.exportRequest(e.id), ...keys.exportList(e.createdAt, e.id), ...keys.exportByRequester(e.requestedBy.id, e.createdAt, e.id) }, e);

export async function getExport(id: string): Promise<ExportRequest | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.exportRequest(id), ConsistentRead: true }));
  return strip<ExportRequest>(out.Item);
}

/** One page of exports, newest first: every export (gsi1 `EXPORTS`) or one requester's (gsi2), optionally of one state; `keep` drops rows after the read. */
export function exportsPage(
  of: { all: true } | { all: false; requesterId: string },
  state: string | undefined,
  q: { limit: number; cursor?: string },
  keep: (raw: Record<string, unknown>) => boolean,
): Promise<Page<ExportRequest>> {
  const filter = state ? { FilterExpression: "#s = :s", ExpressionAttributeNames: { "#s": "state" } } : {};
  return queryPage<ExportRequest>(
    {
      ...(of.all
        ? { IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": "EXPORTS", ...(state ? { ":s": state } : {}) } }
        : { IndexName: "gsi2", KeyConditionExpression: "gsi2pk = :pk", ExpressionAttributeValues: { ":pk": keys.exportByRequester(of.requesterId, "", "").gsi2pk, ...(state ? { ":s": state } : {}) } }),
      ...filter,
      ScanIndexForward: false,
    },
    q,
    { map: (raw) => (keep(raw) ? strip<ExportRequest>(raw) : undefined) },
  );
}

/** Transaction part: the export's download counter, plus one. */
export const countDownload = (id: string) => ({
  Update: {
    TableName: tableName(),
    Key: keys.exportRequest(id),
    UpdateExpression: "ADD downloads :one",
    ExpressionAttributeValues: { ":one": 1 },
  },
});
