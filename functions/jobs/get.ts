import { api } from "../http.ts";
import { readJob } from "../../core/job/service.ts";

export const handler = api((req) => readJob(req.principal, req.params.id));
