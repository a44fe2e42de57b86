import { api } from "../http.ts";
import { listHouseholds } from "../../core/registry/households.ts";

export const handler = api((req) => listHouseholds(req.principal, req.query));
