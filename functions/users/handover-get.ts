import { api } from "../http.ts";
import { previewHandover } from "../../core/user/handover.ts";

/** `GET /v1/users/{id}/handover`: what the user holds, who may take it, the last handover. */
export const handler = api((req) => previewHandover(req.principal, req.params.id));
