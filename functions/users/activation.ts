import { api, reply } from "../http.ts";
import { reissueActivation } from "../../core/user/activation.ts";

/** `POST /v1/users/{id}/activation`: a new one-time activation code for a user the caller manages (the earlier code stops working). */
export const handler = api(async (req) => reply(201, await reissueActivation(req.principal, req.params.id, req.now), { "cache-control": "no-store" }));
