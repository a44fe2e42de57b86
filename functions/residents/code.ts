import { publicApi, reply } from "../http.ts";
import { requestCode } from "../../core/resident/service.ts";
import { stageSmsSender } from "../../core/resident/sms-providers.ts";

/**
 * `POST /v1/residents/code {phone}`: send a verification code by SMS (returned as devCode on the local
 * stage only). The only function that calls an SMS provider (its own area, `sms`; signed HTTPS, no SDK).
 */
export const handler = publicApi(async (req) => {
  const stage = process.env.WANGGE_STAGE;
  return reply(201, await requestCode(req.body, req.sourceIp, req.now, { stage, sms: () => stageSmsSender(stage) }));
});
