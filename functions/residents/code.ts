import { publicApi, reply } from "../http.ts";
import { requestCode } from "../../core/resident/service.ts";

/** `POST /v1/residents/code {phone}`: send a verification code by SMS (returned as devCode on the local stage only). */
export const handler = publicApi(async (req) => reply(201, await requestCode(req.body, req.sourceIp, req.now, { stage: process.env.WANGGE_STAGE })));
