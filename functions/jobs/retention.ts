import { clock } from "../../core/clock.ts";
import { expireResidents } from "../../core/resident/retention.ts";

/** Daily: delete resident accounts unused longer than the county's retention (privacy.residentRetentionDays). */
export const handler = async () => expireResidents(clock.now());
