/**
 * Upper bound of `privacy.importFileRetentionDays` (core/settings/settings.ts). The S3 lifecycle
 * rule on `imports/` (stacks/Storage.ts) expires objects at this age as a backstop to the daily
 * retention job (core/job/retention.ts). Its own module so the stack imports no runtime code.
 */
export const IMPORT_FILE_RETENTION_MAX_DAYS = 90;
