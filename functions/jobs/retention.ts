import { clock } from "../../core/clock.ts";
import { expireResidents } from "../../core/resident/retention.ts";
import { expireAudit } from "../../core/audit/retention.ts";

/**
 * Daily: delete resident accounts unused longer than the county's retention
 * (privacy.residentRetentionDays) and audit months older than privacy.auditRetentionMonths.
 */
export const handler = async () => {
  const now = clock.now();
  const residents = await expireResidents(now);
  return { ...residents, audit: await expireAudit(now) };
};
