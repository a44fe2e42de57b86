import { publicApi } from "../http.ts";
import { stageWechatConfig, wechatLogin } from "../../core/resident/wechat.ts";

/** `POST /v1/residents/wechat {code, gridCode, phoneCode?}`: sign in from the county's WeChat mini-program (503 where none is configured). */
export const handler = publicApi(async (req) => wechatLogin(req.body, req.sourceIp, req.now, () => stageWechatConfig()));
