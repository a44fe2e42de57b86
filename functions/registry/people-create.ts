import { api, reply } from "../http.ts";
import { createPerson } from "../../core/registry/people.ts";

export const handler = api(async (req) => reply(201, await createPerson(req.principal, req.body, req.now)));
