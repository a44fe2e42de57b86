import { api } from "../http.ts";
import { listPeople } from "../../core/registry/people.ts";

export const handler = api((req) => listPeople(req.principal, req.query));
