import { api, reply } from "../http.ts";
import { repairStrandedCases } from "../../core/case/repair.ts";

/** `POST /v1/ops/repair-stranded-cases`: hand cases stranded by an invalid owner back to the dispatch center (audited; `{"dryRun": true}` only lists them). */
export const handler = api(async (req) => reply(200, await repairStrandedCases(req.principal, req.body, req.now)));
