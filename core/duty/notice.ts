import { putNotices } from "./repo.ts";

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
  return putNotices(unique);
}
