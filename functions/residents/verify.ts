import { publicApi } from "../http.ts";
import { verifyCode } from "../../core/resident/service.ts";

/** `POST /v1/residents/verify {phone, code, gridCode}`: register into the grid and open a resident session. */
export const handler = publicApi((req) => verifyCode(req.body, req.sourceIp, req.now));
