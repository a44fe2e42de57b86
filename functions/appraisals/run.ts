import { api, reply } from "../http.ts";
import { startRun } from "../../core/appraisal/run.ts";

/** 202: the run is planned and its batches are queued; follow it at GET /v1/appraisals/{period}/run. */
export const handler = api(async (req) => reply(202, await startRun(req.principal, req.body, req.now)));
