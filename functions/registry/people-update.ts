import { api } from "../http.ts";
import { updatePerson } from "../../core/registry/people.ts";

export const handler = api((req) => updatePerson(req.principal, req.params.id, req.body, req.now));
