import { api } from "../http.ts";
import { updatePlace } from "../../core/registry/places.ts";

export const handler = api((req) => updatePlace(req.principal, req.params.id, req.body, req.now));
