/** In-app notifications as `GET /v1/me/notifications` returns them. */
export interface Notification {
  id: string;
  caseId: string;
  caseNumber: string;
  type: string;
  at: string;
  read: boolean;
}

/** `POST /v1/me/notifications/{id}/read`: the id holds `#` and `:` (`<at>#<caseId>:<version>:<seq>`), so it is URL-encoded. */
export const notificationReadPath = (id: string): string => `/v1/me/notifications/${encodeURIComponent(id)}/read`;
