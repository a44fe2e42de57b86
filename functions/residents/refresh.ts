import { publicApi } from "../http.ts";
import { refreshSession } from "../../core/resident/service.ts";

/** `POST /v1/residents/refresh {refreshToken}`: renew a resident session (the refresh token is replaced). */
export const handler = publicApi((req) => refreshSession(req.body, req.now));
