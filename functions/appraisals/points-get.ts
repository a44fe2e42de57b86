import { api } from "../http.ts";
import { readPoints } from "../../core/appraisal/points.ts";

export const handler = api((req) => readPoints(req.principal, req.params.userId));
