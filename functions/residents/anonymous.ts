import { publicApi } from "../http.ts";
import { anonymousSession } from "../../core/resident/service.ts";

/** `POST /v1/residents/anonymous {gridCode}`: a session without a phone, where the county allows anonymous reports. */
export const handler = publicApi((req) => anonymousSession(req.body, req.sourceIp, req.now));
