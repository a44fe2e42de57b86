import { clock } from "../../core/clock.ts";
import { logger } from "../../core/log.ts";
import { periodToAppraise } from "../../core/appraisal/period.ts";
import { runScheduled } from "../../core/appraisal/run.ts";
import { getSettings } from "../../core/settings/settings.ts";

/**
 * 00:05 on the 1st in county time (`cron(5 16 L * ? *)` for UTC+8): appraise the month that just
 * ended. A locked month, or one whose run is in progress, is left alone.
 */
export const handler = async () => {
  const now = clock.now();
  const { timeZone } = await getSettings();
  const result = await runScheduled(now, periodToAppraise(now, timeZone));
  logger.info("monthly appraisal", result);
  return result;
};
