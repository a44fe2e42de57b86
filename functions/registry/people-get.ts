import { api } from "../http.ts";
import { readPerson } from "../../core/registry/people.ts";

export const handler = api((req) => readPerson(req.principal, req.params.id));
