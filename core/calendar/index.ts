/** County working calendar and deadline arithmetic (pure, no I/O). See docs/calendar.md. */
export {
  Calendar,
  CHINA_STATUTORY_DAYS,
  DEFAULT_PERIODS,
  DEFAULT_TIME_ZONE,
  DEFAULT_WEEKDAYS,
  Duration,
  DurationUnit,
  LocalDate,
  MAX_DAYS,
  MAX_HOURS,
  TimeOfDay,
  WorkPeriod,
  WorkPeriods,
  defaultCalendar,
} from "./schema.ts";
export type { CalendarInput } from "./schema.ts";
export {
  addDuration,
  isWorkingDay,
  isWorkingMoment,
  nextWorkingMoment,
  workingMsBetween,
  workingPeriodsOn,
} from "./deadline.ts";
export {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  addDaysToDate,
  isLocalDate,
  isValidTimeZone,
  localDateOf,
  toLocalParts,
  weekdayOfDate,
  zonedTimeToUtc,
} from "./time.ts";
export type { LocalParts } from "./time.ts";
