import type { Webhook } from "./schema.ts";
import { listActiveWebhooks } from "./repo.ts";

/** How long a container reuses the list of active subscriptions. */
export const CACHE_MS = 30_000;

type Active = Array<Pick<Webhook, "id" | "eventTypes">>;
let cached: { until: number; list: Promise<Active> } | undefined;

/**
 * Active subscriptions (id + event filter), cached per container for 30 s (monotonic time, not the
 * county clock). A failed read is not cached. Other containers see a change within 30 s; this one
 * at once (the service forgets the cache on every write).
 */
export function activeWebhooks(): Promise<Active> {
  const t = performance.now();
  if (!cached || t >= cached.until) {
    const list = listActiveWebhooks();
    const entry = { until: t + CACHE_MS, list };
    cached = entry;
    list.catch(() => {
      if (cached === entry) cached = undefined;
    });
  }
  return cached.list;
}

export function forgetActiveWebhooks(): void {
  cached = undefined;
}
