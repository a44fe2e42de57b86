import { logger } from "../log.ts";
import { publishEvents } from "../outbox/publish.ts";
import { deleteStaleTimer } from "../timer/repo.ts";
import type { TimeoutMessage } from "../timer/sweep.ts";
import { CASE_CONFIG } from "./config.ts";
import { commitDecisionsTogether, decisionOps, getCasesWithConfig, type DecisionWrite, type DomainEvent } from "./repo.ts";
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
