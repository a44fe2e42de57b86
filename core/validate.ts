import { z } from "zod";
import { InvalidError } from "./errors.ts";

/** Parse input with a zod schema; on failure throw a 400 with one entry per field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown, what = "input"): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidError(`Invalid ${what}`, {
    fields: result.error.issues.map((i) => ({
      path: i.path.map(String).join("."),
      message: i.message,
      code: i.code,
    })),
  });
}
