import { InvalidError } from "../errors.ts";
import { calendarRefresher, getCalendar } from "../calendar/repo.ts";
import { addDuration, nextWorkingMoment } from "../calendar/deadline.ts";
import { categoriesVersion, resolveCategory } from "../category/service.ts";
import { caseRulesFor, deadlineFor } from "../category/rules.ts";
import { caseDefaultsOf, getSettings, settingsRefresher } from "../settings/settings.ts";
import { departmentsVersion } from "../department/repo.ts";
import { movesRefresher } from "../unit/move-registry.ts";
import { treeRefresher } from "../unit/locate-check.ts";
import type { Refresher } from "../config/repo.ts";
import { staffVersionRefresher } from "../config/staff-version.ts";
import type { DecideConfig } from "./schema.ts";
import { NO_REFS } from "./refs.ts";

/**
 * What the case loop keeps per warm container and proves current with a read it makes anyway
 * (#16, docs/data-model.md "Configuration cached per container"): the calendar and the settings
 * (30 s), the categories' and departments' version counters (5 s), the unit moves in progress
 * (5 s, the bound core/unit/move-registry.ts relies on) and the unit tree's version (5 s, the
 * locate index, once this container has one) and the staff version (5 s, stamped on the events it
 * publishes: core/config/staff-version.ts). An action reads them with the case
 * (`getCaseWithConfig`), a report's duplicate hint with the cases it names; a report, which reads
 * nothing before its transaction, in one BatchGetItem only when one of them is due.
 */
export const CASE_CONFIG: readonly Refresher[] = [calendarRefresher, settingsRefresher, categoriesVersion.refresher, departmentsVersion.refresher, movesRefresher, treeRefresher, staffVersionRefresher];

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
