/** In-app notifications as `GET /v1/me/notifications` returns them. */
export interface Notification {
  id: string;
  caseId: string;
  caseNumber: string;
  type: string;
  at: string;
  read: boolean;
  /** duty notifications: their title and what they point at (core/duty/notice.ts) */
  title?: string;
  data?: Record<string, unknown>;
}

/** `POST /v1/me/notifications/{id}/read`: the id holds `#` and `:` (`<at>#<caseId>:<version>:<seq>`), so it is URL-encoded. */
export const notificationReadPath = (id: string): `/v1/me/notifications/${string}/read` => `/v1/me/notifications/${encodeURIComponent(id)}/read`;

/**
 * Where a notification leads and how it is named. Case notifications carry the case (number and
 * event type, `app.cases.events.<type>`); duty notifications (core/duty/notice.ts: `task.assigned`,
 * `task.done`, `visits.overdue`, `patrols.missed`) carry no case but a title and their task; a
 * personal-data quota alert (`registry.quota_exceeded`, core/registry/quota-alert.ts) leads to the
 * reveals view of the audit log.
 */
export interface NoticeView {
  /** the console route it opens */
  to: string;
  /** message key of what happened */
  typeKey: string;
  /** the case number, or the duty's own title (written by the server, holds what people typed) */
  subject: string;
}

export function noticeView(n: Notification): NoticeView {
  if (n.caseId) return { to: `/cases/${encodeURIComponent(n.caseId)}/show`, typeKey: `app.cases.events.${n.type}`, subject: n.caseNumber };
  const taskId = typeof n.data?.taskId === "string" ? n.data.taskId : undefined;
  const [area] = n.type.split(".");
  const to = taskId ? `/tasks/${encodeURIComponent(taskId)}/show` : area === "visits" ? "/visits" : area === "patrols" ? "/patrols" : area === "registry" ? "/audit/reveals" : "/notifications";
  return { to, typeKey: `app.inbox.types.${n.type}`, subject: n.title ?? "" };
}
