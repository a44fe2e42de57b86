import { api } from "../http.ts";
import { readSettings } from "../../core/settings/service.ts";

export const handler = api(() => readSettings());
