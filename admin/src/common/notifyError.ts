import type { useNotify } from "react-admin";

/** Show an error from the data provider: its message is a translation key or an English server message. */
export function notifyError(notify: ReturnType<typeof useNotify>, error: unknown): void {
  const message = error instanceof Error && error.message ? error.message : "ra.notification.http_error";
  notify(message, { type: "error", messageArgs: { _: message } });
}
