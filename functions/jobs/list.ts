import { api } from "../http.ts";
import { listJobs } from "../../core/job/service.ts";

export const handler = api((req) => listJobs(req.principal, req.query));
