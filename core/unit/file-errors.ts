/**
 * Where an import file that cannot be read is wrong (JSON syntax errors by line and column come
 * from core/json.ts), and the `problem` codes the console translates.
 */
import { InvalidError } from "../errors.ts";
export { parseJsonText } from "../json.ts";

/** File-level problems of an import file (details.problem of the 400, `code` of the job error). */
export type FileProblem = "invalid_json" | "not_feature_collection" | "csv_empty" | "csv_missing_columns" | "csv_unclosed_quote" | "csv_text_after_quote";

/** The error of a file that is JSON but not a FeatureCollection. */
export function notFeatureCollection(doc: unknown, what = "The file"): InvalidError {
  const found = Array.isArray(doc) ? "array" : doc && typeof doc === "object" ? String((doc as { type?: unknown }).type ?? "object without type") : typeof doc;
  return new InvalidError(`${what} must be a GeoJSON FeatureCollection with a \`features\` array (found: ${found})`, {
    problem: "not_feature_collection",
    found,
    fields: [{ path: "type", message: "expected FeatureCollection" }],
  });
}
