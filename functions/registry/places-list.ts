import { api } from "../http.ts";
import { listPlaces } from "../../core/registry/places.ts";

export const handler = api((req) => listPlaces(req.principal, req.query));
