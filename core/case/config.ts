import { InvalidError } from "../errors.ts";
import { getCalendar } from "../calendar/repo.ts";
import { addDuration, nextWorkingMoment } from "../calendar/deadline.ts";
import { resolveCategory } from "../category/service.ts";
import { caseRulesFor, deadlineFor } from "../category/rules.ts";
import { caseDefaultsOf, getSettings } from "../settings/settings.ts";
import type { DecideConfig } from "./schema.ts";
import { NO_REFS } from "./refs.ts";

export type CaseConfig = DecideConfig & { isDispute: boolean; urgent: boolean; timeZone: string };

/** Everything `decide` needs for a case of this category in this unit: rules, matrix and calendar deadlines. */
export async function caseConfig(categoryId: string, unitPath: string): Promise<CaseConfig> {
  const [category, calendar, settings] = await Promise.all([resolveCategory(categoryId), getCalendar(), getSettings()]);
  if (!category || !category.active) {
    throw new InvalidError("Unknown or inactive category", { fields: [{ path: "categoryId", message: "unknown category" }] });
  }
  return {
    ...caseRulesFor(category, unitPath),
    defaultEvaluation: settings.defaultEvaluation,
    superviseAfterHours: caseDefaultsOf(settings).superviseAfterHours,
    isDispute: category.isDispute,
    urgent: category.urgent,
    timeZone: calendar.timeZone,
    deadlineFor: (stage, from) => deadlineFor(category, calendar, stage, from),
    addWorkingHours: (from, hours) => addDuration(calendar, from, { amount: hours, unit: "working_hours" }),
    reminderAt: (from, hours) => nextWorkingMoment(calendar, new Date(from.getTime() + hours * 3_600_000)),
    // the service loads what an action refers to (core/case/refs.ts); nothing loaded = every reference unknown
    refs: NO_REFS,
  };
}
