import type { Clock } from "../core/clock.ts";
import type { ScheduleDef } from "../functions/schedules.ts";
import { loadHandler } from "./handlers.ts";
import { parseSchedule } from "./cron.ts";
import { lambdaContext } from "./api-server.ts";
import { randomUUID } from "node:crypto";

export interface Scheduler {
  /** Run a job now, resolving when it finished. */
  run(name: string): Promise<unknown>;
  stop(): void;
}

const MAX_CATCH_UP_MINUTES = 60 * 24 * 62;

/**
 * Runs the scheduled handlers on their EventBridge expressions against the injected clock.
 * When the clock jumps, every job due in the skipped minutes fires once (not once per minute).
 */
export function startScheduler(defs: ScheduleDef[], clk: Clock, opts: { tickMs?: number; auto?: boolean; onError?: (name: string, e: unknown) => void } = {}): Scheduler {
  const matchers = defs.map((d) => ({ def: d, match: parseSchedule(d.schedule) }));
  let lastMinute = Math.floor(clk.now().getTime() / 60_000);
  const running = new Map<string, Promise<unknown>>();

  async function run(name: string): Promise<unknown> {
    const def = defs.find((d) => d.name === name);
    if (!def) throw new Error(`No scheduled job named ${name}; known: ${defs.map((d) => d.name).join(", ")}`);
    const prior = running.get(name);
    if (prior) await prior.catch(() => undefined);
    const fn = await loadHandler(def.handler);
    const at = clk.now();
    const p = fn(
      { version: "0", id: randomUUID(), "detail-type": "Scheduled Event", source: "aws.events", time: at.toISOString(), region: process.env.AWS_REGION, resources: [], detail: {} },
      lambdaContext(randomUUID()),
    );
    running.set(name, p);
    try {
      return await p;
    } finally {
      if (running.get(name) === p) running.delete(name);
    }
  }

  if (opts.auto === false) return { run, stop: () => {} };
  const timer = setInterval(() => {
    const nowMinute = Math.floor(clk.now().getTime() / 60_000);
    if (nowMinute <= lastMinute) return;
    const from = Math.max(lastMinute + 1, nowMinute - MAX_CATCH_UP_MINUTES);
    lastMinute = nowMinute;
    for (const { def, match } of matchers) {
      let due = false;
      for (let m = from; m <= nowMinute && !due; m++) due = match(new Date(m * 60_000));
      if (due && !running.has(def.name)) run(def.name).catch((e) => opts.onError?.(def.name, e));
    }
  }, opts.tickMs ?? 1000);
  timer.unref();

  return { run, stop: () => clearInterval(timer) };
}
