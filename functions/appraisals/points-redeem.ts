import { api, reply } from "../http.ts";
import { redeemPoints } from "../../core/appraisal/points.ts";
import { getSettings } from "../../core/settings/settings.ts";

export const handler = api(async (req) => {
  const { timeZone } = await getSettings();
  const out = await redeemPoints(req.principal, req.params.userId, req.body, req.now, timeZone, req.headers["idempotency-key"]);
  return reply(out.replayed ? 200 : 201, out);
});
