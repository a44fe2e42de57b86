import * as z from "zod/mini";
import { isRealDate } from "./idcard.ts";

/*
 * Input field types the duties share with the registry (core/registry/schema.ts re-exports them):
 * apart from the registry's record schemas, so the duty routes (tasks, patrols, visits) do not load
 * those at first use (issue #15, docs/deploy.md "Cold path"). Error messages never echo the value.
 */
export const LocalDate = z.string().check(z.maxLength(10), z.regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD"), z.refine(isRealDate, { message: "not a calendar date" }));
export const Notes = z.string().check(z.trim(), z.maxLength(2000, "at most 2000 characters"));
