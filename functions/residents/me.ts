import { api } from "../http.ts";
import { residentProfile } from "../../core/resident/service.ts";

/** `GET /v1/residents/me`: the calling resident's profile (masked phone, grid). */
export const handler = api((req) => residentProfile(req.principal));
