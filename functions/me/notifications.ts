import { api } from "../http.ts";
import { listInbox } from "../../core/notify/inbox.ts";

export const handler = api((req) => listInbox(`${req.principal.id}`, req.query));
