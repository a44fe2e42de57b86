import { api } from "../http.ts";
import { getDutyConfig } from "../../core/duty/config.ts";

export const handler = api(() => getDutyConfig());
