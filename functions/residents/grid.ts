import { publicApi } from "../http.ts";
import { gridPage } from "../../core/resident/service.ts";

/** `GET /v1/residents/grids/{code}`: what the resident page shows after a scan (grid, path, categories). */
export const handler = publicApi((req) => gridPage(req.params.code, req.sourceIp, req.now));
