import { api } from "../http.ts";
import { readCatalogue } from "../../core/category/catalogue.ts";

export const handler = api(() => readCatalogue());
