/**
 * The server's "now": deadlines are the server's, and a browser clock may be off (or, locally, the
 * stack's clock moved). `/v1/health` tells the server time once per page load; countdowns and the
 * dashboard's month use `serverNow()`.
 */
import { useEffect, useState } from "react";
import { api } from "../http.ts";

let offsetMs = 0;
let learning: Promise<void> | undefined;

/** Record the server's time `iso`, read by a request sent at `sentAt` and answered at `receivedAt`. */
export function learnServerTime(iso: string | undefined, sentAt: number, receivedAt: number): void {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return;
  offsetMs = t - (sentAt + receivedAt) / 2;
}

export const serverNow = (): number => Date.now() + offsetMs;

/** Ask the server its time (once per page load). */
export function syncServerClock(): Promise<void> {
  learning ??= (async () => {
    const sentAt = Date.now();
    try {
      const { json } = await api<{ time?: string }>("/v1/health", { anonymous: true });
      learnServerTime(json?.time, sentAt, Date.now());
    } catch {
      learning = undefined; // try again next time
    }
  })();
  return learning;
}

/** The server's time, re-rendering every `tickMs`. */
export function useServerNow(tickMs = 30_000): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    let alive = true;
    syncServerClock().then(() => alive && setNow(serverNow()));
    const t = setInterval(() => setNow(serverNow()), tickMs);
    return () => {
      alive = false;
      clearInterval(t);
    };
  }, [tickMs]);
  return now;
}
