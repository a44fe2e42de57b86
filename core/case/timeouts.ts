import { logger } from "../log.ts";
import { publishEvents } from "../outbox/publish.ts";
import { deleteStaleTimer } from "../timer/repo.ts";
import type { TimeoutMessage } from "../timer/sweep.ts";
import { CASE_CONFIG } from "./config.ts";
import { commitDecisionsTogether, commitDecisionsWith, decisionOps, getCasesWithConfig, type DecisionWrite, type DomainEvent } from "./repo.ts";
import { decideAsSystem, systemAct } from "./act.ts";

/**
 * Apply the due timers of one queue batch (#16: a due timer's own share of requests is a fraction):
 * ONE consistent BatchGetItem of their cases (with the configuration due), the same `decide` as any
 * action, and the decisions written together — as few transactions as fit, each all or nothing on
 * every case's version and state. A timer that no longer matches its case (fired twice, late, or
 * after the case moved on) changes nothing and its leftover row is removed. Decisions whose shared
 * transaction was refused (a case moved on meanwhile) are applied one by one, each from a fresh
 * read. The events are published once for the batch. Returns the messages that failed (to retry).
 */
export async function applyTimeouts(messages: TimeoutMessage[], now: Date): Promise<Set<TimeoutMessage>> {
  const failed = new Set<TimeoutMessage>();
  if (!messages.length) return failed;
  const { writes, of } = await decideTimeouts(messages, now);
  const committed = await commitDecisionsTogether(writes);
  const events: DomainEvent[] = committed.flatMap((r) => (r ? r : []));
  await publishEvents(events);
  // refused together: each alone, from a fresh read (it may have moved on: then nothing to do)
  await Promise.all(
    committed.map(async (r, i) => {
      if (r) return;
      const m = of[i];
      try {
        const result = await systemAct(m.caseId, { action: "timeout", stage: m.stage, dueAt: m.dueAt }, now);
        if (!result.applied) logger.info("timeout not applied", { caseId: m.caseId, stage: m.stage, reason: result.reason });
      } catch (e) {
        logger.error("timeout failed", { caseId: m.caseId, error: (e as Error).message });
        for (const x of messages) if (x.caseId === m.caseId) failed.add(x);
      }
    }),
  );
  return failed;
}

/**
 * The decisions of due timers (one consistent read of their cases with the configuration due): a
 * timer that no longer matches its case changes nothing and its leftover row is removed.
 */
async function decideTimeouts(messages: TimeoutMessage[], now: Date): Promise<{ writes: DecisionWrite[]; of: TimeoutMessage[] }> {
  const cases = await getCasesWithConfig(messages.map((m) => m.caseId), CASE_CONFIG, now, { consistent: true });
  // one message per case: the one matching its current timer (a double send carries the same)
  const byCase = new Map<string, TimeoutMessage>();
  const stale: TimeoutMessage[] = [];
  for (const m of messages) {
    const c = cases.get(m.caseId);
    const matches = c?.timer && c.timer.stage === m.stage && c.timer.dueAt === m.dueAt;
    if (matches && !byCase.has(m.caseId)) byCase.set(m.caseId, m);
    else if (!matches) stale.push(m);
  }
  await Promise.all(stale.map((m) => deleteStaleTimer(m.caseId, m.dueAt, m.stage)));
  const writes: DecisionWrite[] = [];
  const of: TimeoutMessage[] = [];
  for (const m of byCase.values()) {
    const c = cases.get(m.caseId)!;
    const decided = await decideAsSystem(c, { action: "timeout", stage: m.stage, dueAt: m.dueAt }, now);
    if ("reason" in decided) {
      logger.info("timeout not applied", { caseId: m.caseId, stage: m.stage, reason: decided.reason });
      continue;
    }
    writes.push(await decisionOps(c, decided.decision));
    of.push(m);
  }
  return { writes, of };
}

/**
 * A few due timers applied by the timer sweep itself (#16: no queue round trip for the usual minute
 * of a county, when one or two timers come due): ONE consistent read of their cases, the same
 * `decide` as any action, and ONE transaction holding every decision AND `extra` (the sweep's
 * watermark move, conditional on its version), all or nothing. "applied": written and the events
 * published (a publish that fails is the outbox sweeper's, as for any action); "extra": the
 * watermark moved meanwhile, nothing written; "queue": nothing written (too many items for one
 * transaction, a case moved on, a lost answer) — the sweep sends them to the timeouts queue, whose
 * consumer applies each from a fresh read (a timer already applied no longer matches its case).
 */
export async function applyDueTimers(messages: TimeoutMessage[], now: Date, extra: any[]): Promise<"applied" | "extra" | "queue"> {
  const { writes } = await decideTimeouts(messages, now);
  const out = await commitDecisionsWith(writes, extra);
  if (out !== "applied") return out === "extra" ? "extra" : "queue";
  await publishEvents(writes.flatMap((w) => w.domain));
  return "applied";
}
