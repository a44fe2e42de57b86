import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { keys } from "../db/keys.ts";

/**
 * In-app notifications of duties, written into the same inbox as case notifications
 * (`INBOX#<userId>`, see core/notify/inbox.ts). The key is stable per (user, `id`, `at`), so a job
 * re-run on the same day overwrites its notice instead of adding another.
 */
export interface DutyNotice {
  userId: string;
  /** stable id, e.g. `visits.overdue.2025-03-02` */
  id: string;
  type: string;
  at: string;
  reason: string;
  title: string;
  data?: Record<string, unknown>;
}

export async function writeNotices(notices: DutyNotice[]): Promise<number> {
  const unique = [...new Map(notices.map((n) => [`${n.userId}|${n.at}|${n.id}`, n])).values()];
  const items = unique.map((n) => ({
    PutRequest: {
      Item: {
        ...keys.inboxItem(n.userId, n.at, n.id),
        _et: "Notification",
        id: `${n.at}#${n.id}`,
        userId: n.userId,
        eventId: n.id,
        caseId: "",
        caseNumber: "",
        type: n.type,
        at: n.at,
        read: false,
        reason: n.reason,
        title: n.title,
        data: n.data ?? {},
        expiresAt: Math.floor(Date.parse(n.at) / 1000) + 90 * 86400,
      },
    },
  }));
  for (let i = 0; i < items.length; i += 25) {
    let request: Record<string, any> | undefined = { [tableName()]: items.slice(i, i + 25) };
    while (request && Object.keys(request).length) {
      const res: { UnprocessedItems?: Record<string, any> } = await db().send(new BatchWriteCommand({ RequestItems: request }));
      request = res.UnprocessedItems;
    }
  }
  return items.length;
}
