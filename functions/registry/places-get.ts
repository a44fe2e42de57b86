import { api } from "../http.ts";
import { readPlace } from "../../core/registry/places.ts";

export const handler = api((req) => readPlace(req.principal, req.params.id));
